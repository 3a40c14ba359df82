"""analytics: platform-wide summaries only; an enterprise's figures come from its milestones rows

Per-enterprise counter and histogram rows barely add up (a few declarations per enterprise
and day), so at ten million declarations they would be hundreds of millions of rows. The
summary tables lose their ``scope`` column and keep the platform's rows ("*"); the
milestones table gains the (party_id, day) index the enterprise reads go through.

Revision ID: 0013
Revises: 0012b
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MEASURES = ("declarations", "amended", "inspected", "rejected", "released", "cancelled")
COUNT_KEY = ("dimension", "grain", "day", "document_type", "type", "value", "shard")
DURATION_KEY = ("port", "agency", "grain", "day", "interval", "bucket")
PLATFORM = "'*'"


def _counts(name: str, scoped: bool) -> sa.Table:
    return sa.Table(
        name,
        sa.MetaData(),
        *([sa.Column("scope", sa.String(length=36), nullable=False)] if scoped else []),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("document_type", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("shard", sa.SmallInteger(), nullable=False),
        *(sa.Column(m, _Count, nullable=False) for m in MEASURES),
        sa.PrimaryKeyConstraint(*(["scope"] if scoped else []), *COUNT_KEY, name="pk_" + name),
    )


def _durations(name: str, scoped: bool) -> sa.Table:
    return sa.Table(
        name,
        sa.MetaData(),
        *([sa.Column("scope", sa.String(length=36), nullable=False)] if scoped else []),
        sa.Column("port", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("interval", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("count", _Count, nullable=False),
        sa.PrimaryKeyConstraint(*(["scope"] if scoped else []), *DURATION_KEY, name="pk_" + name),
    )


def _replace(table: sa.Table, columns: Sequence[str], scoped: bool) -> None:
    """Copy the platform's rows into ``table`` (built under a new name), then put it in the old one's place."""
    final = table.name.removesuffix("_new")
    table.create(op.get_bind())
    names = ", ".join(columns)
    if scoped:
        op.execute(f"INSERT INTO {table.name} (scope, {names}) SELECT {PLATFORM}, {names} FROM {final}")
    else:
        op.execute(f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {final} WHERE scope = {PLATFORM}")
    op.drop_table(final)
    op.rename_table(table.name, final)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX pk_{table.name} RENAME TO pk_{final}")


def upgrade() -> None:
    _replace(_counts("analytics_counts_new", scoped=False), [*COUNT_KEY, *MEASURES], scoped=False)
    _replace(_durations("analytics_durations_new", scoped=False), [*DURATION_KEY, "count"], scoped=False)
    op.create_index("ix_analytics_milestones_party_day", "analytics_milestones", ["party_id", "day"])


def downgrade() -> None:
    """The platform's rows come back under scope "*"; enterprises' rows need ``singlewindow analytics rebuild``."""
    op.drop_index("ix_analytics_milestones_party_day", table_name="analytics_milestones")
    _replace(_counts("analytics_counts_new", scoped=True), [*COUNT_KEY, *MEASURES], scoped=True)
    _replace(_durations("analytics_durations_new", scoped=True), [*DURATION_KEY, "count"], scoped=True)
