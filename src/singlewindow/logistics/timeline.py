"""Recording what happened to containers and bills of lading, and telling whoever follows them.

Every entry is written once per subject (container or bill of lading), so a timeline is one
indexed range read. Each new entry is pushed to the webhooks of the parties subscribed to
that subject through the exchange outbox (it leaves only if the change commits) and kept as a
portal notification of each subscriber, shown on its dashboard.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.exchange import service as exchange
from singlewindow.exchange.service import NewMessage
from singlewindow.kit.clock import utcnow
from singlewindow.kit.ids import new_id
from singlewindow.logistics import repository
from singlewindow.logistics.models import Notice, TimelineEvent
from singlewindow.notifications import service as notifications

CONTAINER = "container"
BILL = "bill_of_lading"
EVENT_MESSAGE = "logistics.event"
NOTICE_MESSAGE = "logistics.notice"


@dataclass(frozen=True, slots=True)
class Happening:
    kind: str
    source: str
    occurred_at: datetime
    detail: dict[str, Any] = field(default_factory=dict)
    declaration_id: uuid.UUID | None = None
    flagged: bool = False


def subjects(bill: str | None, containers: Iterable[str]) -> list[tuple[str, str]]:
    found = [(BILL, bill)] if bill else []
    return found + [(CONTAINER, c) for c in dict.fromkeys(containers)]


async def record(session: AsyncSession, about: list[tuple[str, str]], what: Happening) -> None:
    """One timeline entry per subject, and one webhook message per subscriber's webhook."""
    if not about:
        return
    now = utcnow()
    await session.execute(
        insert(TimelineEvent),
        [
            {
                "id": new_id(),
                "created_at": now,
                "subject_kind": kind,
                "number": number,
                "occurred_at": what.occurred_at,
                "source": what.source,
                "kind": what.kind,
                "declaration_id": what.declaration_id,
                "flagged": what.flagged,
                "detail": what.detail,
            }
            for kind, number in about
        ],
    )
    messages: list[NewMessage] = []
    for kind, number in about:
        payload = {
            "event": EVENT_MESSAGE,
            "subject": {"kind": kind, "number": number},
            "kind": what.kind,
            "source": what.source,
            "occurred_at": what.occurred_at.isoformat(),
            "flagged": what.flagged,
            "declaration_id": str(what.declaration_id) if what.declaration_id else None,
            "detail": what.detail,
        }
        for party_id in await repository.active_subscribers(session, kind, number):
            destinations = await notifications.webhook_destinations(session, party_id)
            messages += [NewMessage(d, EVENT_MESSAGE, payload, what.declaration_id) for d in destinations]
            notifications.notify_portal(
                session,
                party_id,
                EVENT_MESSAGE,
                {"subject": kind, "number": number, "kind": what.kind, "source": what.source, "flagged": what.flagged},
                link=f"/logistics?number={quote(number)}",
            )
    await exchange.enqueue(session, messages)


async def notify(
    session: AsyncSession,
    parties: Iterable[uuid.UUID],
    *,
    severity: str,
    kind: str,
    subject: tuple[str, str],
    message: str,
    declaration_id: uuid.UUID | None = None,
) -> None:
    """Keep a notice for each party (portal, REST, CLI); warnings also go to its webhooks and portal notifications."""
    pushed: list[NewMessage] = []
    for party_id in dict.fromkeys(parties):
        session.add(
            Notice(
                party_id=party_id,
                severity=severity,
                kind=kind,
                subject_kind=subject[0],
                number=subject[1],
                message=message[:500],
                declaration_id=declaration_id,
            )
        )
        if severity == "warning":
            payload = {
                "event": NOTICE_MESSAGE,
                "kind": kind,
                "subject": {"kind": subject[0], "number": subject[1]},
                "message": message[:500],
                "declaration_id": str(declaration_id) if declaration_id else None,
            }
            destinations = await notifications.webhook_destinations(session, party_id)
            pushed += [NewMessage(d, NOTICE_MESSAGE, payload, declaration_id) for d in destinations]
            notifications.notify_portal(
                session,
                party_id,
                NOTICE_MESSAGE,
                {"kind": kind, "subject": subject[0], "number": subject[1], "message": message[:500]},
                link=f"/logistics?number={quote(subject[1])}",
            )
    await exchange.enqueue(session, pushed)
