"""Webhook subscriptions, the handler that turns status events into outbox messages, and portal notifications."""

import secrets
import uuid
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from singlewindow.audit import service as audit
from singlewindow.declarations.events import DeclarationStatusChanged
from singlewindow.errors import NotFound
from singlewindow.exchange import service as exchange
from singlewindow.exchange.models import OutboxMessage
from singlewindow.exchange.ports import Adapter, AdapterResolver
from singlewindow.exchange.service import NewMessage
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.notifications.adapter import WebhookAdapter
from singlewindow.notifications.models import PortalNotification, Webhook
from singlewindow.notifications.schemas import WebhookCreate

DESTINATION_PREFIX = "webhook:"
STATUS_CHANGED = "declaration.status_changed"


async def subscribe(session: AsyncSession, principal: Principal, data: WebhookCreate) -> Webhook:
    ensure(principal, "webhook:manage")
    webhook = Webhook(party_id=principal.party_id, url=data.url, secret=data.secret or secrets.token_urlsafe(32))
    session.add(webhook)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="webhook.created", subject=str(webhook.id))
    return webhook


async def webhooks_of(session: AsyncSession, principal: Principal) -> list[Webhook]:
    ensure(principal, "webhook:read")
    rows = await session.scalars(
        select(Webhook).where(Webhook.party_id == principal.party_id).order_by(Webhook.created_at)
    )
    return list(rows)


async def undelivered(
    session: AsyncSession, principal: Principal, *, limit: int = 10
) -> list[tuple[Webhook, OutboxMessage]]:
    """Notifications to the party's active webhooks that have not arrived yet: waiting, retrying or dead."""
    hooks = {f"{DESTINATION_PREFIX}{h.id}": h for h in await webhooks_of(session, principal) if h.active}
    messages = await exchange.undelivered_to(session, list(hooks), limit=limit)
    return [(hooks[m.destination], m) for m in messages]


async def unsubscribe(session: AsyncSession, principal: Principal, webhook_id: uuid.UUID) -> None:
    ensure(principal, "webhook:manage")
    webhook = await session.get(Webhook, webhook_id)
    if webhook is None or webhook.party_id != principal.party_id:
        raise NotFound("no such webhook")
    webhook.active = False
    await session.flush()
    await audit.record(session, actor=principal.actor, action="webhook.removed", subject=str(webhook_id))


async def webhook_destinations(session: AsyncSession, party_id: uuid.UUID) -> list[str]:
    """Outbox destinations of a party's active webhooks, for other contexts that push their own events."""
    hooks = await session.scalars(select(Webhook.id).where(Webhook.party_id == party_id, Webhook.active))
    return [f"{DESTINATION_PREFIX}{hook}" for hook in hooks]


async def on_status_changed(session: AsyncSession, event: DeclarationStatusChanged) -> None:
    """One outbox message per active webhook of the declarant; the dispatcher signs and sends."""
    hooks = await session.scalars(select(Webhook.id).where(Webhook.party_id == event.party_id, Webhook.active))
    payload = {
        "event": STATUS_CHANGED,
        "declaration_id": str(event.declaration_id),
        "reference": event.reference,
        "status": event.status,
        "previous": event.previous,
        "revision": event.revision,
        "at": event.at.isoformat(),
    }
    await exchange.enqueue(
        session,
        [
            NewMessage(f"{DESTINATION_PREFIX}{hook}", STATUS_CHANGED, payload, event.declaration_id, event.revision)
            for hook in hooks
        ],
    )


def notify_portal(
    session: AsyncSession, party_id: uuid.UUID, kind: str, params: dict[str, Any], link: str | None = None
) -> None:
    """Tell a party something on the portal, in the caller's transaction (other contexts call this)."""
    session.add(PortalNotification(party_id=party_id, kind=kind, params=params, link=link))


async def portal_notifications(
    session: AsyncSession, principal: Principal, *, unread_only: bool = False, limit: int = 20
) -> list[PortalNotification]:
    """The party's newest notifications (a broker acting for a client sees the client's)."""
    ensure(principal, "profile:read")
    query = select(PortalNotification).where(PortalNotification.party_id == principal.party_id)
    if unread_only:
        query = query.where(PortalNotification.read_at.is_(None))
    query = query.order_by(PortalNotification.created_at.desc(), PortalNotification.id.desc()).limit(limit)
    return list(await session.scalars(query))


async def mark_read(session: AsyncSession, principal: Principal) -> int:
    """Mark every unread notification of the party read; how many were."""
    ensure(principal, "profile:read")
    result = await session.execute(
        update(PortalNotification)
        .where(PortalNotification.party_id == principal.party_id, PortalNotification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def webhook_resolver(sessions: async_sessionmaker[AsyncSession], client: httpx.AsyncClient) -> AdapterResolver:
    """Resolve ``webhook:<id>`` to an adapter holding that webhook's URL and secret."""

    async def resolve(destination: str) -> Adapter | None:
        webhook_id = uuid.UUID(destination.removeprefix(DESTINATION_PREFIX))
        async with sessions() as session:
            webhook = await session.get(Webhook, webhook_id)
        if webhook is None or not webhook.active:
            return None
        return WebhookAdapter(client, webhook.url, webhook.secret)

    return resolve
