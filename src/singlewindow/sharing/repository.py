"""Sharing queries; each list starts from what the caller's agency may see."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.sharing.models import (
    AccessLogEntry,
    AccessRequest,
    DataClass,
    Delivery,
    Grant,
    RecordFacet,
    RequestStatus,
    SharedRecord,
    Source,
)


async def data_classes(session: AsyncSession, source: Source | None = None) -> list[DataClass]:
    query = select(DataClass).order_by(DataClass.publisher, DataClass.code)
    if source is not None:
        query = query.where(DataClass.source == source)
    return list(await session.scalars(query))


async def data_class(session: AsyncSession, code: str) -> DataClass | None:
    return await session.scalar(select(DataClass).where(DataClass.code == code))


# --- requests and grants ---------------------------------------------------------------------


def _requests_seen_by(agency: str) -> Select[AccessRequest, DataClass]:
    return (
        select(AccessRequest, DataClass)
        .join(DataClass, DataClass.id == AccessRequest.data_class_id)
        .where(or_(AccessRequest.requester == agency, DataClass.publisher == agency))
        .order_by(AccessRequest.created_at.desc())
    )


async def requests_by(session: AsyncSession, agency: str) -> list[tuple[AccessRequest, DataClass]]:
    rows = await session.execute(_requests_seen_by(agency).where(AccessRequest.requester == agency))
    return [(r, c) for r, c in rows]


async def requests_to(
    session: AsyncSession, agency: str, status: RequestStatus | None = None
) -> list[tuple[AccessRequest, DataClass]]:
    query = _requests_seen_by(agency).where(DataClass.publisher == agency)
    if status is not None:
        query = query.where(AccessRequest.status == status)
    return [(r, c) for r, c in (await session.execute(query))]


async def request_seen_by(
    session: AsyncSession, agency: str, request_id: uuid.UUID, *, for_update: bool = False
) -> tuple[AccessRequest, DataClass] | None:
    query = _requests_seen_by(agency).where(AccessRequest.id == request_id)
    if for_update:
        query = query.with_for_update(of=AccessRequest)
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def pending_request(session: AsyncSession, data_class_id: uuid.UUID, requester: str) -> AccessRequest | None:
    return await session.scalar(
        select(AccessRequest).where(
            AccessRequest.data_class_id == data_class_id,
            AccessRequest.requester == requester,
            AccessRequest.status == RequestStatus.PENDING,
        )
    )


def _grants_seen_by(agency: str | None) -> Select[Grant, DataClass]:
    """Grants by or to ``agency`` (every grant when None: the operator's view)."""
    query = select(Grant, DataClass).join(DataClass, DataClass.id == Grant.data_class_id)
    if agency is not None:
        query = query.where(or_(Grant.subscriber == agency, DataClass.publisher == agency))
    return query.order_by(Grant.created_at.desc())


async def grants_seen_by(session: AsyncSession, agency: str | None) -> list[tuple[Grant, DataClass]]:
    return [(g, c) for g, c in (await session.execute(_grants_seen_by(agency)))]


async def grant_seen_by(
    session: AsyncSession, agency: str | None, grant_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Grant, DataClass] | None:
    query = _grants_seen_by(agency).where(Grant.id == grant_id)
    if for_update:
        query = query.with_for_update(of=Grant)
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def latest_grant(session: AsyncSession, data_class_id: uuid.UUID, subscriber: str) -> Grant | None:
    """The subscriber's newest grant on the class, live or not (a query checks whether it is live)."""
    return await session.scalar(
        select(Grant)
        .where(Grant.data_class_id == data_class_id, Grant.subscriber == subscriber)
        .order_by(Grant.created_at.desc(), Grant.id.desc())
        .limit(1)
    )


async def unrevoked_grants(session: AsyncSession, data_class_id: uuid.UUID, subscriber: str) -> list[Grant]:
    query = select(Grant).where(
        Grant.data_class_id == data_class_id, Grant.subscriber == subscriber, Grant.revoked_at.is_(None)
    )
    return list(await session.scalars(query))


async def live_push_grants(session: AsyncSession, class_ids: Sequence[uuid.UUID], now: datetime) -> list[Grant]:
    query = select(Grant).where(
        Grant.data_class_id.in_(class_ids), Grant.push.is_(True), Grant.revoked_at.is_(None), Grant.expires_at > now
    )
    return list(await session.scalars(query.order_by(Grant.id)))


# --- the store of shared records ---------------------------------------------------------------


async def record(session: AsyncSession, source: Source, subject_key: str) -> SharedRecord | None:
    return await session.scalar(
        select(SharedRecord).where(SharedRecord.source == source, SharedRecord.subject_key == subject_key)
    )


async def delete_facets(session: AsyncSession, record_id: uuid.UUID) -> None:
    await session.execute(delete(RecordFacet).where(RecordFacet.record_id == record_id))


def add_facets(session: AsyncSession, record_id: uuid.UUID, facets: set[tuple[str, str]]) -> None:
    session.add_all(RecordFacet(record_id=record_id, name=n, value=v[:40]) for n, v in sorted(facets))


async def delivered(session: AsyncSession, grant_id: uuid.UUID, record: SharedRecord) -> bool:
    """Whether this revision of the record was already pushed under the grant."""
    query = select(Delivery.id).where(
        Delivery.grant_id == grant_id, Delivery.record_id == record.id, Delivery.revision == record.revision
    )
    return await session.scalar(query) is not None


async def remove_record(session: AsyncSession, record: SharedRecord) -> None:
    await delete_facets(session, record.id)
    await session.delete(record)


def _matching(data_class: DataClass, filters: dict[str, list[str]]) -> list[ColumnElement[bool]]:
    """Records of the class's source and document types that pass every filter of a grant."""
    conditions: list[ColumnElement[bool]] = [
        SharedRecord.source == data_class.source,
        SharedRecord.available.is_(True),
    ]
    if data_class.document_types:
        conditions.append(SharedRecord.document_type.in_(data_class.document_types))
    tested = dict(filters)
    if data_class.source is Source.RISK_FINDINGS:
        tested["agency"] = [data_class.publisher]
    for name, values in sorted(tested.items()):
        conditions.append(_has_facet(name, values))
    return conditions


def _has_facet(name: str, values: list[str]) -> ColumnElement[bool]:
    facet = select(RecordFacet.record_id).where(
        RecordFacet.record_id == SharedRecord.id, RecordFacet.name == name, RecordFacet.value.in_(values)
    )
    return exists(facet)


async def shared_records(
    session: AsyncSession,
    data_class: DataClass,
    filters: dict[str, list[str]],
    *,
    since: datetime | None,
    enterprise: str | None = None,
    limit: int,
    offset: int,
) -> tuple[list[SharedRecord], int]:
    conditions = _matching(data_class, filters)
    if since is not None:
        conditions.append(SharedRecord.available_at >= since)
    if enterprise is not None:
        conditions.append(_has_facet("enterprise", [enterprise]))
    total = await session.scalar(select(func.count()).select_from(SharedRecord).where(and_(*conditions)))
    rows = await session.scalars(
        select(SharedRecord)
        .where(and_(*conditions))
        .order_by(SharedRecord.available_at, SharedRecord.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total or 0


# --- access log ------------------------------------------------------------------------------


async def access_log(
    session: AsyncSession, publisher: str | None, data_class_id: uuid.UUID | None, *, limit: int, offset: int
) -> tuple[list[tuple[AccessLogEntry, str]], int]:
    """Entries about ``publisher``'s classes (every entry when None: the operator's view)."""
    conditions: list[ColumnElement[bool]] = []
    if publisher is not None:
        conditions.append(AccessLogEntry.publisher == publisher)
    if data_class_id is not None:
        conditions.append(AccessLogEntry.data_class_id == data_class_id)
    total = await session.scalar(select(func.count()).select_from(AccessLogEntry).where(*conditions))
    rows = await session.execute(
        select(AccessLogEntry, DataClass.code)
        .join(DataClass, DataClass.id == AccessLogEntry.data_class_id)
        .where(*conditions)
        .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(e, code) for e, code in rows], total or 0
