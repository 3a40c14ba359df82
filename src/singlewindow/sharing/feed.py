"""The store of shared records, kept by event handlers in the publishing transaction, and push delivery.

A declaration is kept from submission (only when a data class publishes its document type)
and becomes shareable when it is released; a rejection or cancellation drops it (an
amendment brings it back). Credit levels follow identity's ``CreditLevelChanged``; container
events logistics' ``ContainerEventRecorded``; risk findings declarations' ``AgencyDecided``
(inspect, reject and inspection results, with the agency's reason). Each source is kept only
while some class publishes it. When a record becomes shareable, every live push grant whose
filters it passes gets one outbox message to the subscriber agency's counterparty;
``sharing_deliveries`` makes a second push of the same record revision under the same grant a no-op.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.declarations.events import AgencyDecided, DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.exchange import service as exchange
from singlewindow.exchange.service import NewMessage
from singlewindow.identity import service as identity
from singlewindow.identity.events import CreditLevelChanged
from singlewindow.kit.clock import utcnow
from singlewindow.logistics.events import ContainerEventRecorded
from singlewindow.sharing import repository
from singlewindow.sharing.models import AccessLogEntry, Channel, DataClass, Delivery, Grant, SharedRecord, Source
from singlewindow.sharing.projection import project
from singlewindow.sharing.schemas import SharedRecordOut
from singlewindow.sharing.sources import (
    CONTAINER_DOCUMENT,
    CREDIT_DOCUMENT,
    RISK_DOCUMENT,
    RISK_FINDINGS,
    document_types_of,
    facets,
    passes,
)

SHARED_RECORD = "shared_record"
"""The exchange message kind a subscriber agency receives for each pushed record."""
PUSH_ACTOR = "system:sharing"
_DROPPED = frozenset({"rejected", "cancelled"})
_EVENTS = uuid.UUID("6f0c3a52-3c1e-4d8e-9a53-5f3b1c2d7e10")
"""Namespace of the name-based keys of event records (one record per distinct event)."""


def shown(record: SharedRecord, data_class: DataClass, held: Grant) -> SharedRecordOut:
    """The record as ``held`` lets its subscriber see it: granted elements only."""
    paths = [path for path, element in data_class.fields.get(record.document_type, []) if element in held.elements]
    assert record.available_at is not None, "only released records are shown"
    return SharedRecordOut(
        id=record.id,
        document_type=record.document_type,
        revision=record.revision,
        available_at=record.available_at,
        data=project(record.data, paths),
    )


def log_access(
    session: AsyncSession,
    data_class: DataClass,
    subscriber: str,
    actor: str,
    channel: Channel,
    held: Grant | None,
    records: int,
    reason: str | None,
) -> None:
    session.add(
        AccessLogEntry(
            at=utcnow(),
            data_class_id=data_class.id,
            publisher=data_class.publisher,
            subscriber=subscriber,
            actor=actor,
            channel=channel,
            granted=held is not None,
            grant_id=held.id if held else None,
            records=records,
            reason=reason,
        )
    )


async def _classes_for(session: AsyncSession, source: Source, document_type: str) -> list[DataClass]:
    """The data classes that publish records of this document type (usually none: then nothing is kept)."""
    found = await repository.data_classes(session, source)
    return [c for c in found if document_type in document_types_of(c.source, c.document_types)]


def carries(data_class: DataClass, record: SharedRecord) -> bool:
    """A risk finding class carries only its publisher's own findings; other classes all their source's records."""
    return data_class.source is not Source.RISK_FINDINGS or record.data.get("agency") == data_class.publisher


async def _keep(
    session: AsyncSession,
    source: Source,
    key: str,
    document_type: str,
    data: dict[str, Any],
    revision: int,
    *,
    new: bool = False,
) -> SharedRecord:
    """Insert or replace the record, then its facets; ``new`` skips looking for an earlier one."""
    record = None if new else await repository.record(session, source, key)
    if record is None:
        record = SharedRecord(source=source, subject_key=key, document_type=document_type)
        session.add(record)
    else:
        await repository.delete_facets(session, record.id)
    record.data, record.revision, record.updated_at = data, revision, utcnow()
    record.available, record.available_at = False, None
    await session.flush()
    repository.add_facets(session, record.id, facets(document_type, data))
    await session.flush()
    return record


async def on_declaration_submitted(session: AsyncSession, event: DeclarationSubmitted) -> None:
    """On the submission path: one query when nothing publishes the type, two inserts when something does."""
    if not await _classes_for(session, Source.RELEASED_DECLARATIONS, event.document_type):
        return
    key, first = str(event.declaration_id), event.revision == 1
    await _keep(session, Source.RELEASED_DECLARATIONS, key, event.document_type, event.data, event.revision, new=first)


async def on_status_changed(session: AsyncSession, event: DeclarationStatusChanged) -> None:
    if event.status != "released" and event.status not in _DROPPED:
        return
    record = await repository.record(session, Source.RELEASED_DECLARATIONS, str(event.declaration_id))
    if record is None:
        return
    if event.status in _DROPPED:
        await repository.remove_record(session, record)
        await session.flush()
        return
    await _make_available(session, record, event.at)


async def on_credit_level_changed(session: AsyncSession, event: CreditLevelChanged) -> None:
    if not await _classes_for(session, Source.ENTERPRISE_CREDIT, CREDIT_DOCUMENT):
        return
    await _keep_credit(session, event.uscc, event.name, event.level, event.at, push=True)


async def on_container_event(session: AsyncSession, event: ContainerEventRecorded) -> None:
    """Every reported container event is a record of its own, shareable at once."""
    if not await _classes_for(session, Source.CONTAINER_EVENTS, CONTAINER_DOCUMENT):
        return
    data = {
        "container": event.container,
        "event": event.event,
        "occurred_at": event.occurred_at.isoformat(),
        "location": event.location,
        "bill_of_lading": event.bill_of_lading,
        "imo_number": event.imo_number,
        "voyage_number": event.voyage_number,
    }
    key = str(uuid.uuid5(_EVENTS, f"{event.container}/{event.event}/{data['occurred_at']}"))
    await _keep_event(session, Source.CONTAINER_EVENTS, key, CONTAINER_DOCUMENT, data, event.occurred_at)


async def on_agency_decided(session: AsyncSession, event: AgencyDecided) -> None:
    """An inspection, rejection or inspection result is a risk finding about the declarant, shareable at once."""
    if event.decision not in RISK_FINDINGS or event.party_id is None:
        return
    if not await _classes_for(session, Source.RISK_FINDINGS, RISK_DOCUMENT):
        return
    declarant = await identity.party(session, event.party_id)
    if declarant is None or declarant.uscc is None:
        return
    data = {
        "uscc": declarant.uscc,
        "name": declarant.name,
        "agency": event.agency,
        "finding": event.decision,
        "detail": event.reason,
        "decided_at": event.at.isoformat(),
    }
    key = str(uuid.uuid5(_EVENTS, f"{event.declaration_id}/{event.revision}/{event.agency}/{event.decision}"))
    await _keep_event(session, Source.RISK_FINDINGS, key, RISK_DOCUMENT, data, event.at)


async def _keep_event(
    session: AsyncSession, source: Source, key: str, document_type: str, data: dict[str, Any], at: datetime
) -> None:
    """An event record is written once: the same event reported again changes nothing."""
    if await repository.record(session, source, key) is not None:
        return
    record = await _keep(session, source, key, document_type, data, 1, new=True)
    await _make_available(session, record, at)


async def follow_credit_levels(session: AsyncSession) -> None:
    """Fill the store with today's credit levels when the first credit class is published (no push: no grants yet)."""
    for party in await identity.graded_enterprises(session):
        assert party.credit_level is not None
        await _keep_credit(session, party.uscc, party.name, party.credit_level, utcnow(), push=False)


async def _keep_credit(
    session: AsyncSession, uscc: str | None, name: str, level: str, at: datetime, *, push: bool
) -> None:
    if uscc is None:
        return
    data = {"uscc": uscc, "name": name, "credit_level": str(level)}
    before = await repository.record(session, Source.ENTERPRISE_CREDIT, uscc)
    if before is not None and before.data == data:
        return
    revision = before.revision + 1 if before else 1
    record = await _keep(session, Source.ENTERPRISE_CREDIT, uscc, CREDIT_DOCUMENT, data, revision, new=before is None)
    if push:
        await _make_available(session, record, at)
    else:
        record.available, record.available_at = True, at
        await session.flush()


async def _make_available(session: AsyncSession, record: SharedRecord, at: datetime) -> None:
    record.available, record.available_at = True, at
    await session.flush()
    await push(session, record)


async def push(session: AsyncSession, record: SharedRecord) -> None:
    """One message per live push grant the record passes, once per grant and record revision."""
    found = await _classes_for(session, record.source, record.document_type)
    classes = {c.id: c for c in found if carries(c, record)}
    grants = await repository.live_push_grants(session, list(classes), utcnow())
    record_facets = facets(record.document_type, record.data)
    passing = [g for g in grants if passes(record_facets, g.filters)]
    due = [g for g in passing if not await repository.delivered(session, g.id, record)]
    if not due:
        return
    messages = [
        NewMessage(
            destination=g.subscriber,
            kind=SHARED_RECORD,
            subject_id=record.id,
            revision=record.revision,
            payload={
                "data_class": classes[g.data_class_id].code,
                "publisher": classes[g.data_class_id].publisher,
                "grant_id": str(g.id),
                "record": shown(record, classes[g.data_class_id], g).model_dump(mode="json"),
            },
        )
        for g in due
    ]
    ids = await exchange.enqueue(session, messages)
    for held, message_id in zip(due, ids, strict=True):
        session.add(Delivery(grant_id=held.id, record_id=record.id, revision=record.revision, message_id=message_id))
        log_access(session, classes[held.data_class_id], held.subscriber, PUSH_ACTOR, Channel.PUSH, held, 1, None)
    await session.flush()
