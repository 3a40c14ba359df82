"""Running one CLI command's work in one session: the command is the edge and commits."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.errors import SingleWindowError
from singlewindow.kit.db import create_engine, session_factory
from singlewindow.settings import Settings, get_settings

T = TypeVar("T")


def run_in_session(
    work: Callable[[AsyncSession], Awaitable[T]], *, commit: bool = False, settings: Settings | None = None
) -> T:
    async def go() -> T:
        engine = create_engine((settings or get_settings()).database_url)
        try:
            async with session_factory(engine)() as session:
                result = await work(session)
                if commit:
                    await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(go())


def run_or_exit(work: Callable[[AsyncSession], Awaitable[T]], *, commit: bool = False) -> T:
    """Run in a session; a refusal (an unknown licence, party, number or permit) is one line on stderr and exit 1."""
    try:
        return run_in_session(work, commit=commit)
    except SingleWindowError as exc:
        typer.echo(f"{exc.title}: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
