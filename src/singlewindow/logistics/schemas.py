"""What logistics reads from declarations and port events, and what it shows.

Declarations reach this context already validated against the catalogue, so the models
reading them ignore fields they do not need; a port event comes from outside and is checked
field by field.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from singlewindow.catalogue.check_digits import iso6346_problem
from singlewindow.logistics.status import VESSEL_EVENTS, Clearance, Location, PortEventKind

BillNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=35)]


def container_number(value: str) -> str:
    """An ISO 6346 number, upper-cased and without spaces, or a ValueError saying what is wrong."""
    number = value.replace(" ", "").upper()
    problem = iso6346_problem(number)
    if problem:
        raise ValueError(f"{value!r} is not a container number: {problem}")
    return number


class Read(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PartyData(Read):
    name: str
    country: str
    address: str | None = None
    uscc: str | None = None


class ContainerData(Read):
    number: str
    size_type: str | None = None
    seal: str | None = None


class ConsignmentGoods(Read):
    description: str
    hs_code: str | None = None
    package_count: int
    package_type: str
    gross_weight_kg: Decimal


class Consignment(Read):
    bill_of_lading: str
    consignor: PartyData
    consignee: PartyData
    notify_party: PartyData | None = None
    containers: list[ContainerData] = Field(default_factory=list)
    goods: list[ConsignmentGoods]

    @property
    def package_count(self) -> int:
        return sum(g.package_count for g in self.goods)

    @property
    def gross_weight_kg(self) -> Decimal:
        return sum((g.gross_weight_kg for g in self.goods), Decimal(0))


MODE_NAMES = {"1": "sea", "2": "rail", "3": "road", "4": "air"}
"""The modes of UN/ECE Recommendation 19 a means of transport is declared for."""
IDENTITY_FIELDS = {
    "1": ("vessel_name", "imo_number", "call_sign", "flag_state", "gross_tonnage", "voyage_number"),
    "2": ("train_number",),
    "3": ("plate_number", "vehicle_country"),
    "4": ("aircraft_registration", "flight_number"),
}
"""What names the means of transport (and its journey) in each mode, as the catalogue requires it."""
JOURNEY_FIELD = {"1": "voyage_number", "2": "train_number", "3": "plate_number", "4": "flight_number"}
"""The field a late manifest's error names: the journey it is late for."""


class Conveyance(Read):
    """The means of transport and its journey, in whichever mode: a manifest and a declaration share it."""

    transport_mode: Literal["1", "2", "3", "4"]
    vessel_name: str | None = None
    imo_number: str | None = None
    voyage_number: str | None = None
    flight_number: str | None = None
    aircraft_registration: str | None = None
    train_number: str | None = None
    plate_number: str | None = None
    vehicle_country: str | None = None

    @property
    def journey(self) -> str:
        """One key per journey, so a manifest finds the arrival it is due before (``1:9795610:051E``, ``4:CA931``)."""
        parts = {
            "1": (self.imo_number, self.voyage_number),
            "2": (self.train_number,),
            "3": (self.vehicle_country, self.plate_number),
            "4": (self.flight_number,),
        }[self.transport_mode]
        return ":".join([self.transport_mode, *(p or "" for p in parts)])


class ManifestData(Conveyance):
    port_of_loading: str
    port_of_discharge: str
    consignments: list[Consignment]


class DangerousGoods(Read):
    un_number: str
    hazard_class: str
    packing_group: str | None = None
    description: str | None = None
    quantity: Decimal
    unit: str
    location_on_board: str | None = None


class StoresItem(Read):
    description: str
    quantity: Decimal
    unit: str
    location_on_board: str | None = None


class VehicleData(Conveyance):
    """A means of transport's arrival or departure, as logistics keeps it."""

    movement: Literal["A", "D"]
    call_sign: str | None = None
    flag_state: str | None = None
    gross_tonnage: Decimal | None = None
    port_of_call: str
    estimated_arrival: datetime | None = None
    estimated_departure: datetime | None = None
    last_port_of_call: str | None = None
    next_port_of_call: str | None = None
    crew_count: int
    passenger_count: int
    dangerous_goods: list[DangerousGoods] = Field(default_factory=list)
    ships_stores: list[StoresItem] = Field(default_factory=list)


class CargoGoods(Read):
    gross_weight_kg: Decimal
    package_count: int | None = None


class CargoData(Read):
    bill_of_lading: str
    containers: list[ContainerData] = Field(default_factory=list)
    goods: list[CargoGoods]

    @property
    def package_count(self) -> int | None:
        """Packages over all items, or None when an item leaves its count out (nothing to compare then)."""
        counts = [g.package_count for g in self.goods]
        return None if any(c is None for c in counts) else sum(c for c in counts if c is not None)

    @property
    def gross_weight_kg(self) -> Decimal:
        return sum((g.gross_weight_kg for g in self.goods), Decimal(0))


class PortEvent(BaseModel):
    """The payload of an inbound ``port_event`` message from a terminal or carrier system."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    event: PortEventKind
    occurred_at: AwareDatetime
    location: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")] | None = None
    imo_number: Annotated[str, StringConstraints(pattern=r"^\d{7}$")] | None = None
    voyage_number: Annotated[str, StringConstraints(max_length=17)] | None = None
    container: str | None = None
    bill_of_lading: BillNumber | None = None
    detail: Annotated[str, StringConstraints(max_length=300)] | None = None

    @field_validator("container")
    @classmethod
    def iso6346(cls, value: str | None) -> str | None:
        return None if value is None else container_number(value)

    @model_validator(mode="after")
    def subject_given(self) -> "PortEvent":
        if self.event in VESSEL_EVENTS and self.container is None:
            if not (self.imo_number and self.voyage_number):
                raise ValueError(f"{self.event} of a vessel needs imo_number and voyage_number (or a container)")
        elif self.container is None:
            raise ValueError(f"{self.event} needs the container number")
        return self


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    container: str | None = None
    bill_of_lading: BillNumber | None = None

    @field_validator("container")
    @classmethod
    def iso6346(cls, value: str | None) -> str | None:
        return None if value is None else container_number(value)

    @model_validator(mode="after")
    def exactly_one(self) -> "SubscriptionCreate":
        if (self.container is None) == (self.bill_of_lading is None):
            raise ValueError("give either container or bill_of_lading")
        return self

    @property
    def subject(self) -> tuple[str, str]:
        if self.container is not None:
            return "container", self.container
        assert self.bill_of_lading is not None
        return "bill_of_lading", self.bill_of_lading


class TimelineEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    occurred_at: datetime
    recorded_at: datetime = Field(validation_alias="created_at")
    source: str
    kind: str
    declaration_id: uuid.UUID | None
    flagged: bool
    detail: dict[str, Any]


class ContainerTracking(BaseModel):
    number: str
    location: Location | None
    clearance: Clearance
    bill_of_lading: str | None
    timeline: list[TimelineEntry]


class BillTracking(BaseModel):
    number: str
    status: str | None
    clearance: Clearance
    declaration_id: uuid.UUID | None
    transport_mode: str | None
    journey: str | None
    vessel_name: str | None
    voyage_number: str | None
    consignee: dict[str, Any] | None
    notify_party: dict[str, Any] | None
    containers: dict[str, Location | None]
    package_count: int | None
    gross_weight_kg: Decimal | None
    timeline: list[TimelineEntry]


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    subject_kind: str
    number: str
    active: bool
    created_at: datetime


class NoticeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    severity: str
    kind: str
    subject_kind: str
    number: str
    message: str
    declaration_id: uuid.UUID | None
    created_at: datetime


class SignedPermit(BaseModel):
    """What the master carries: the permit and the platform's signature over its canonical JSON."""

    model_config = ConfigDict(extra="forbid")

    permit: dict[str, Any]
    signature: dict[str, str] = Field(description='{"alg": "Ed25519", "kid": ..., "value": base64url}')


class PermitOut(BaseModel):
    id: uuid.UUID
    number: str
    declaration_id: uuid.UUID
    issued_at: datetime
    signed: SignedPermit
    verify_url: str


class PermitVerification(BaseModel):
    valid: bool
    reason: str
    number: str | None = None
    permit: dict[str, Any] | None = None
