"""Events the exchange publishes for other contexts to react to."""

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MessageDelivered:
    message_id: uuid.UUID
    destination: str
    kind: str
    subject_id: uuid.UUID | None
    revision: int | None


@dataclass(frozen=True, slots=True)
class MessageDeadLettered:
    message_id: uuid.UUID
    destination: str
    kind: str
    subject_id: uuid.UUID | None
    reason: str
