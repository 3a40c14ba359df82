"""Vessel calls, manifests and bills of lading, cargo declarations followed, containers, timeline, permits.

Rows about declarations are keyed by the declaration's id and hold only what this context
needs from ``DeclarationSubmitted``: the declarations context stays the record of the data.
"""

import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin, str_enum
from singlewindow.logistics.status import Clearance, Location

Weight = Numeric(18, 4)


class BillStatus(enum.StrEnum):
    REGISTERED = "registered"
    DECLARED = "declared"
    WRITTEN_OFF = "written_off"


class MatchResult(enum.StrEnum):
    MATCHED = "matched"
    MISMATCH = "mismatch"
    MISSING = "missing"
    UNCHECKED = "unchecked"


class VehicleCall(CreatedMixin, Base):
    """One arrival or departure declaration of a means of transport (vessel, train, truck, aircraft), at its latest
    revision. The table keeps its first name from when only vessels were declared."""

    __tablename__ = "logistics_vessel_calls"
    __table_args__ = (Index("ix_logistics_vessel_calls_journey", "journey"),)

    declaration_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    revision: Mapped[int] = mapped_column()
    movement: Mapped[str] = mapped_column(String(1))
    transport_mode: Mapped[str] = mapped_column(String(1))
    journey: Mapped[str] = mapped_column(String(60))
    """``Conveyance.journey``: mode and the identifiers of the journey, what a manifest is matched by."""
    vessel_name: Mapped[str | None] = mapped_column(String(35), default=None)
    imo_number: Mapped[str | None] = mapped_column(String(7), default=None)
    call_sign: Mapped[str | None] = mapped_column(String(9), default=None)
    flag_state: Mapped[str | None] = mapped_column(String(2), default=None)
    voyage_number: Mapped[str | None] = mapped_column(String(17), default=None)
    gross_tonnage: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), default=None)
    aircraft_registration: Mapped[str | None] = mapped_column(String(10), default=None)
    flight_number: Mapped[str | None] = mapped_column(String(8), default=None)
    train_number: Mapped[str | None] = mapped_column(String(17), default=None)
    plate_number: Mapped[str | None] = mapped_column(String(15), default=None)
    vehicle_country: Mapped[str | None] = mapped_column(String(2), default=None)
    port_of_call: Mapped[str] = mapped_column(String(5))
    estimated_arrival: Mapped[datetime | None] = mapped_column(default=None)
    estimated_departure: Mapped[datetime | None] = mapped_column(default=None)
    last_port_of_call: Mapped[str | None] = mapped_column(String(5), default=None)
    next_port_of_call: Mapped[str | None] = mapped_column(String(5), default=None)
    crew_count: Mapped[int] = mapped_column()
    passenger_count: Mapped[int] = mapped_column()
    dangerous_goods: Mapped[list[Any]] = mapped_column(default=list)
    """The dangerous goods summary: UN number, class or division, packing group, quantity, unit, where on board."""
    ships_stores: Mapped[list[Any]] = mapped_column(default=list)
    clearances: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Each agency's latest decision on the current revision."""
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Manifest(CreatedMixin, Base):
    __tablename__ = "logistics_manifests"
    __table_args__ = (
        Index("ix_logistics_manifests_voyage", "imo_number", "voyage_number"),
        Index("ix_logistics_manifests_journey", "journey"),
    )

    declaration_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    """The carrier or its agent that filed the manifest."""
    revision: Mapped[int] = mapped_column()
    transport_mode: Mapped[str] = mapped_column(String(1))
    journey: Mapped[str] = mapped_column(String(60))
    vessel_name: Mapped[str | None] = mapped_column(String(35), default=None)
    imo_number: Mapped[str | None] = mapped_column(String(7), default=None)
    voyage_number: Mapped[str | None] = mapped_column(String(17), default=None)
    port_of_loading: Mapped[str] = mapped_column(String(5))
    port_of_discharge: Mapped[str] = mapped_column(String(5))
    estimated_arrival: Mapped[datetime | None] = mapped_column(default=None)
    """The voyage's ETA the deadline was measured against; None when no arrival was declared first."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BillOfLading(IdMixin, CreatedMixin, Base):
    __tablename__ = "logistics_bills_of_lading"

    number: Mapped[str] = mapped_column(String(35), unique=True)
    manifest_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("logistics_manifests.declaration_id"), index=True)
    carrier_party_id: Mapped[uuid.UUID] = mapped_column()
    consignor: Mapped[dict[str, Any]] = mapped_column()
    consignee: Mapped[dict[str, Any]] = mapped_column()
    notify_party: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    goods: Mapped[list[Any]] = mapped_column()
    containers: Mapped[list[Any]] = mapped_column(default=list)
    package_count: Mapped[int] = mapped_column()
    gross_weight_kg: Mapped[Decimal] = mapped_column(Weight)
    status: Mapped[BillStatus] = mapped_column(str_enum(BillStatus), default=BillStatus.REGISTERED)
    clearance: Mapped[Clearance] = mapped_column(str_enum(Clearance), default=Clearance.NOT_DECLARED)
    declaration_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    """The cargo declaration that declared (and, once released, wrote off) this bill of lading."""
    written_off_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CargoDeclarationLink(CreatedMixin, Base):
    """A cargo declaration as logistics follows it: its bill of lading, containers and quantities."""

    __tablename__ = "logistics_cargo_declarations"

    declaration_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column()
    revision: Mapped[int] = mapped_column()
    bill_of_lading: Mapped[str] = mapped_column(String(35), index=True)
    containers: Mapped[list[Any]] = mapped_column(default=list)
    package_count: Mapped[int | None] = mapped_column(default=None)
    gross_weight_kg: Mapped[Decimal] = mapped_column(Weight)
    match: Mapped[MatchResult] = mapped_column(str_enum(MatchResult))
    clearance: Mapped[Clearance] = mapped_column(str_enum(Clearance), default=Clearance.DECLARED)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContainerState(Base):
    """One status per container: where it is and whether its goods are cleared."""

    __tablename__ = "logistics_containers"

    number: Mapped[str] = mapped_column(String(11), primary_key=True)
    location: Mapped[Location] = mapped_column(str_enum(Location))
    clearance: Mapped[Clearance] = mapped_column(str_enum(Clearance), default=Clearance.NOT_DECLARED)
    bill_of_lading: Mapped[str | None] = mapped_column(String(35), default=None)
    imo_number: Mapped[str | None] = mapped_column(String(7), default=None)
    voyage_number: Mapped[str | None] = mapped_column(String(17), default=None)
    last_event_at: Mapped[datetime | None] = mapped_column(default=None)
    """When the latest event that moved it happened: an older event arriving late does not move it back."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Stake(Base):
    """Who may follow a container or bill of lading: its carrier, its declarant, its consignee."""

    __tablename__ = "logistics_stakes"

    subject_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    number: Mapped[str] = mapped_column(String(35), primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16))


class TimelineEvent(IdMixin, CreatedMixin, Base):
    """One thing that happened to a container or bill of lading, whoever reported it."""

    __tablename__ = "logistics_events"
    __table_args__ = (Index("ix_logistics_events_subject", "subject_kind", "number", "occurred_at"),)

    subject_kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(35))
    occurred_at: Mapped[datetime] = mapped_column()
    source: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(40))
    declaration_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    flagged: Mapped[bool] = mapped_column(default=False)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Subscription(IdMixin, CreatedMixin, Base):
    __tablename__ = "logistics_subscriptions"
    __table_args__ = (UniqueConstraint("party_id", "subject_kind", "number"),)

    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(35))
    active: Mapped[bool] = mapped_column(default=True)


class Notice(IdMixin, CreatedMixin, Base):
    """What a party is told about its manifests and cargo: mismatches, unchecked deadlines, early gate-outs."""

    __tablename__ = "logistics_notices"

    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    severity: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(40))
    subject_kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(35))
    message: Mapped[str] = mapped_column(String(500))
    declaration_id: Mapped[uuid.UUID | None] = mapped_column(default=None)


class Permit(IdMixin, CreatedMixin, Base):
    """A departure permit: the signed document the master shows, kept as issued."""

    __tablename__ = "logistics_permits"

    number: Mapped[str] = mapped_column(String(40), unique=True)
    declaration_id: Mapped[uuid.UUID] = mapped_column(index=True)
    revision: Mapped[int] = mapped_column()
    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    document: Mapped[dict[str, Any]] = mapped_column()
    signature: Mapped[str] = mapped_column(String(100))
    kid: Mapped[str] = mapped_column(String(64))
