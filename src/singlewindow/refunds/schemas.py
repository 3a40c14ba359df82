"""Purchase invoices, the pre-filled application and its explanation, and the tax bureau's answer."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Fen = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


class InvoiceIn(BaseModel):
    """A special VAT invoice as printed: number, date, seller, goods' HS code, amount and VAT (CNY)."""

    model_config = ConfigDict(extra="forbid")

    number: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{8,20}$")]
    issued_on: date
    supplier: Annotated[str, StringConstraints(min_length=2, max_length=200)]
    hs_code: Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{2}){0,2}$")]
    amount: Fen
    vat_amount: Fen

    @model_validator(mode="after")
    def vat_below_amount(self) -> "InvoiceIn":
        if self.vat_amount > self.amount:
            raise ValueError("vat_amount is larger than the taxable amount; amount excludes VAT")
        return self


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    issued_on: date
    supplier: str
    hs_code: str
    amount: Decimal
    vat_amount: Decimal
    claimed_by: uuid.UUID | None


class ExportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    declaration_id: uuid.UUID
    entry_number: str
    reference: str
    currency: str
    status: str
    released_at: datetime | None


class PrefillRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    export: Annotated[str, StringConstraints(min_length=1, max_length=36)] = Field(
        description="The export declaration's id, entry number or the trader's reference"
    )


class LineOut(BaseModel):
    seq: int
    hs_code: str
    description: str
    invoice_number: str
    taxable: Decimal
    vat_amount: Decimal
    refund_rate: Decimal
    refund: Decimal
    rate_source: str
    explanation: str


class Prefill(BaseModel):
    """A complete ``export_tax_refund_application`` to review and submit, and how its refund was computed."""

    submit_to: str = "/api/v1/declarations/export_tax_refund_application"
    document: dict[str, Any]
    lines: list[LineOut]
    skipped: list[str]
    total_refund: Decimal
    currency: Literal["CNY"] = "CNY"


class ApplicationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    declaration_id: uuid.UUID
    reference: str
    export_declaration_id: uuid.UUID | None
    status: str
    currency: str
    claimed_amount: Decimal | None
    approved_amount: Decimal | None
    lines: list[dict[str, Any]]
    submitted_at: datetime
    decided_at: datetime | None


class RefundDecision(BaseModel):
    """The tax bureau's refund answer (inbound message kind ``export_tax_refund_decision``)."""

    model_config = ConfigDict(extra="forbid")

    refund_amount: Fen
    currency: Literal["CNY"]
