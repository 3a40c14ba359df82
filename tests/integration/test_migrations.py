"""The migrations build exactly the schema the models describe, on both backends."""

import uuid
from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from singlewindow.analytics.models import Count, Duration
from singlewindow.analytics.timeline import MEASURES
from singlewindow.kit.db import Base, create_engine
from singlewindow.kit.migrate import upgrade_async


def _drift(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def test_models_and_migrations_agree(migrated_url: str) -> None:
    engine = create_engine(migrated_url)
    async with engine.connect() as connection:
        drift = await connection.run_sync(_drift)
    await engine.dispose()
    assert drift == []


async def test_the_summaries_keep_the_platform_rows_and_drop_the_enterprises(empty_url: str) -> None:
    """0013: enterprises' figures are folded from their milestones rows now, so their summary rows go."""
    await upgrade_async(empty_url, "0012b")
    engine = create_engine(empty_url)
    key = {"dimension": "all", "grain": "d", "day": date(2026, 3, 14), "document_type": "cargo_declaration"}
    counts = {**key, "type": "import", "value": "*", "shard": 0, **dict.fromkeys(MEASURES, 1)}
    durations = {"port": "*", "agency": "*", "grain": "d", "day": date(2026, 3, 14), "interval": "x", "bucket": 3}
    async with engine.begin() as connection:
        for scope in ("*", str(uuid.uuid4())):
            await connection.execute(text(_insert("analytics_counts", {"scope": scope, **counts})), counts)
            await connection.execute(
                text(_insert("analytics_durations", {"scope": scope, **durations, "count": 5})),
                {**durations, "count": 5},
            )
    await upgrade_async(empty_url)
    async with engine.connect() as connection:
        kept_counts = (await connection.execute(select(*Count.__table__.c))).mappings().all()
        kept_durations = (await connection.execute(select(*Duration.__table__.c))).mappings().all()
    await engine.dispose()
    assert [dict(row) for row in kept_counts] == [counts]
    assert [dict(row) for row in kept_durations] == [{**durations, "count": 5}]


def _insert(table: str, row: dict[str, object]) -> str:
    """The scope goes in as a literal: it is the column 0013 removes."""
    values = [f"'{v}'" if k == "scope" else f":{k}" for k, v in row.items()]
    return f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(values)})"
