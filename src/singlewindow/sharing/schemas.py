"""Request and response bodies of the sharing catalogue."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from singlewindow.sharing.models import AccessLogEntry, AccessRequest, Channel, DataClass, Grant, RequestStatus, Source

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.-]{2,39}$")]
ElementId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}\d{4}$")]
Elements = Annotated[list[ElementId], Field(min_length=1, max_length=100)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class DataClassIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name_zh: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    name_en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    source: Source
    document_types: Annotated[list[Annotated[str, StringConstraints(max_length=40)]], Field(max_length=20)] = []
    elements: Elements

    @model_validator(mode="after")
    def _types_fit_the_source(self) -> "DataClassIn":
        if self.source is Source.RELEASED_DECLARATIONS and not self.document_types:
            raise ValueError("released declarations need at least one document type")
        if self.source is not Source.RELEASED_DECLARATIONS and self.document_types:
            raise ValueError(f"{self.source} are not declarations: leave document_types empty")
        return self


class FieldOut(BaseModel):
    path: str
    element: str


class DataClassOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name_zh: str
    name_en: str
    description: str
    publisher: str
    source: Source
    document_types: list[str]
    elements: list[str]
    fields: dict[str, list[FieldOut]]
    created_at: datetime


class AccessRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=1000)]
    elements: Elements
    push: bool = False
    """Also receive each new record through the exchange, not only query."""


class AccessRequestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    data_class: str
    requester: str
    purpose: str
    elements: list[str]
    push: bool
    status: RequestStatus
    requested_by: str
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    created_at: datetime


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    elements: Elements
    filters: dict[str, Annotated[list[Annotated[str, StringConstraints(max_length=40)]], Field(min_length=1)]] = {}
    expires_at: AwareDatetime
    push: bool | None = None
    """None keeps what the request asked for."""


class ReasonIn(BaseModel):
    """Why a request is refused or a grant revoked; the other agency sees it."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class GrantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    request_id: uuid.UUID
    data_class: str
    publisher: str
    subscriber: str
    elements: list[str]
    filters: dict[str, list[str]]
    push: bool
    expires_at: datetime
    granted_by: str
    revoked_at: datetime | None
    revoked_by: str | None
    revoke_reason: str | None
    live: bool
    created_at: datetime


class SharedRecordOut(BaseModel):
    """A record as the grant lets the subscriber see it: ``data`` holds only granted fields."""

    id: uuid.UUID
    document_type: str
    revision: int
    available_at: datetime
    data: dict[str, Any]


class RecordPage(BaseModel):
    data_class: str
    grant_id: uuid.UUID
    expires_at: datetime
    items: list[SharedRecordOut]
    total: int
    limit: int
    offset: int


class AccessLogOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    at: datetime
    data_class: str
    publisher: str
    subscriber: str
    actor: str
    channel: Channel
    granted: bool
    grant_id: uuid.UUID | None
    records: int
    reason: str | None


class AccessLogPage(BaseModel):
    items: list[AccessLogOut]
    total: int
    limit: int
    offset: int


def data_class_out(data_class: DataClass) -> DataClassOut:
    """Stored fields are ``[path, element]`` pairs; the API names them."""
    fields = {t: [FieldOut(path=p, element=e) for p, e in pairs] for t, pairs in data_class.fields.items()}
    return DataClassOut.model_validate(
        {name: getattr(data_class, name) for name in DataClassOut.model_fields if name != "fields"} | {"fields": fields}
    )


def request_out(request: AccessRequest, data_class: DataClass) -> AccessRequestOut:
    columns = {name: getattr(request, name) for name in AccessRequestOut.model_fields if name != "data_class"}
    return AccessRequestOut.model_validate({**columns, "data_class": data_class.code})


def grant_out(grant: Grant, data_class: DataClass, now: datetime) -> GrantOut:
    derived = {"data_class": data_class.code, "publisher": data_class.publisher, "live": grant.is_live(now)}
    columns = {name: getattr(grant, name) for name in GrantOut.model_fields if name not in derived}
    return GrantOut.model_validate({**columns, **derived})


def log_out(entry: AccessLogEntry, data_class_code: str) -> AccessLogOut:
    columns = {name: getattr(entry, name) for name in AccessLogOut.model_fields if name != "data_class"}
    return AccessLogOut.model_validate({**columns, "data_class": data_class_code})
