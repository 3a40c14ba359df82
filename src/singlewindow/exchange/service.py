"""Exchange use cases: enqueue in the caller's transaction, claim, record outcomes, receive.

Nothing here sends: callers enqueue outbox rows in their own transaction, and the
dispatcher delivers them after commit, so a message exists if and only if the change did.
"""

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.errors import NotFound
from singlewindow.exchange.backoff import retry_delay
from singlewindow.exchange.errors import UnknownMessageKind
from singlewindow.exchange.events import MessageDeadLettered, MessageDelivered
from singlewindow.exchange.models import Counterparty, InboxMessage, OutboxMessage, OutboxStatus
from singlewindow.exchange.ports import DeliveryFailed, Outbound
from singlewindow.exchange.schemas import CounterpartyIn, ExchangeHealth, InboundAck, InboundEnvelope
from singlewindow.kit import events
from singlewindow.kit.clock import utcnow
from singlewindow.kit.ids import new_id
from singlewindow.settings import Settings

JSON = "application/json"
InboundHandler = Callable[[AsyncSession, str, InboundEnvelope], Awaitable[str]]
AWAITING_DELIVERY = (OutboxStatus.PENDING, OutboxStatus.RELAYED)
_inbound_handlers: dict[str, InboundHandler] = {}


@dataclass(frozen=True, slots=True)
class NewMessage:
    destination: str
    kind: str
    payload: dict[str, Any]
    subject_id: uuid.UUID | None = None
    revision: int | None = None


def register_inbound(kind: str, handler: InboundHandler) -> None:
    _inbound_handlers[kind] = handler


def canonical_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str).encode()


async def enqueue(session: AsyncSession, messages: Sequence[NewMessage]) -> list[uuid.UUID]:
    """Add messages to the outbox in one multi-row insert, in the caller's transaction."""
    if not messages:
        return []
    now = utcnow()
    ids = [new_id() for _ in messages]
    rows = []
    for message_id, m in zip(ids, messages, strict=True):
        body = canonical_json(
            {
                "message_id": str(message_id),
                "kind": m.kind,
                "subject_id": str(m.subject_id) if m.subject_id else None,
                "revision": m.revision,
                "payload": m.payload,
            }
        )
        rows.append(
            {
                "id": message_id,
                "created_at": now,
                "destination": m.destination,
                "kind": m.kind,
                "subject_id": m.subject_id,
                "revision": m.revision,
                "content_type": JSON,
                "body": body,
                "sha256": hashlib.sha256(body).hexdigest(),
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
            }
        )
    # Core insert into the table: the ORM's bulk path adds per-row mapper work (about a fifth
    # of enqueue's function calls) for rows no session ever holds as objects.
    await session.execute(insert(cast(Table, OutboxMessage.__table__)), rows)
    return ids


async def claim_due(
    session: AsyncSession, *, limit: int, lease_seconds: float, count_attempt: bool = True
) -> list[Outbound]:
    """Take up to ``limit`` due messages for ``lease_seconds``.

    The lease is the next attempt time itself: a worker that dies holding messages simply
    lets them fall due again. On PostgreSQL, SKIP LOCKED lets workers claim side by side.
    The broker relay claims without ``count_attempt``: handing a message to the broker is
    not an attempt to deliver it; the consumer counts the attempt when it records the outcome.
    """
    now = utcnow()
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(await session.scalars(due))
    if not ids:
        return []
    rows = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(
            next_attempt_at=now + timedelta(seconds=lease_seconds),
            attempts=OutboxMessage.attempts + 1 if count_attempt else OutboxMessage.attempts,
        )
        .returning(
            OutboxMessage.id,
            OutboxMessage.destination,
            OutboxMessage.kind,
            OutboxMessage.subject_id,
            OutboxMessage.revision,
            OutboxMessage.content_type,
            OutboxMessage.body,
            OutboxMessage.attempts,
        )
    )
    claimed = [
        Outbound(
            message_id=row.id,
            destination=row.destination,
            kind=row.kind,
            subject_id=row.subject_id,
            revision=row.revision,
            content_type=row.content_type,
            body=row.body,
            attempt=row.attempts,
        )
        for row in rows
    ]
    claimed.sort(key=lambda m: m.message_id)
    return claimed


async def mark_delivered(session: AsyncSession, message: Outbound) -> None:
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.message_id, OutboxMessage.status.in_(AWAITING_DELIVERY))
        .values(status=OutboxStatus.DELIVERED, delivered_at=utcnow(), last_error=None, attempts=message.attempt)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        await events.publish(
            session,
            MessageDelivered(
                message.message_id, message.destination, message.kind, message.subject_id, message.revision
            ),
        )


async def mark_failed(session: AsyncSession, message: Outbound, failure: DeliveryFailed, settings: Settings) -> None:
    reason = str(failure)[:500]
    if failure.permanent or message.attempt >= settings.retry_max_attempts:
        dead = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.message_id, OutboxMessage.status.in_(AWAITING_DELIVERY))
            .values(status=OutboxStatus.DEAD, last_error=reason, attempts=message.attempt)
        )
        if not dead.rowcount:  # type: ignore[attr-defined]
            return
        await events.publish(
            session,
            MessageDeadLettered(message.message_id, message.destination, message.kind, message.subject_id, reason),
        )
        return
    delay = retry_delay(message.attempt, settings.retry_base_seconds, settings.retry_cap_seconds)
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.message_id, OutboxMessage.status.in_(AWAITING_DELIVERY))
        .values(
            status=OutboxStatus.PENDING,
            next_attempt_at=utcnow() + timedelta(seconds=delay),
            last_error=reason,
            attempts=message.attempt,
        )
    )


async def mark_relayed(session: AsyncSession, ids: Sequence[uuid.UUID], *, recheck_seconds: float) -> None:
    """The broker confirmed these messages; re-offer any still undelivered after ``recheck_seconds``.

    The recheck is a safety net, not the retry path: a consumer records every outcome here,
    so a relayed row falls due again only if the broker lost it or no consumer ran for that long.
    """
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.RELAYED, next_attempt_at=utcnow() + timedelta(seconds=recheck_seconds))
    )


async def release(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    """Give back claims the relay could not hand to the broker, so they are due at once when it returns."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.PENDING)
        .values(next_attempt_at=utcnow())
    )


async def reoffer_stale_relayed(session: AsyncSession) -> int:
    """Relayed messages past their recheck time go back to pending, to be relayed again."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.RELAYED, OutboxMessage.next_attempt_at <= utcnow())
        .values(status=OutboxStatus.PENDING)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def next_attempt(session: AsyncSession, message_id: uuid.UUID) -> int | None:
    """The attempt number a consumer is about to make, or None if the message needs no delivery any more."""
    attempts = await session.scalar(
        select(OutboxMessage.attempts).where(
            OutboxMessage.id == message_id, OutboxMessage.status.in_(AWAITING_DELIVERY)
        )
    )
    return None if attempts is None else attempts + 1


async def dead_letters(session: AsyncSession, *, limit: int = 100, offset: int = 0) -> tuple[list[OutboxMessage], int]:
    where = OutboxMessage.status == OutboxStatus.DEAD
    total = await session.scalar(select(func.count()).select_from(OutboxMessage).where(where)) or 0
    rows = await session.scalars(
        select(OutboxMessage).where(where).order_by(OutboxMessage.created_at).limit(limit).offset(offset)
    )
    return list(rows), total


async def replay(session: AsyncSession, message_id: uuid.UUID, *, actor: str) -> OutboxMessage:
    """Put a dead letter back in the queue with a fresh set of attempts."""
    message = await session.get(OutboxMessage, message_id)
    if message is None or message.status is not OutboxStatus.DEAD:
        raise NotFound(f"no dead letter {message_id}")
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    await session.flush()
    await audit.record(session, actor=actor, action="exchange.replayed", subject=str(message_id))
    return message


async def receive(
    session: AsyncSession, sender: str, envelope: InboundEnvelope, raw: bytes, content_type: str
) -> InboundAck:
    """Apply an inbound message once: a repeat of the sender's message id changes nothing."""
    seen = await session.scalar(
        select(InboxMessage.outcome).where(
            InboxMessage.sender == sender, InboxMessage.sender_message_id == envelope.message_id
        )
    )
    if seen is not None:
        return InboundAck(message_id=envelope.message_id, duplicate=True, outcome=seen)
    handler = _inbound_handlers.get(envelope.kind)
    if handler is None:
        raise UnknownMessageKind(f"no handler for message kind {envelope.kind!r}; known: {sorted(_inbound_handlers)}")
    outcome = await handler(session, sender, envelope)
    session.add(
        InboxMessage(
            sender=sender,
            sender_message_id=envelope.message_id,
            kind=envelope.kind,
            subject_id=envelope.subject_id,
            content_type=content_type,
            body=raw,
            sha256=hashlib.sha256(raw).hexdigest(),
            outcome=outcome[:200],
        )
    )
    await session.flush()
    return InboundAck(message_id=envelope.message_id, duplicate=False, outcome=outcome)


async def messages_about(
    session: AsyncSession, subject_id: uuid.UUID
) -> tuple[list[OutboxMessage], list[InboxMessage]]:
    outbound = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.subject_id == subject_id).order_by(OutboxMessage.created_at)
    )
    inbound = await session.scalars(
        select(InboxMessage).where(InboxMessage.subject_id == subject_id).order_by(InboxMessage.received_at)
    )
    return list(outbound), list(inbound)


async def undelivered_to(session: AsyncSession, destinations: Sequence[str], *, limit: int) -> list[OutboxMessage]:
    """Messages to these destinations still waiting, retrying or dead, newest first.

    Reads through ``ix_outbox_status_destination``: undelivered rows are few, delivered ones are not.
    """
    if not destinations:
        return []
    rows = await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status.in_([*AWAITING_DELIVERY, OutboxStatus.DEAD]))
        .where(OutboxMessage.destination.in_(destinations))
        .order_by(OutboxMessage.created_at.desc())
        .limit(limit)
    )
    return list(rows)


async def health(session: AsyncSession) -> list[ExchangeHealth]:
    pending = OutboxMessage.status.in_(AWAITING_DELIVERY)
    retrying = and_(pending, OutboxMessage.attempts > 0)
    rows = await session.execute(
        select(
            OutboxMessage.destination,
            func.sum(case((and_(pending, OutboxMessage.attempts == 0), 1), else_=0)),
            func.sum(case((retrying, 1), else_=0)),
            func.sum(case((OutboxMessage.status == OutboxStatus.DEAD, 1), else_=0)),
            func.sum(case((OutboxMessage.status == OutboxStatus.DELIVERED, 1), else_=0)),
        )
        .group_by(OutboxMessage.destination)
        .order_by(OutboxMessage.destination)
    )
    return [
        ExchangeHealth(destination=d, pending=p or 0, retrying=r or 0, dead=x or 0, delivered=v or 0)
        for d, p, r, x, v in rows
    ]


async def counterparties(session: AsyncSession) -> list[Counterparty]:
    return list(await session.scalars(select(Counterparty).order_by(Counterparty.code)))


async def put_counterparty(session: AsyncSession, data: CounterpartyIn, *, actor: str) -> Counterparty:
    counterparty = await session.get(Counterparty, data.code)
    if counterparty is None:
        counterparty = Counterparty(code=data.code)
        session.add(counterparty)
    for field, value in data.model_dump(exclude={"code"}).items():
        setattr(counterparty, field, value)
    await session.flush()
    await audit.record(session, actor=actor, action="exchange.counterparty_set", subject=data.code)
    return counterparty
