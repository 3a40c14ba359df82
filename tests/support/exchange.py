"""Helpers for the exchange tests: declarations over the API, outbox and inbox rows, agency envelopes."""

import uuid
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import func, select

from singlewindow.app import Platform
from singlewindow.exchange.models import InboxMessage, OutboxMessage
from singlewindow.kit.clock import utcnow

DECLARATIONS = "/api/v1/declarations"
EXCHANGE = "/api/v1/exchange"
INBOUND = f"{EXCHANGE}/inbound"


async def submit(client: httpx.AsyncClient, headers: dict[str, str], document: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(DECLARATIONS, json=document, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def fetch(client: httpx.AsyncClient, headers: dict[str, str], declaration_id: str) -> dict[str, Any]:
    response = await client.get(f"{DECLARATIONS}/{declaration_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def agency_statuses(declaration: dict[str, Any]) -> dict[str, str]:
    return {a["agency"]: a["status"] for a in declaration["agencies"]}


async def outbox(
    platform: Platform, *, destination: str | None = None, subject_id: str | None = None
) -> list[OutboxMessage]:
    """Outbox rows, oldest first, optionally only one destination's or one declaration's."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at, OutboxMessage.id)
    if destination is not None:
        query = query.where(OutboxMessage.destination == destination)
    if subject_id is not None:
        query = query.where(OutboxMessage.subject_id == uuid.UUID(subject_id))
    async with platform.sessions() as session:
        return list(await session.scalars(query))


async def only_outbox_row(platform: Platform, destination: str, subject_id: str) -> OutboxMessage:
    rows = await outbox(platform, destination=destination, subject_id=subject_id)
    assert len(rows) == 1, [(r.destination, r.kind) for r in rows]
    return rows[0]


IN_PROCESS_SENDERS = ("treasury",)
"""Agencies the platform runs itself (payments' treasury): their answers are not an agency system's messages."""


async def inbox(platform: Platform) -> list[InboxMessage]:
    """What agency systems sent, oldest first."""
    query = select(InboxMessage).where(InboxMessage.sender.not_in(IN_PROCESS_SENDERS))
    async with platform.sessions() as session:
        return list(await session.scalars(query.order_by(InboxMessage.received_at)))


async def inbox_count(platform: Platform) -> int:
    query = select(func.count()).select_from(InboxMessage).where(InboxMessage.sender.not_in(IN_PROCESS_SENDERS))
    async with platform.sessions() as session:
        return await session.scalar(query) or 0


def decision(
    subject_id: str,
    decision: str,
    *,
    message_id: str | None = None,
    revision: int = 1,
    issued_at: datetime | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """The envelope an agency system posts to the inbound API with one decision."""
    payload: dict[str, Any] = {"decision": decision}
    if reason is not None:
        payload["reason"] = reason
    return {
        "message_id": message_id or f"agency-{uuid.uuid4()}",
        "kind": "decision",
        "subject_id": subject_id,
        "revision": revision,
        "issued_at": (issued_at or utcnow()).isoformat(),
        "payload": payload,
    }
