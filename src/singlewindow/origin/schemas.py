"""The certificate's signed content (RCEP Form / ATIGA e-Form D data elements) and API bodies."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from singlewindow.origin.models import CertificateStatus

Code2 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Amount = Annotated[str, StringConstraints(pattern=r"^\d{1,18}(\.\d{1,4})?$")]
"""Quantities and values travel as the decimal text the exporter declared, so signing never reformats them."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Party(Strict):
    name: Text
    country: Code2
    address: Text | None = None
    identifier: Annotated[str, StringConstraints(max_length=35)] | None = None


class Issuer(Strict):
    country: Code2
    code: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")]
    name: Text


class Transport(Strict):
    mode: Annotated[str, StringConstraints(pattern=r"^\d$")]
    port_of_loading: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Z0-9]{3}$")]
    port_of_discharge: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Z0-9]{3}$")]


class Invoice(Strict):
    number: Annotated[str, StringConstraints(min_length=1, max_length=35)]
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class Item(Strict):
    seq: int = Field(ge=1, le=50)
    hs_code: Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
    description: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    quantity: Amount
    unit: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,3}$")]
    gross_weight_kg: Amount
    value: Amount
    origin_criterion: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,3}$")] | None = None


class CertificateContent(Strict):
    """Everything the issuing body certifies; the signature covers exactly these fields."""

    number: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{8,40}$")]
    issued_at: datetime
    valid_until: datetime
    issuer: Issuer
    agreement: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,10}$")] | None = None
    exporting_country: Code2
    importing_country: Code2
    exporter: Party
    producer: Party | None = None
    """RCEP Annex 3B: the producer's name and address, if known."""
    consignee: Party
    transport: Transport
    invoice: Invoice
    goods: list[Item] = Field(min_length=1, max_length=50)


class Verification(BaseModel):
    """What anyone learns by checking a certificate number."""

    number: str
    found: bool = True
    status: CertificateStatus
    signature_valid: bool
    expired: bool
    valid: bool
    key_id: str
    signature: str
    certificate: dict[str, Any]


class CertificateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    declaration_id: uuid.UUID
    agreement: str | None
    exporting_country: str
    importing_country: str
    status: CertificateStatus
    issued_at: datetime
    valid_until: datetime
    revoked_reason: str | None


class ReceivedOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    agreement: str | None
    exporting_country: str
    importing_country: str
    key_id: str
    issued_at: datetime
    valid_until: datetime
    received_by: str
    created_at: datetime


class Revocation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(min_length=3, max_length=500)]


class IssuerIn(BaseModel):
    """A foreign issuing body's key as an OKP/Ed25519 JWK (what ``GET /api/v1/origin/keys`` publishes)."""

    model_config = ConfigDict(extra="forbid")

    country: Code2
    name: Text
    kid: Annotated[str, StringConstraints(min_length=8, max_length=64)]
    x: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{43}$")]


class IssuerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kid: str
    country: str
    name: str
    public_key: str
    added_by: str
    created_at: datetime
