"""certificates of origin and export tax refunds

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import singlewindow.kit.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = singlewindow.kit.db.UtcDateTime
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
Money = sa.String(length=24)


def upgrade() -> None:
    op.create_table(
        "origin_applications",
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("data", Json, nullable=False),
        sa.Column("agencies", Json, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("declaration_id", name=op.f("pk_origin_applications")),
    )
    with op.batch_alter_table("origin_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_origin_applications_party_id"), ["party_id"], unique=False)

    op.create_table(
        "origin_certificates",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("agreement", sa.String(length=10), nullable=True),
        sa.Column("exporting_country", sa.String(length=2), nullable=False),
        sa.Column("importing_country", sa.String(length=2), nullable=False),
        sa.Column("content", Json, nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum("valid", "revoked", name="certificatestatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("issued_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_origin_certificates")),
        sa.UniqueConstraint("declaration_id", name=op.f("uq_origin_certificates_declaration_id")),
        sa.UniqueConstraint("number", name=op.f("uq_origin_certificates_number")),
    )
    with op.batch_alter_table("origin_certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_origin_certificates_party_id"), ["party_id"], unique=False)

    op.create_table(
        "origin_number_sequences",
        sa.Column("prefix", sa.String(length=30), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_origin_number_sequences")),
    )
    op.create_table(
        "origin_received_certificates",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("agreement", sa.String(length=10), nullable=True),
        sa.Column("exporting_country", sa.String(length=2), nullable=False),
        sa.Column("importing_country", sa.String(length=2), nullable=False),
        sa.Column("content", Json, nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("issued_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", UtcDateTime(timezone=True), nullable=False),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("received_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_origin_received_certificates")),
        sa.UniqueConstraint(
            "exporting_country", "number", name=op.f("uq_origin_received_certificates_exporting_country_number")
        ),
    )
    op.create_table(
        "origin_signing_keys",
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("retired_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_origin_signing_keys")),
    )
    op.create_table(
        "origin_trusted_issuers",
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_origin_trusted_issuers")),
    )
    op.create_table(
        "refund_applications",
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column("export_declaration_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("claimed_amount", Money, nullable=True),
        sa.Column("approved_amount", Money, nullable=True),
        sa.Column("lines", Json, nullable=False),
        sa.Column("submitted_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("declaration_id", name=op.f("pk_refund_applications")),
    )
    with op.batch_alter_table("refund_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refund_applications_export_declaration_id"), ["export_declaration_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_refund_applications_party_id"), ["party_id"], unique=False)

    op.create_table(
        "refund_exports",
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("entry_number", sa.String(length=18), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("data", Json, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("released_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("declaration_id", name=op.f("pk_refund_exports")),
        sa.UniqueConstraint("entry_number", name=op.f("uq_refund_exports_entry_number")),
    )
    with op.batch_alter_table("refund_exports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refund_exports_party_id"), ["party_id"], unique=False)

    op.create_table(
        "refund_invoices",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.Column("amount", Money, nullable=False),
        sa.Column("vat_amount", Money, nullable=False),
        sa.Column("claimed_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_invoices")),
        sa.UniqueConstraint("party_id", "number", name=op.f("uq_refund_invoices_party_id_number")),
    )
    with op.batch_alter_table("refund_invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refund_invoices_party_id"), ["party_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("refund_invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_invoices_party_id"))

    op.drop_table("refund_invoices")
    with op.batch_alter_table("refund_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_exports_party_id"))

    op.drop_table("refund_exports")
    with op.batch_alter_table("refund_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_applications_party_id"))
        batch_op.drop_index(batch_op.f("ix_refund_applications_export_declaration_id"))

    op.drop_table("refund_applications")
    op.drop_table("origin_trusted_issuers")
    op.drop_table("origin_signing_keys")
    op.drop_table("origin_received_certificates")
    op.drop_table("origin_number_sequences")
    with op.batch_alter_table("origin_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_origin_certificates_party_id"))

    op.drop_table("origin_certificates")
    with op.batch_alter_table("origin_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_origin_applications_party_id"))

    op.drop_table("origin_applications")
