"""The canonical cargo declaration and the API's views of a declaration.

Field types come from the data element catalogue (``element``), so lengths and code lists are
the catalogue's; cross-field rules that need no configuration live here as validators.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from singlewindow.catalogue import document_types
from singlewindow.catalogue.elements import Element
from singlewindow.declarations.lifecycle import DeclarationStatus, TaskStatus

MAX_GOODS_ITEMS = 50
"""China Customs' limit of goods items on one declaration form (报关单)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TradeParty(Strict):
    name: Annotated[str, Element("SW0003")]
    country: Annotated[str, Element("SW0004")]
    address: Annotated[str, Element("SW0005")] | None = None
    uscc: Annotated[str, Element("SW0006")] | None = None


class Container(Strict):
    number: Annotated[str, Element("SW0015")]
    size_type: Annotated[str, Element("SW0016")]
    seal: Annotated[str, Element("SW0017")] | None = None


class GoodsItem(Strict):
    hs_code: Annotated[str, Element("SW0018")]
    description: Annotated[str, Element("SW0019")]
    quantity: Annotated[Decimal, Element("SW0020")]
    unit: Annotated[str, Element("SW0021")]
    gross_weight_kg: Annotated[Decimal, Element("SW0022")]
    net_weight_kg: Annotated[Decimal, Element("SW0023")]
    value: Annotated[Decimal, Element("SW0024")]
    origin_country: Annotated[str, Element("SW0025")]
    package_count: Annotated[int, Element("SW0026")] | None = None
    package_type: Annotated[str, Element("SW0027")] | None = None
    licence_number: Annotated[str, Element("SW0028")] | None = None
    origin_certificate_number: Annotated[str, Element("SW0055")] | None = None

    @field_validator("net_weight_kg")
    @classmethod
    def net_within_gross(cls, net: Decimal, info: ValidationInfo) -> Decimal:
        gross = info.data.get("gross_weight_kg")
        if gross is not None and net > gross:
            raise ValueError(f"net weight {net} kg exceeds gross weight {gross} kg")
        return net


class AttachedDocument(Strict):
    """随附单证: a supervision certificate (监管证件) the declaration relies on, by code and number."""

    code: Annotated[str, Element("SW0085")]
    number: Annotated[str, Element("SW0086")]


def _amount_or_rate(amount: Decimal | None, currency: str | None, rate: Decimal | None, what: str) -> None:
    """报关单 运费/保费: a total in a currency (mark 3) or a percentage rate (mark 1), never both, never half."""
    if rate is not None:
        if amount is not None or currency is not None:
            raise ValueError(f"declare the {what} as an amount with its currency or as a rate, not both")
        if rate > 100:
            raise ValueError(f"a {what} rate of {rate}% is more than the goods are worth")
    elif amount is None or currency is None:
        raise ValueError(f"the {what} needs an amount and its currency, or a rate")


class Freight(Strict):
    """Freight to the place of import the price does not include: a total, or a rate of the goods value."""

    amount: Annotated[Decimal, Element("SW0056")] | None = None
    currency: Annotated[str, Element("SW0057")] | None = None
    rate_percent: Annotated[Decimal, Element("SW0058")] | None = None

    @model_validator(mode="after")
    def amount_or_rate(self) -> "Freight":
        _amount_or_rate(self.amount, self.currency, self.rate_percent, "freight")
        return self


class Insurance(Strict):
    """Insurance to the place of import the price does not include: a total, or a rate of value plus freight."""

    amount: Annotated[Decimal, Element("SW0059")] | None = None
    currency: Annotated[str, Element("SW0060")] | None = None
    rate_percent: Annotated[Decimal, Element("SW0061")] | None = None

    @model_validator(mode="after")
    def amount_or_rate(self) -> "Insurance":
        _amount_or_rate(self.amount, self.currency, self.rate_percent, "insurance")
        return self


class CargoDeclaration(Strict):
    """What a trader enters once, for every agency."""

    type: Annotated[
        Literal["import", "export"], Field(title="Declaration type", json_schema_extra={"x-element": "SW0001"})
    ]
    reference: Annotated[str, Element("SW0002")]
    consignor: TradeParty
    consignee: TradeParty
    trade_mode: Annotated[str, Element("SW0007")]
    transport_mode: Annotated[str, Element("SW0008")]
    port_of_loading: Annotated[str, Element("SW0009")]
    port_of_discharge: Annotated[str, Element("SW0010")]
    country: Annotated[str, Element("SW0011")]
    currency: Annotated[str, Element("SW0012")]
    incoterm: Annotated[str, Element("SW0013")]
    bill_of_lading: Annotated[str, Element("SW0014")]
    duty_exemption: Annotated[str, Element("SW0084")] | None = None
    freight: Freight | None = None
    insurance: Insurance | None = None
    containers: list[Container] = Field(default_factory=list, max_length=999)
    documents: list[AttachedDocument] = Field(default_factory=list, max_length=99)
    goods: list[GoodsItem] = Field(min_length=1, max_length=MAX_GOODS_ITEMS)

    @property
    def total_value(self) -> Decimal:
        return sum((item.value for item in self.goods), Decimal(0))


document_types.register_model("cargo_declaration", CargoDeclaration)


class CancelRequest(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class AgencyStatus(BaseModel):
    agency: str
    status: TaskStatus
    reason: str | None = None
    updated_at: datetime


class JointInspectionOut(BaseModel):
    revision: int
    status: str
    agencies: list[str]
    results: dict[str, str]


class DeclarationOut(BaseModel):
    id: uuid.UUID
    reference: str
    document_type: str
    type: str
    status: DeclarationStatus
    revision: int
    catalogue_version: str
    created_at: datetime
    updated_at: datetime
    agencies: list[AgencyStatus]
    inspection: JointInspectionOut | None = None
    data: Annotated[
        dict[str, Any] | None,
        Field(description="The document as accepted (never re-judged by a later catalogue edition); None for agencies"),
    ] = None


class DeclarationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    reference: str
    document_type: str
    type: str
    status: DeclarationStatus
    revision: int
    created_at: datetime
    updated_at: datetime


class DeclarationList(BaseModel):
    items: list[DeclarationSummary]
    total: int
    limit: int
    offset: int


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    kind: str
    status: str
    agency: str | None
    revision: int
    detail: dict[str, object]


class AgencyDecision(Strict):
    """An agency's answer on one declaration revision, as carried by an inbound message."""

    decision: Literal["release", "inspect", "reject", "inspection_passed", "inspection_failed"]
    reason: Annotated[str, Field(max_length=500)] | None = None

    @model_validator(mode="after")
    def reason_for_negative(self) -> "AgencyDecision":
        if self.decision in {"reject", "inspection_failed"} and not self.reason:
            raise ValueError(f"a reason is required with {self.decision!r}")
        return self
