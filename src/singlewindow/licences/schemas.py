"""Request and response bodies of the registry; amounts are Decimals in the API, integer units inside."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from singlewindow.catalogue.code_lists import code_lists
from singlewindow.licences.kinds import kinds
from singlewindow.licences.models import LicenceStatus, UseState

HsPrefix = Annotated[str, StringConstraints(pattern=r"^[0-9]{4,10}$")]
Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4)]
Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LicenceGoodsIn(Strict):
    """A line: the HS code or heading it covers, and how much of it (quantity in ``unit``, value in ``currency``)."""

    hs_code: HsPrefix
    description: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    quantity: Amount | None = None
    unit: str | None = None
    value: Money | None = None
    currency: str | None = None

    @field_validator("unit")
    @classmethod
    def known_unit(cls, unit: str | None) -> str | None:
        if unit is not None and unit not in code_lists().get("unit"):
            raise ValueError(f"{unit!r} is not a UN/ECE Recommendation 20 unit code")
        return unit

    @field_validator("currency")
    @classmethod
    def known_currency(cls, currency: str | None) -> str | None:
        if currency is not None and currency not in code_lists().get("currency"):
            raise ValueError(f"{currency!r} is not an ISO 4217 currency code")
        return currency

    @model_validator(mode="after")
    def limited(self) -> Self:
        if self.quantity is None and self.value is None:
            raise ValueError("a line allows a quantity, a value or both")
        if (self.quantity is None) != (self.unit is None):
            raise ValueError("a quantity needs its unit, and a unit its quantity")
        if (self.value is None) != (self.currency is None):
            raise ValueError("a value needs its currency, and a currency its value")
        return self


class LicenceIssue(Strict):
    """What an issuing agency's officer enters to issue a licence directly."""

    kind: str
    holder_uscc: Annotated[str, StringConstraints(min_length=18, max_length=18)]
    valid_from: date
    valid_until: date
    goods: list[LicenceGoodsIn] = Field(min_length=1, max_length=50)

    @field_validator("kind")
    @classmethod
    def known_kind(cls, kind: str) -> str:
        if kind not in kinds():
            raise ValueError(f"{kind!r} is not a licence kind; one of {', '.join(kinds())}")
        return kind

    @model_validator(mode="after")
    def in_order(self) -> Self:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class LicenceRevoke(Strict):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class LicenceGoodsOut(BaseModel):
    line: int
    hs_code: str
    description: str
    unit: str | None
    quantity_allowed: Decimal | None
    quantity_used: Decimal
    quantity_reserved: Decimal
    quantity_available: Decimal | None
    currency: str | None
    value_allowed: Decimal | None
    value_used: Decimal
    value_reserved: Decimal
    value_available: Decimal | None


class LicenceOut(BaseModel):
    number: str
    kind: str
    kind_name: str
    agency: str
    holder_party_id: uuid.UUID
    holder_uscc: str | None
    holder_name: str
    valid_from: date
    valid_until: date
    status: LicenceStatus
    revoked_reason: str | None
    application_id: uuid.UUID | None
    issued_by: str
    created_at: datetime
    goods: list[LicenceGoodsOut]


class LicenceUseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    declaration_id: uuid.UUID
    reference: str
    revision: int
    item: int
    line: int
    quantity: Decimal
    value: Decimal
    state: UseState
    created_at: datetime
    updated_at: datetime


class Verification(BaseModel):
    """The answer to "could this licence cover this much of this HS code now?"; ``reasons`` say why not."""

    number: str
    valid: bool
    status: LicenceStatus | None
    hs_code: str | None
    quantity: Decimal | None
    line: int | None
    quantity_available: Decimal | None
    reasons: list[str]
