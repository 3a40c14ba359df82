"""Declaration queries, each starting from what the principal may read."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.declarations.lifecycle import DeclarationStatus, TaskStatus
from singlewindow.declarations.models import AgencyTask, Declaration, DeclarationEvent, JointInspection
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal


@dataclass(frozen=True, slots=True)
class Filters:
    status: DeclarationStatus | None = None
    type: str | None = None
    reference: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    document_type: str | None = None
    task_status: TaskStatus | None = None
    """An agency's view: declarations whose task for the principal's own agency has this status."""


def readable_by(principal: Principal) -> Select[Declaration]:
    """Enterprises read their own; agencies those routed to them; the operator all."""
    query = select(Declaration)
    if principal.party_kind is PartyKind.ENTERPRISE:
        return query.where(Declaration.party_id == principal.party_id)
    if principal.party_kind is PartyKind.AGENCY:
        routed = select(AgencyTask.declaration_id).where(AgencyTask.agency == principal.agency)
        return query.where(Declaration.id.in_(routed))
    return query


async def get(
    session: AsyncSession, principal: Principal, declaration_id: uuid.UUID, *, for_update: bool = False
) -> Declaration | None:
    query = readable_by(principal).where(Declaration.id == declaration_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def get_for_update(session: AsyncSession, declaration_id: uuid.UUID) -> Declaration | None:
    return await session.scalar(select(Declaration).where(Declaration.id == declaration_id).with_for_update())


async def search(
    session: AsyncSession, principal: Principal, filters: Filters, *, limit: int, offset: int
) -> tuple[list[Declaration], int]:
    query = readable_by(principal)
    if filters.status:
        query = query.where(Declaration.status == filters.status)
    if filters.type:
        query = query.where(Declaration.type == filters.type)
    if filters.document_type:
        query = query.where(Declaration.document_type == filters.document_type)
    if filters.reference:
        query = query.where(Declaration.reference == filters.reference)
    if filters.created_from:
        query = query.where(Declaration.created_at >= filters.created_from)
    if filters.created_to:
        query = query.where(Declaration.created_at < filters.created_to)
    if filters.task_status and principal.party_kind is PartyKind.AGENCY:
        ours = select(AgencyTask.declaration_id).where(
            AgencyTask.agency == principal.agency, AgencyTask.status == filters.task_status
        )
        query = query.where(Declaration.id.in_(ours))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(query.order_by(Declaration.created_at.desc()).limit(limit).offset(offset))
    return list(rows), total


async def tasks(session: AsyncSession, declaration_id: uuid.UUID) -> list[AgencyTask]:
    rows = await session.scalars(
        select(AgencyTask).where(AgencyTask.declaration_id == declaration_id).order_by(AgencyTask.agency)
    )
    return list(rows)


async def task_for_update(session: AsyncSession, declaration_id: uuid.UUID, agency: str) -> AgencyTask | None:
    return await session.scalar(
        select(AgencyTask)
        .where(AgencyTask.declaration_id == declaration_id, AgencyTask.agency == agency)
        .with_for_update()
    )


async def inspection(session: AsyncSession, declaration_id: uuid.UUID, revision: int) -> JointInspection | None:
    return await session.scalar(
        select(JointInspection).where(
            JointInspection.declaration_id == declaration_id, JointInspection.revision == revision
        )
    )


async def events(session: AsyncSession, declaration_id: uuid.UUID) -> list[DeclarationEvent]:
    rows = await session.scalars(
        select(DeclarationEvent).where(DeclarationEvent.declaration_id == declaration_id).order_by(DeclarationEvent.id)
    )
    return list(rows)
