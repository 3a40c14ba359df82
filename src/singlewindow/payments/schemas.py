"""Request and response bodies: orders with their explained assessment, payments, receipts, rates, port charges."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from singlewindow.payments.models import OrderStatus, PaymentStatus

Account = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z-]{4,40}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Month = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
Locode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")]
Behaviour = Literal["accept", "decline", "timeout"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PayRequest(Strict):
    payer_account: Account = Field(description="The trader's account the bank debits")
    bank: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{1,30}$")] = "simulated"


class GuaranteeRequest(Strict):
    reference: Annotated[str, StringConstraints(min_length=4, max_length=60)] = Field(
        description="The bank guarantee (保函) or guarantee insurance policy number"
    )


class ExplainedLine(BaseModel):
    code: str
    formula: str
    amount: Decimal
    basis: str | None = None


class ItemOut(BaseModel):
    seq: int
    hs_code: str
    tariff_line: str
    description: str
    origin: str
    duty_rate: str
    duty_column: str
    agreement: str | None
    proof_of_origin: str | None
    preference_refused: str | None = Field(
        default=None, description="Why a conventional rate the origin could have had was not applied"
    )
    customs_value: Decimal
    duty: Decimal
    consumption_tax: Decimal
    vat: Decimal
    lines: list[ExplainedLine]


class AssessmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    declaration_id: uuid.UUID
    revision: int
    reference: str
    currency: str
    customs_value: Decimal
    duty: Decimal
    consumption_tax: Decimal
    vat: Decimal
    total: Decimal
    items: list[ItemOut]
    notes: list[ExplainedLine]
    created_at: datetime


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    order_id: uuid.UUID
    bank: str
    payer_account: str
    amount: Decimal
    currency: str
    status: PaymentStatus
    bank_reference: str | None
    reason: str | None
    created_at: datetime
    decided_at: datetime | None


class ReceiptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    issued_at: datetime
    document: dict[str, Any]
    signature: str = Field(description="Ed25519 over the canonical JSON of document, base64url without padding")
    key_id: str = Field(description="kid of the key in /.well-known/jwks.json")


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    declaration_id: uuid.UUID
    revision: int
    reference: str
    amount: Decimal
    credited: Decimal
    currency: str
    status: OrderStatus
    guarantee: str | None
    settled_at: datetime | None
    created_at: datetime


class OrderDetail(OrderOut):
    assessment: AssessmentOut
    payments: list[PaymentOut]
    receipt: ReceiptOut | None


class RateIn(Strict):
    rate: Decimal = Field(gt=0, max_digits=18, decimal_places=6, description="Yuan per one unit of the currency")
    published_on: date | None = Field(default=None, description="Defaults to the third Wednesday of the month before")
    source: Annotated[str, StringConstraints(min_length=3, max_length=300)]


class RateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    currency: str
    month: str
    rate: Decimal
    published_on: date
    source: str


class PortChargeIn(Strict):
    port: Locode
    operator: Annotated[str, StringConstraints(min_length=2, max_length=200)]
    service_code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
    service_zh: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    service_en: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    unit: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    standard: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    currency: Currency = "CNY"
    pricing: Literal["government_set", "government_guided", "market"]
    basis: Annotated[str, StringConstraints(max_length=500)] = ""
    source: Annotated[str, StringConstraints(min_length=3, max_length=500)]
    illustrative: bool = False
    effective_from: date


class PortChargeOut(PortChargeIn):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    updated_at: datetime


class Comparison(BaseModel):
    service_code: str
    unit: str
    currency: str
    charges: list[PortChargeOut]
    lowest: Decimal
    highest: Decimal


class SimulatedAccountIn(Strict):
    holder: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    balance: Decimal = Field(ge=0, max_digits=20, decimal_places=2)
    behaviour: Behaviour = "accept"


class SimulatedAccountOut(SimulatedAccountIn):
    model_config = ConfigDict(from_attributes=True)

    account: str
