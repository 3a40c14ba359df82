"""Engine, declarative base and column types shared by every context.

SQLite runs in WAL mode and opens every transaction with ``BEGIN IMMEDIATE``: a deferred
transaction that reads and then writes can fail with SQLITE_BUSY_SNAPSHOT without waiting,
while an immediate one queues behind the writer for up to ``busy_timeout``.
"""

import enum
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Enum, MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from singlewindow.kit.clock import utcnow
from singlewindow.kit.ids import new_id

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDoc = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC, always returns aware datetimes (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use kit.clock.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def str_enum(enum_type: type[enum.StrEnum]) -> Enum:
    """A VARCHAR column holding the enum's values (what the API shows), checked by no native type."""
    return Enum(enum_type, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JsonDoc,
        list[Any]: JsonDoc,
    }


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class CreatedMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def dialect_insert(dialect: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite 3.24+ and PostgreSQL alike)."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def insert_for(session: AsyncSession, table: Any) -> postgresql.Insert | sqlite.Insert:
    """``dialect_insert`` for the database the session talks to."""
    return dialect_insert(session.get_bind().dialect.name, table)


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """PostgreSQL runs without JIT (compiling a plan costs ~100 ms, more than any query this service sends)
    and with ISO dates whatever the server's default, so a date cast to text reads the same everywhere."""
    if not is_sqlite(url):
        return create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            connect_args={"server_settings": {"jit": "off", "DateStyle": "ISO, YMD"}},
        )
    engine = create_async_engine(url, connect_args={"timeout": 30})
    event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
    event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=30000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def session_scope(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One session per edge call; the edge commits, anything uncommitted is rolled back."""
    async with factory() as session:
        yield session
