"""Identity request and response bodies."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from singlewindow.catalogue.check_digits import uscc_problem
from singlewindow.identity.models import PartyKind

EnterpriseRole = Literal["importer", "exporter", "customs_broker", "carrier", "forwarder"]
UserRole = Literal["admin", "declarant", "viewer"]
Username = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{2,79}$")]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128)]


def _valid_uscc(code: str) -> str:
    problem = uscc_problem(code)
    if problem:
        raise ValueError(f"not a valid unified social credit code: {problem}")
    return code


Uscc = Annotated[str, StringConstraints(to_upper=True, strip_whitespace=True), AfterValidator(_valid_uscc)]
CustomsCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{10}$", to_upper=True)]


class AdminUser(BaseModel):
    username: Username
    password: Password


class EnterpriseRegistration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    uscc: Uscc
    customs_code: CustomsCode | None = None
    address: Annotated[str, StringConstraints(max_length=300)] | None = None
    roles: list[EnterpriseRole] = Field(min_length=1, max_length=5)
    admin: AdminUser


class PartyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: PartyKind
    name: str
    uscc: str | None
    customs_code: str | None
    agency_code: str | None
    address: str | None
    roles: list[str]
    created_at: datetime


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the OAuth2 token type, not a secret)
    expires_in: int


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    roles: list[UserRole] = Field(default=["declarant"], min_length=1)


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    roles: list[str]
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="Shown once; only its hash is stored")


class Me(BaseModel):
    party: PartyOut
    roles: list[str]
    user_id: uuid.UUID | None
