"""portal drafts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
import singlewindow.kit.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_drafts",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("saved_by", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column(
            "data", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("updated_at", singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name=op.f("fk_portal_drafts_party_id_parties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_drafts")),
    )
    with op.batch_alter_table("portal_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portal_drafts_party_id"), ["party_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("portal_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_drafts_party_id"))
    op.drop_table("portal_drafts")
