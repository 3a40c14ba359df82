"""analytics: counters, milestones and duration histograms maintained from declaration events

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from singlewindow.kit.db import JsonDoc, UtcDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "analytics_counts",
        sa.Column("scope", sa.String(length=36), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("document_type", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("shard", sa.SmallInteger(), nullable=False),
        *(
            sa.Column(m, _Count, nullable=False)
            for m in ("declarations", "amended", "inspected", "rejected", "released", "cancelled")
        ),
        sa.PrimaryKeyConstraint(
            "scope",
            "dimension",
            "grain",
            "day",
            "document_type",
            "type",
            "value",
            "shard",
            name=op.f("pk_analytics_counts"),
        ),
    )
    op.create_table(
        "analytics_milestones",
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("document_type", sa.String(length=40), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("port", sa.String(length=40), nullable=True),
        sa.Column("trade_mode", sa.String(length=40), nullable=True),
        sa.Column("country", sa.String(length=40), nullable=True),
        *(
            sa.Column(f"{m}_at", UtcDateTime(), nullable=True)
            for m in ("arrival", "submitted", "decided", "payment", "released", "gate_out")
        ),
        sa.Column("agencies", JsonDoc, nullable=False),
        sa.Column("counted", JsonDoc, nullable=False),
        sa.PrimaryKeyConstraint("declaration_id", name=op.f("pk_analytics_milestones")),
    )
    op.create_table(
        "analytics_durations",
        sa.Column("scope", sa.String(length=36), nullable=False),
        sa.Column("port", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("interval", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("count", _Count, nullable=False),
        sa.PrimaryKeyConstraint(
            "scope", "port", "agency", "grain", "day", "interval", "bucket", name=op.f("pk_analytics_durations")
        ),
    )


def downgrade() -> None:
    op.drop_table("analytics_durations")
    op.drop_table("analytics_milestones")
    op.drop_table("analytics_counts")
