"""What an adapter is: one typed Protocol every counterparty's format + transport implements."""

import uuid
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Outbound:
    message_id: uuid.UUID
    destination: str
    kind: str
    subject_id: uuid.UUID | None
    revision: int | None
    content_type: str
    body: bytes
    attempt: int


class DeliveryFailed(Exception):
    """The counterparty did not take the message; ``permanent`` skips the remaining retries."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Adapter(Protocol):
    async def deliver(self, message: Outbound) -> None:
        """Hand ``message`` to the counterparty; return only once it has accepted it."""
        ...


class AdapterResolver(Protocol):
    async def __call__(self, destination: str) -> Adapter | None: ...
