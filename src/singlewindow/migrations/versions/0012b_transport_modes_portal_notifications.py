"""logistics: every transport mode, dangerous goods, ship's stores; portal notifications

Vehicle calls (the table keeps its name logistics_vessel_calls) and manifests gain the
transport mode, a journey key and the identities of trains, road vehicles and aircraft; the
vessel columns become optional. Existing rows are vessels (mode 1).

Revision ID: 0012b
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import singlewindow.kit.db

revision: str = "0012b"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = singlewindow.kit.db.UtcDateTime
JsonDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
VESSEL_COLUMNS = {
    "vessel_name": sa.String(35),
    "imo_number": sa.String(7),
    "call_sign": sa.String(9),
    "flag_state": sa.String(2),
    "voyage_number": sa.String(17),
    "gross_tonnage": sa.Numeric(14, 2),
}
SEA_JOURNEY = "'1:' || imo_number || ':' || voyage_number"


def upgrade() -> None:
    with op.batch_alter_table("logistics_vessel_calls") as batch_op:
        batch_op.add_column(sa.Column("transport_mode", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("journey", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("aircraft_registration", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("flight_number", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("train_number", sa.String(length=17), nullable=True))
        batch_op.add_column(sa.Column("plate_number", sa.String(length=15), nullable=True))
        batch_op.add_column(sa.Column("vehicle_country", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("dangerous_goods", JsonDoc, nullable=True))
        batch_op.add_column(sa.Column("ships_stores", JsonDoc, nullable=True))
    calls = sa.table(
        "logistics_vessel_calls",
        sa.column("transport_mode", sa.String),
        sa.column("journey", sa.String),
        sa.column("dangerous_goods", JsonDoc),
        sa.column("ships_stores", JsonDoc),
    )
    op.execute(
        calls.update().values(
            transport_mode="1", journey=sa.literal_column(SEA_JOURNEY), dangerous_goods=[], ships_stores=[]
        )
    )
    with op.batch_alter_table("logistics_vessel_calls") as batch_op:
        for name in ("transport_mode", "journey", "dangerous_goods", "ships_stores"):
            batch_op.alter_column(name, nullable=False)
        for name, kind in VESSEL_COLUMNS.items():
            batch_op.alter_column(name, existing_type=kind, nullable=True)
        batch_op.drop_index("ix_logistics_vessel_calls_voyage")
        batch_op.create_index("ix_logistics_vessel_calls_journey", ["journey"], unique=False)

    with op.batch_alter_table("logistics_manifests") as batch_op:
        batch_op.add_column(sa.Column("journey", sa.String(length=60), nullable=True))
    manifests = sa.table("logistics_manifests", sa.column("journey", sa.String))
    op.execute(manifests.update().values(journey=sa.literal_column(SEA_JOURNEY)))
    with op.batch_alter_table("logistics_manifests") as batch_op:
        batch_op.alter_column("journey", nullable=False)
        for name in ("vessel_name", "imo_number", "voyage_number"):
            batch_op.alter_column(name, existing_type=VESSEL_COLUMNS[name], nullable=True)
        batch_op.create_index("ix_logistics_manifests_journey", ["journey"], unique=False)

    op.create_table(
        "portal_notifications",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("params", JsonDoc, nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("read_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name=op.f("fk_portal_notifications_party_id_parties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_notifications")),
    )
    with op.batch_alter_table("portal_notifications") as batch_op:
        batch_op.create_index(batch_op.f("ix_portal_notifications_party_id"), ["party_id"], unique=False)


def downgrade() -> None:
    op.drop_table("portal_notifications")
    with op.batch_alter_table("logistics_manifests") as batch_op:
        batch_op.drop_index("ix_logistics_manifests_journey")
        batch_op.drop_column("journey")
    with op.batch_alter_table("logistics_vessel_calls") as batch_op:
        batch_op.drop_index("ix_logistics_vessel_calls_journey")
        batch_op.create_index("ix_logistics_vessel_calls_voyage", ["imo_number", "voyage_number"], unique=False)
        for name in (
            "transport_mode",
            "journey",
            "aircraft_registration",
            "flight_number",
            "train_number",
            "plate_number",
            "vehicle_country",
            "dangerous_goods",
            "ships_stores",
        ):
            batch_op.drop_column(name)
