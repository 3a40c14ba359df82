"""Where a message goes in RabbitMQ and how it travels: pure functions, shared by relay and consumer.

A destination always maps to the same shard queue (a stable hash, not Python's salted
``hash``), so with a single active consumer per shard a counterparty receives its messages
in the order they were relayed.
"""

import uuid
import zlib
from typing import Any

from singlewindow.exchange.ports import Outbound
from singlewindow.settings import Settings


def queue_names(settings: Settings) -> list[str]:
    return [f"{settings.rabbitmq_queue_prefix}.{shard}" for shard in range(settings.rabbitmq_shards)]


def queue_for(destination: str, settings: Settings) -> str:
    shard = zlib.crc32(destination.encode()) % settings.rabbitmq_shards
    return f"{settings.rabbitmq_queue_prefix}.{shard}"


def queue_arguments(settings: Settings) -> dict[str, Any]:
    """Quorum queues: replicated by Raft and written to disk on a majority before the confirm."""
    arguments: dict[str, Any] = {"x-queue-type": "quorum"}
    if settings.rabbitmq_single_active_consumer:
        arguments["x-single-active-consumer"] = True
    return arguments


def headers_of(message: Outbound) -> dict[str, Any]:
    """What the consumer needs besides the body; the attempt count stays in the database."""
    return {
        "destination": message.destination,
        "kind": message.kind,
        "subject_id": str(message.subject_id) if message.subject_id else None,
        "revision": message.revision,
    }


class MalformedMessage(ValueError):
    """A queued message without what the relay always sets: not ours, or corrupted."""


def outbound_from(
    message_id: str | None, headers: dict[str, Any], content_type: str | None, body: bytes, attempt: int
) -> Outbound:
    try:
        subject = headers.get("subject_id")
        revision = headers.get("revision")
        return Outbound(
            message_id=uuid.UUID(str(message_id)),
            destination=str(headers["destination"]),
            kind=str(headers["kind"]),
            subject_id=uuid.UUID(str(subject)) if subject else None,
            revision=int(revision) if revision is not None else None,
            content_type=content_type or "application/json",
            body=body,
            attempt=attempt,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise MalformedMessage(f"message {message_id!r} lacks routing headers: {exc}") from exc
