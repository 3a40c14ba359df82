"""Applying the Alembic migrations shipped inside the package."""

import asyncio
from importlib.resources import files

from alembic import command
from alembic.config import Config


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("singlewindow").joinpath("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(url: str, revision: str = "heads") -> None:
    """Alembic's env runs its own event loop, so it goes to a thread from async code."""
    await asyncio.to_thread(upgrade, url, revision)
