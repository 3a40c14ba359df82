"""Logistics queries; what a party may follow is decided here, from its stakes."""

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import insert_for
from singlewindow.logistics.models import (
    BillOfLading,
    ContainerState,
    Manifest,
    Notice,
    Permit,
    Stake,
    Subscription,
    TimelineEvent,
    VehicleCall,
)
from singlewindow.logistics.status import Clearance, Location, PortEventKind


async def may_follow(session: AsyncSession, principal: Principal, kind: str, number: str) -> bool:
    """Operators see every container; an enterprise only those it carries, declares or receives."""
    if principal.is_operator:
        return True
    if not principal.is_enterprise:
        return False
    held = await session.scalar(
        select(exists().where(Stake.subject_kind == kind, Stake.number == number, Stake.party_id == principal.party_id))
    )
    return bool(held)


async def add_stakes(
    session: AsyncSession, subjects: Iterable[tuple[str, str]], party_id: uuid.UUID, role: str
) -> None:
    """Record the party's stake in each subject; one it already holds stays as it is (even under concurrency)."""
    rows = [{"subject_kind": k, "number": n, "party_id": party_id, "role": role} for k, n in dict.fromkeys(subjects)]
    if not rows:
        return
    await session.execute(insert_for(session, Stake).values(rows).on_conflict_do_nothing())


async def declare_containers(session: AsyncSession, numbers: Iterable[str], bill_of_lading: str) -> None:
    """Mark containers declared, creating the unknown ones as expected: one upsert, so two declarations
    naming the same container at once both succeed instead of racing to insert it."""
    now = utcnow()
    rows = [
        {
            "number": n,
            "location": Location.EXPECTED,
            "clearance": Clearance.DECLARED,
            "bill_of_lading": bill_of_lading,
            "updated_at": now,
        }
        for n in sorted(set(numbers))
    ]
    if not rows:
        return
    statement = insert_for(session, ContainerState).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ContainerState.number],
            set_={
                "clearance": statement.excluded.clearance,
                "updated_at": statement.excluded.updated_at,
                "bill_of_lading": func.coalesce(ContainerState.bill_of_lading, statement.excluded.bill_of_lading),
            },
        )
    )


async def stakeholders(session: AsyncSession, kind: str, number: str) -> list[uuid.UUID]:
    rows = await session.scalars(select(Stake.party_id).where(Stake.subject_kind == kind, Stake.number == number))
    return list(rows)


async def timeline(session: AsyncSession, kind: str, number: str) -> list[TimelineEvent]:
    rows = await session.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.subject_kind == kind, TimelineEvent.number == number)
        .order_by(TimelineEvent.occurred_at, TimelineEvent.id)
    )
    return list(rows)


async def bill(session: AsyncSession, number: str, *, for_update: bool = False) -> BillOfLading | None:
    query = select(BillOfLading).where(BillOfLading.number == number)
    return await session.scalar(query.with_for_update() if for_update else query)


async def bills_of_manifest(session: AsyncSession, manifest_id: uuid.UUID) -> list[BillOfLading]:
    return list(await session.scalars(select(BillOfLading).where(BillOfLading.manifest_id == manifest_id)))


async def delete_bill(session: AsyncSession, bill_id: uuid.UUID) -> None:
    await session.execute(delete(BillOfLading).where(BillOfLading.id == bill_id))


async def bills_of_voyage(session: AsyncSession, imo_number: str, voyage_number: str) -> list[BillOfLading]:
    manifests = select(Manifest.declaration_id).where(
        Manifest.imo_number == imo_number, Manifest.voyage_number == voyage_number
    )
    return list(await session.scalars(select(BillOfLading).where(BillOfLading.manifest_id.in_(manifests))))


async def berthed_at(session: AsyncSession, kind: str, number: str) -> datetime | None:
    """When the vessel carrying the bill of lading (or container) berthed, if a terminal has said so."""
    return await session.scalar(
        select(func.min(TimelineEvent.occurred_at)).where(
            TimelineEvent.subject_kind == kind,
            TimelineEvent.number == number,
            TimelineEvent.kind == PortEventKind.VESSEL_BERTHED.value,
        )
    )


async def latest_arrival(session: AsyncSession, journey: str) -> VehicleCall | None:
    """The latest arrival declared for this journey (``Conveyance.journey``), in any transport mode."""
    return await session.scalar(
        select(VehicleCall)
        .where(VehicleCall.journey == journey, VehicleCall.movement == "A")
        .order_by(VehicleCall.updated_at.desc())
        .limit(1)
    )


async def containers(session: AsyncSession, numbers: Iterable[str]) -> dict[str, ContainerState]:
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    rows = await session.scalars(select(ContainerState).where(ContainerState.number.in_(wanted)))
    return {c.number: c for c in rows}


async def on_board(session: AsyncSession, imo_number: str, voyage_number: str) -> list[ContainerState]:
    rows = await session.scalars(
        select(ContainerState).where(
            ContainerState.imo_number == imo_number,
            ContainerState.voyage_number == voyage_number,
            ContainerState.location == Location.ON_BOARD,
        )
    )
    return list(rows)


async def active_subscribers(session: AsyncSession, kind: str, number: str) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Subscription.party_id).where(
            Subscription.subject_kind == kind, Subscription.number == number, Subscription.active
        )
    )
    return list(rows)


async def subscriptions_of(session: AsyncSession, party_id: uuid.UUID | None) -> list[Subscription]:
    query = select(Subscription).order_by(Subscription.created_at)
    if party_id is not None:
        query = query.where(Subscription.party_id == party_id)
    return list(await session.scalars(query))


async def subscription(session: AsyncSession, party_id: uuid.UUID, kind: str, number: str) -> Subscription | None:
    return await session.scalar(
        select(Subscription).where(
            Subscription.party_id == party_id, Subscription.subject_kind == kind, Subscription.number == number
        )
    )


async def notices_of(session: AsyncSession, party_id: uuid.UUID | None, limit: int) -> list[Notice]:
    query = select(Notice).order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit)
    if party_id is not None:
        query = query.where(Notice.party_id == party_id)
    return list(await session.scalars(query))


async def permits_of(session: AsyncSession, party_id: uuid.UUID | None, limit: int = 100) -> list[Permit]:
    query = select(Permit).order_by(Permit.created_at.desc()).limit(limit)
    if party_id is not None:
        query = query.where(Permit.party_id == party_id)
    return list(await session.scalars(query))


async def permit_of_revision(session: AsyncSession, declaration_id: uuid.UUID, revision: int) -> Permit | None:
    return await session.scalar(
        select(Permit).where(Permit.declaration_id == declaration_id, Permit.revision == revision)
    )


async def permit_by_number(session: AsyncSession, number: str) -> Permit | None:
    return await session.scalar(select(Permit).where(Permit.number == number))
