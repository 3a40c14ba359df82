"""every document type takes the core flow: declarations and routing rules name their document type

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("declarations") as batch:
        batch.add_column(
            sa.Column("document_type", sa.String(length=40), server_default="cargo_declaration", nullable=False)
        )
    with op.batch_alter_table("routing_rules") as batch:
        batch.add_column(
            sa.Column("document_type", sa.String(length=40), server_default="cargo_declaration", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("routing_rules") as batch:
        batch.drop_column("document_type")
    with op.batch_alter_table("declarations") as batch:
        batch.drop_column("document_type")
