"""The ``singlewindow`` command run against a test's database, as an operator would run it.

A directory's conftest.py imports ``cli`` to offer it as a fixture there.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterator

import pytest
from typer.testing import CliRunner, Result

from singlewindow.cli import app
from singlewindow.settings import Settings, get_settings

Invoke = Callable[..., Awaitable[Result]]


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoke]:
    """``await cli(*args, exit_code=0)`` runs the command in a thread (it runs its own event loop)."""
    monkeypatch.setenv("SW_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    async def invoke(*args: str, exit_code: int = 0) -> Result:
        result = await asyncio.to_thread(runner.invoke, app, list(args))
        assert result.exit_code == exit_code, result.output
        return result

    yield invoke
    get_settings.cache_clear()
