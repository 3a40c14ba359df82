"""Turning agency task states into one status, one joint inspection, one timeline."""

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.declarations import repository
from singlewindow.declarations.events import DeclarationStatusChanged
from singlewindow.declarations.lifecycle import DeclarationStatus, TaskStatus, consolidate
from singlewindow.declarations.models import AgencyTask, Declaration, DeclarationEvent, JointInspection
from singlewindow.kit import events, metrics
from singlewindow.kit.clock import utcnow
from singlewindow.kit.ids import new_id


async def record_event(
    session: AsyncSession,
    declaration: Declaration,
    kind: str,
    *,
    agency: str | None = None,
    status: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    await session.execute(
        insert(DeclarationEvent).values(
            declaration_id=declaration.id,
            at=utcnow(),
            kind=kind,
            status=status or declaration.status,
            agency=agency,
            revision=declaration.revision,
            detail=detail or {},
        )
    )


async def reconsolidate(
    session: AsyncSession, declaration: Declaration, *, cancelled: bool = False, detail: dict[str, Any] | None = None
) -> None:
    """Recompute the one status from the tasks; on a change, record it and tell subscribers."""
    tasks = await repository.tasks(session, declaration.id)
    status = DeclarationStatus.CANCELLED if cancelled else consolidate(t.status for t in tasks)
    await _settle_inspection(session, declaration, tasks)
    if status is declaration.status:
        return
    previous = declaration.status
    declaration.status = status
    declaration.updated_at = utcnow()
    await session.flush()
    await record_event(session, declaration, "status_changed", detail={"from": previous, **(detail or {})})
    metrics.STATUS_CHANGES.labels(status.value).inc()
    await events.publish(
        session,
        DeclarationStatusChanged(
            declaration.id,
            declaration.party_id,
            declaration.reference,
            previous,
            status,
            declaration.revision,
            declaration.updated_at,
            declaration.document_type,
        ),
    )


async def join_inspection(session: AsyncSession, declaration: Declaration, agency: str) -> JointInspection:
    """Add an agency to this revision's one joint inspection, opening it if needed."""
    inspection = await repository.inspection(session, declaration.id, declaration.revision)
    if inspection is None:
        inspection = JointInspection(
            id=new_id(), declaration_id=declaration.id, revision=declaration.revision, agencies=[], results={}
        )
        session.add(inspection)
    if agency not in inspection.agencies:
        inspection.agencies = sorted([*inspection.agencies, agency])
        inspection.status = "open"
    await session.flush()
    return inspection


async def record_inspection_result(session: AsyncSession, declaration: Declaration, agency: str, result: str) -> None:
    inspection = await join_inspection(session, declaration, agency)
    inspection.results = {**inspection.results, agency: result}
    await session.flush()


async def _settle_inspection(session: AsyncSession, declaration: Declaration, tasks: list[AgencyTask]) -> None:
    """Close the joint inspection once every agency in it has its result."""
    inspection = await repository.inspection(session, declaration.id, declaration.revision)
    if inspection is None or inspection.status != "open":
        return
    if declaration.status is DeclarationStatus.CANCELLED or any(
        t.status is TaskStatus.WITHDRAWN and t.agency in inspection.agencies for t in tasks
    ):
        return
    if set(inspection.agencies) <= set(inspection.results):
        inspection.status = "completed"
        inspection.completed_at = utcnow()
        await session.flush()
        await record_event(session, declaration, "inspection_completed", detail={"results": inspection.results})
