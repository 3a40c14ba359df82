"""analytics: an enterprise's busy months of counters and clearance-time histograms, rolled up

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from singlewindow.kit.db import UtcDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_Count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MEASURES = ("declarations", "amended", "inspected", "rejected", "released", "cancelled")


def upgrade() -> None:
    op.create_table(
        "analytics_enterprise_months",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("declarations", _Count, nullable=False),
        sa.Column("rolled_up_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("party_id", "month", name=op.f("pk_analytics_enterprise_months")),
    )
    op.create_table(
        "analytics_enterprise_counts",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("document_type", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        *(sa.Column(measure, _Count, nullable=False) for measure in MEASURES),
        sa.PrimaryKeyConstraint(
            "party_id",
            "grain",
            "day",
            "dimension",
            "document_type",
            "type",
            "value",
            name=op.f("pk_analytics_enterprise_counts"),
        ),
    )
    op.create_table(
        "analytics_enterprise_durations",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("port", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("interval", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("count", _Count, nullable=False),
        sa.PrimaryKeyConstraint(
            "party_id", "month", "port", "agency", "interval", "bucket", name=op.f("pk_analytics_enterprise_durations")
        ),
    )


def downgrade() -> None:
    op.drop_table("analytics_enterprise_durations")
    op.drop_table("analytics_enterprise_counts")
    op.drop_table("analytics_enterprise_months")
