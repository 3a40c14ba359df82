"""Fixtures every level shares: one migrated database per backend (SQLite and PostgreSQL).

Database tests take ``database_url``, which runs them once per backend. Each backend's
database is created and migrated once per session; each test starts from empty tables.
"""

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from support.hashing import hash_cheaply

from singlewindow.kit.db import Base, create_engine, is_sqlite
from singlewindow.kit.migrate import upgrade_async
from singlewindow.models import import_all

POSTGRES_ADMIN = os.environ.get("SW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgresql"]

import_all()
hash_cheaply()


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sw")


async def _create_postgres_database() -> str:
    name = f"sw_test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name


async def _drop_postgres_database(name: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@asynccontextmanager
async def _new_database(backend: str, directory: Path) -> AsyncIterator[str]:
    """An empty database of one backend, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / f'{uuid.uuid4().hex[:12]}.db'}"
        return
    name = await _create_postgres_database()
    base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        await _drop_postgres_database(name)


@pytest.fixture(scope="session", params=BACKENDS)
async def migrated_url(request: pytest.FixtureRequest, tmp_root: Path) -> AsyncIterator[str]:
    """A freshly migrated database of one backend, for the whole session."""
    async with _new_database(request.param, tmp_root) as url:
        await upgrade_async(url)
        yield url


@pytest.fixture(params=BACKENDS)
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database with no tables, for a test that migrates it step by step."""
    async with _new_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def database_url(migrated_url: str) -> str:
    """The backend's database with every table emptied, so each test starts clean."""
    engine = create_engine(migrated_url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as connection:
        if is_sqlite(migrated_url):
            for table in tables:
                await connection.execute(text(f'DELETE FROM "{table}"'))
        else:
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    return migrated_url
