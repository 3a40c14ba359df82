"""licences: registry, goods lines with balances, uses, applications, number sequences

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import singlewindow.kit.db

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "licence_sequences",
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_licence_sequences")),
    )
    op.create_table(
        "licence_applications",
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column(
            "data", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_at", singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name=op.f("fk_licence_applications_party_id_parties")),
        sa.PrimaryKeyConstraint("declaration_id", name=op.f("pk_licence_applications")),
    )
    with op.batch_alter_table("licence_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_licence_applications_party_id"), ["party_id"], unique=False)

    op.create_table(
        "licences",
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("holder_party_id", sa.Uuid(), nullable=False),
        sa.Column("holder_uscc", sa.String(length=18), nullable=True),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("valid", "revoked", "exhausted", name="licencestatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.Column("application_id", sa.Uuid(), nullable=True),
        sa.Column("issued_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["holder_party_id"], ["parties.id"], name=op.f("fk_licences_holder_party_id_parties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licences")),
        sa.UniqueConstraint("application_id", name=op.f("uq_licences_application_id")),
        sa.UniqueConstraint("number", name=op.f("uq_licences_number")),
    )
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_licences_agency"), ["agency"], unique=False)
        batch_op.create_index(batch_op.f("ix_licences_holder_party_id"), ["holder_party_id"], unique=False)

    op.create_table(
        "licence_goods",
        sa.Column("licence_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("unit", sa.String(length=3), nullable=True),
        sa.Column("quantity_allowed", sa.BigInteger(), nullable=True),
        sa.Column("quantity_used", sa.BigInteger(), nullable=False),
        sa.Column("quantity_reserved", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("value_allowed", sa.BigInteger(), nullable=True),
        sa.Column("value_used", sa.BigInteger(), nullable=False),
        sa.Column("value_reserved", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "quantity_allowed IS NOT NULL OR value_allowed IS NOT NULL", name=op.f("ck_licence_goods_limited")
        ),
        sa.CheckConstraint(
            "quantity_allowed IS NULL OR quantity_used + quantity_reserved <= quantity_allowed",
            name=op.f("ck_licence_goods_quantity_within"),
        ),
        sa.CheckConstraint(
            "quantity_used >= 0 AND quantity_reserved >= 0 AND value_used >= 0 AND value_reserved >= 0",
            name=op.f("ck_licence_goods_non_negative"),
        ),
        sa.CheckConstraint(
            "value_allowed IS NULL OR value_used + value_reserved <= value_allowed",
            name=op.f("ck_licence_goods_value_within"),
        ),
        sa.ForeignKeyConstraint(["licence_id"], ["licences.id"], name=op.f("fk_licence_goods_licence_id_licences")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licence_goods")),
        sa.UniqueConstraint("licence_id", "line", name=op.f("uq_licence_goods_licence_id_line")),
    )
    with op.batch_alter_table("licence_goods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_licence_goods_licence_id"), ["licence_id"], unique=False)

    op.create_table(
        "licence_uses",
        sa.Column("licence_id", sa.Uuid(), nullable=False),
        sa.Column("goods_id", sa.Uuid(), nullable=False),
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("reserved", "written_off", "released", name="usestate", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("updated_at", singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["goods_id"], ["licence_goods.id"], name=op.f("fk_licence_uses_goods_id_licence_goods")
        ),
        sa.ForeignKeyConstraint(["licence_id"], ["licences.id"], name=op.f("fk_licence_uses_licence_id_licences")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licence_uses")),
    )
    with op.batch_alter_table("licence_uses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_licence_uses_declaration_id"), ["declaration_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_licence_uses_licence_id"), ["licence_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("licence_uses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licence_uses_licence_id"))
        batch_op.drop_index(batch_op.f("ix_licence_uses_declaration_id"))

    op.drop_table("licence_uses")
    with op.batch_alter_table("licence_goods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licence_goods_licence_id"))

    op.drop_table("licence_goods")
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licences_holder_party_id"))
        batch_op.drop_index(batch_op.f("ix_licences_agency"))

    op.drop_table("licences")
    with op.batch_alter_table("licence_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licence_applications_party_id"))

    op.drop_table("licence_applications")
    op.drop_table("licence_sequences")
