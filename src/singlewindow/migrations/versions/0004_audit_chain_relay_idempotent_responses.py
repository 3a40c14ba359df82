"""audit hash chain (seq, hash, seals); idempotency keys keep the first response

The outbox's new status ``relayed`` needs no change: statuses are VARCHAR(16) without a check.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import singlewindow.kit.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("audit_records") as batch:
        batch.add_column(sa.Column("seq", BigId, nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_audit_records_seq", ["seq"])
    op.create_table(
        "audit_seals",
        sa.Column("seq", BigId, autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_seals")),
    )
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("response_status", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("response_body", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("response_body")
        batch.drop_column("response_status")
    op.drop_table("audit_seals")
    with op.batch_alter_table("audit_records") as batch:
        batch.drop_constraint("uq_audit_records_seq", type_="unique")
        batch.drop_column("hash")
        batch.drop_column("seq")
