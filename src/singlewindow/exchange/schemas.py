"""Exchange bodies: the inbound envelope agencies post, and message listings."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from singlewindow.exchange.models import OutboxStatus


class InboundEnvelope(BaseModel):
    """What a counterparty sends: its own message id, what the message is about, and its content."""

    model_config = ConfigDict(extra="forbid")

    message_id: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{1,39}$")]
    subject_id: uuid.UUID
    revision: Annotated[int, Field(ge=1)]
    issued_at: AwareDatetime = Field(description="When the sender decided, with its UTC offset; later decisions win")
    payload: dict[str, Any] = Field(default_factory=dict)


class InboundAck(BaseModel):
    message_id: str
    duplicate: bool
    outcome: str


class OutboxOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    destination: str
    kind: str
    subject_id: uuid.UUID | None
    revision: int | None
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sha256: str
    created_at: datetime
    delivered_at: datetime | None


class InboxOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    sender: str
    sender_message_id: str
    kind: str
    subject_id: uuid.UUID | None
    sha256: str
    received_at: datetime
    outcome: str


class MessageArchive(BaseModel):
    outbound: list[OutboxOut]
    inbound: list[InboxOut]


class ExchangeHealth(BaseModel):
    destination: str
    pending: int
    retrying: int
    dead: int
    delivered: int


class CounterpartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_:-]{1,79}$")]
    name: str
    adapter: str = "json-http"
    endpoint: Annotated[str, StringConstraints(pattern=r"^https?://")]
    auth_token: str | None = None
    enabled: bool = True
