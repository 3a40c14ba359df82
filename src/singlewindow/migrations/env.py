"""Alembic environment: runs migrations over the async engine of ``sqlalchemy.url``."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from singlewindow.kit.db import Base, create_engine
from singlewindow.models import import_all

import_all()
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


url = context.config.get_main_option("sqlalchemy.url")
assert url, "sqlalchemy.url must be set"
asyncio.run(_run_async(url))
