"""logistics: vessel calls, manifests, bills of lading, containers, timeline, permits

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import singlewindow.kit.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = singlewindow.kit.db.UtcDateTime
JsonDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "logistics_cargo_declarations",
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("bill_of_lading", sa.String(length=35), nullable=False),
        sa.Column("containers", JsonDoc, nullable=False),
        sa.Column("package_count", sa.Integer(), nullable=True),
        sa.Column("gross_weight_kg", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column(
            "match",
            sa.Enum("matched", "mismatch", "missing", "unchecked", name="matchresult", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "clearance",
            sa.Enum(
                "not_declared",
                "declared",
                "inspection",
                "released",
                "rejected",
                name="clearance",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("declaration_id", name=op.f("pk_logistics_cargo_declarations")),
    )
    with op.batch_alter_table("logistics_cargo_declarations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_logistics_cargo_declarations_bill_of_lading"), ["bill_of_lading"], unique=False
        )

    op.create_table(
        "logistics_containers",
        sa.Column("number", sa.String(length=11), nullable=False),
        sa.Column(
            "location",
            sa.Enum(
                "expected",
                "arrived",
                "in_terminal",
                "gated_out",
                "on_board",
                "departed",
                name="location",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "clearance",
            sa.Enum(
                "not_declared",
                "declared",
                "inspection",
                "released",
                "rejected",
                name="clearance",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("bill_of_lading", sa.String(length=35), nullable=True),
        sa.Column("imo_number", sa.String(length=7), nullable=True),
        sa.Column("voyage_number", sa.String(length=17), nullable=True),
        sa.Column("last_event_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_logistics_containers")),
    )
    op.create_table(
        "logistics_events",
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("occurred_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("declaration_id", sa.Uuid(), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("detail", JsonDoc, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logistics_events")),
    )
    with op.batch_alter_table("logistics_events", schema=None) as batch_op:
        batch_op.create_index("ix_logistics_events_subject", ["subject_kind", "number", "occurred_at"], unique=False)

    op.create_table(
        "logistics_manifests",
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("vessel_name", sa.String(length=35), nullable=False),
        sa.Column("imo_number", sa.String(length=7), nullable=False),
        sa.Column("voyage_number", sa.String(length=17), nullable=False),
        sa.Column("transport_mode", sa.String(length=1), nullable=False),
        sa.Column("port_of_loading", sa.String(length=5), nullable=False),
        sa.Column("port_of_discharge", sa.String(length=5), nullable=False),
        sa.Column("estimated_arrival", UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("declaration_id", name=op.f("pk_logistics_manifests")),
    )
    with op.batch_alter_table("logistics_manifests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logistics_manifests_party_id"), ["party_id"], unique=False)
        batch_op.create_index("ix_logistics_manifests_voyage", ["imo_number", "voyage_number"], unique=False)

    op.create_table(
        "logistics_notices",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("declaration_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logistics_notices")),
    )
    with op.batch_alter_table("logistics_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logistics_notices_party_id"), ["party_id"], unique=False)

    op.create_table(
        "logistics_permits",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("document", JsonDoc, nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logistics_permits")),
        sa.UniqueConstraint("number", name=op.f("uq_logistics_permits_number")),
    )
    with op.batch_alter_table("logistics_permits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logistics_permits_declaration_id"), ["declaration_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_logistics_permits_party_id"), ["party_id"], unique=False)

    op.create_table(
        "logistics_stakes",
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("subject_kind", "number", "party_id", name=op.f("pk_logistics_stakes")),
    )
    with op.batch_alter_table("logistics_stakes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logistics_stakes_party_id"), ["party_id"], unique=False)

    op.create_table(
        "logistics_subscriptions",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logistics_subscriptions")),
        sa.UniqueConstraint(
            "party_id", "subject_kind", "number", name=op.f("uq_logistics_subscriptions_party_id_subject_kind_number")
        ),
    )
    with op.batch_alter_table("logistics_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logistics_subscriptions_party_id"), ["party_id"], unique=False)

    op.create_table(
        "logistics_vessel_calls",
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("movement", sa.String(length=1), nullable=False),
        sa.Column("vessel_name", sa.String(length=35), nullable=False),
        sa.Column("imo_number", sa.String(length=7), nullable=False),
        sa.Column("call_sign", sa.String(length=9), nullable=False),
        sa.Column("flag_state", sa.String(length=2), nullable=False),
        sa.Column("voyage_number", sa.String(length=17), nullable=False),
        sa.Column("port_of_call", sa.String(length=5), nullable=False),
        sa.Column("estimated_arrival", UtcDateTime(timezone=True), nullable=True),
        sa.Column("estimated_departure", UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_port_of_call", sa.String(length=5), nullable=True),
        sa.Column("next_port_of_call", sa.String(length=5), nullable=True),
        sa.Column("gross_tonnage", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("crew_count", sa.Integer(), nullable=False),
        sa.Column("passenger_count", sa.Integer(), nullable=False),
        sa.Column("clearances", JsonDoc, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("declaration_id", name=op.f("pk_logistics_vessel_calls")),
    )
    with op.batch_alter_table("logistics_vessel_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logistics_vessel_calls_party_id"), ["party_id"], unique=False)
        batch_op.create_index("ix_logistics_vessel_calls_voyage", ["imo_number", "voyage_number"], unique=False)

    op.create_table(
        "logistics_bills_of_lading",
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("manifest_id", sa.Uuid(), nullable=False),
        sa.Column("carrier_party_id", sa.Uuid(), nullable=False),
        sa.Column("consignor", JsonDoc, nullable=False),
        sa.Column("consignee", JsonDoc, nullable=False),
        sa.Column("notify_party", JsonDoc, nullable=True),
        sa.Column("goods", JsonDoc, nullable=False),
        sa.Column("containers", JsonDoc, nullable=False),
        sa.Column("package_count", sa.Integer(), nullable=False),
        sa.Column("gross_weight_kg", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column(
            "status",
            sa.Enum("registered", "declared", "written_off", name="billstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "clearance",
            sa.Enum(
                "not_declared",
                "declared",
                "inspection",
                "released",
                "rejected",
                name="clearance",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("declaration_id", sa.Uuid(), nullable=True),
        sa.Column("written_off_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["manifest_id"],
            ["logistics_manifests.declaration_id"],
            name=op.f("fk_logistics_bills_of_lading_manifest_id_logistics_manifests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logistics_bills_of_lading")),
        sa.UniqueConstraint("number", name=op.f("uq_logistics_bills_of_lading_number")),
    )
    with op.batch_alter_table("logistics_bills_of_lading", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logistics_bills_of_lading_manifest_id"), ["manifest_id"], unique=False)


def downgrade() -> None:
    op.drop_table("logistics_bills_of_lading")
    op.drop_table("logistics_vessel_calls")
    op.drop_table("logistics_subscriptions")
    op.drop_table("logistics_stakes")
    op.drop_table("logistics_permits")
    op.drop_table("logistics_notices")
    op.drop_table("logistics_manifests")
    op.drop_table("logistics_events")
    op.drop_table("logistics_containers")
    op.drop_table("logistics_cargo_declarations")
