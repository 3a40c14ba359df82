"""Running one CLI command's work in one session: the command is the edge and commits."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

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
