"""Identity request and response bodies."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from singlewindow.catalogue.check_digits import uscc_problem
from singlewindow.identity import passwords
from singlewindow.identity.models import CreditLevel, PartyKind

EnterpriseRole = Literal["importer", "exporter", "customs_broker", "carrier", "forwarder"]
UserRole = Literal["admin", "declarant", "finance", "viewer"]
Username = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{2,79}$")]
Email = Annotated[
    str, StringConstraints(pattern=r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$", max_length=254, strip_whitespace=True)
]


def _valid_password(password: str) -> str:
    problem = passwords.problem(password)
    if problem:
        raise ValueError(f"password {problem}")
    return password


Password = Annotated[
    str,
    StringConstraints(min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH),
    AfterValidator(_valid_password),
]


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
    legal_representative: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] | None = None
    contact_email: Email | None = Field(default=None, description="A verification link is mailed here")
    roles: list[EnterpriseRole] = Field(min_length=1, max_length=5)
    admin: AdminUser


class EmailVerification(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, StringConstraints(min_length=10, max_length=100)]


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
    legal_representative: str | None = None
    contact_email: str | None = None
    email_verified_at: datetime | None = None
    credit_level: CreditLevel | None = None
    created_at: datetime


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the OAuth2 token type, not a secret)
    expires_in: int
    scope: str | None = None


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    roles: list[UserRole] = Field(default=["declarant"], min_length=1)


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID = Field(description="The OAuth2 client_id")
    name: str
    prefix: str
    roles: list[str]
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="Shown once; only its hash is stored. Also the OAuth2 client_secret")


class Me(BaseModel):
    party: PartyOut
    roles: list[str]
    permissions: list[str]
    user_id: uuid.UUID | None
    acting_for: uuid.UUID | None = Field(default=None, description="The client party when acting as its broker")
    issuer: str | None = Field(default=None, description="Set when signed in at a trusted peer deployment")


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    password: Password
    roles: list[UserRole] = Field(min_length=1, max_length=4)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    roles: list[str]
    active: bool
    totp_enabled: bool
    locked_until: datetime | None
    created_at: datetime


class TotpEnrolment(BaseModel):
    secret: str = Field(description="Shown once: enter it (or the URI's QR code) in an authenticator app")
    otpauth_uri: str


class TotpCode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]


class DelegationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    broker_uscc: Uscc


class DelegationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    client_party_id: uuid.UUID
    broker_party_id: uuid.UUID
    granted_by: str
    created_at: datetime
    revoked_at: datetime | None


class CreditLevelChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: CreditLevel
    reason: Annotated[str, StringConstraints(min_length=1, max_length=300)]


class Revocations(BaseModel):
    issuer: str
    users: dict[str, int] = Field(description="user id -> the lowest token version still valid")
