"""origin: the one declaration each certificate of origin earned a preference for (一证一单)

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from singlewindow.kit.db import UtcDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "origin_certificate_uses",
        sa.Column("exporting_country", sa.String(length=2), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("used_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("exporting_country", "number", name=op.f("pk_origin_certificate_uses")),
    )
    op.create_index(
        op.f("ix_origin_certificate_uses_declaration_id"), "origin_certificate_uses", ["declaration_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_origin_certificate_uses_declaration_id"), table_name="origin_certificate_uses")
    op.drop_table("origin_certificate_uses")
