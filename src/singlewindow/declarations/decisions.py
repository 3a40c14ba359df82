"""Agency-side use cases: a message was delivered, an agency decided, an inspection ended.

Decisions arrive through the exchange inbox, at least once and in any order. Each is
applied only if it is for the current revision and newer than the decision the task holds,
so a repeat or a late arrival changes nothing.
"""

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.declarations import repository
from singlewindow.declarations.consolidation import (
    join_inspection,
    reconsolidate,
    record_event,
    record_inspection_result,
)
from singlewindow.declarations.errors import DeclarationNotFound
from singlewindow.declarations.events import AgencyDecided
from singlewindow.declarations.lifecycle import FINAL, AgencyAction, TaskStatus, next_task_status
from singlewindow.declarations.schemas import AgencyDecision
from singlewindow.errors import InvalidData
from singlewindow.exchange.events import MessageDelivered
from singlewindow.exchange.schemas import InboundEnvelope
from singlewindow.kit import events
from singlewindow.kit.clock import utcnow

DECLARATION_KINDS = frozenset({"declaration", "amendment"})


async def on_delivered(session: AsyncSession, event: MessageDelivered) -> None:
    """The agency has the declaration: its task is now in review."""
    if event.kind not in DECLARATION_KINDS or event.subject_id is None:
        return
    declaration = await repository.get_for_update(session, event.subject_id)
    task = await repository.task_for_update(session, event.subject_id, event.destination)
    if declaration is None or task is None or task.revision != event.revision:
        return
    new = next_task_status(task.status, AgencyAction.DELIVERED)
    if new is None or declaration.status in FINAL:
        return
    task.status, task.updated_at = new, utcnow()
    await session.flush()
    await reconsolidate(session, declaration)


def _parse(envelope: InboundEnvelope) -> AgencyDecision:
    try:
        return AgencyDecision.model_validate(envelope.payload)
    except ValidationError as exc:
        raise InvalidData([{**e, "loc": ("payload", *e["loc"])} for e in exc.errors()]) from exc


async def apply_decision(session: AsyncSession, agency: str, envelope: InboundEnvelope) -> str:
    """Apply one agency decision; returns what happened, kept with the inbox message."""
    decision = _parse(envelope)
    declaration = await repository.get_for_update(session, envelope.subject_id)
    task = await repository.task_for_update(session, envelope.subject_id, agency)
    if declaration is None or task is None:
        raise DeclarationNotFound(f"declaration {envelope.subject_id} was not routed to {agency}")
    if envelope.revision != declaration.revision or task.revision != declaration.revision:
        return f"ignored: revision {envelope.revision} is not the current revision {declaration.revision}"
    if declaration.status in FINAL:
        return f"ignored: the declaration is {declaration.status}"
    if task.decided_at and envelope.issued_at < task.decided_at:
        return f"ignored: older than the decision already applied ({task.decided_at.isoformat()})"
    action = AgencyAction(decision.decision)
    new = next_task_status(task.status, action)
    if new is None:
        return f"ignored: {action} does not apply to a task in {task.status}"
    task.status, task.reason, task.decided_at, task.updated_at = new, decision.reason, envelope.issued_at, utcnow()
    await session.flush()
    if new is TaskStatus.INSPECTION:
        await join_inspection(session, declaration, agency)
    if action in (AgencyAction.INSPECTION_PASSED, AgencyAction.INSPECTION_FAILED):
        await record_inspection_result(session, declaration, agency, action.removeprefix("inspection_"))
    await record_event(
        session,
        declaration,
        "agency_decision",
        agency=agency,
        status=new,
        detail={"decision": action, "reason": decision.reason, "message_id": envelope.message_id},
    )
    await events.publish(
        session,
        AgencyDecided(
            declaration.id,
            declaration.document_type,
            agency,
            action,
            new,
            declaration.revision,
            envelope.issued_at,
            decision.reason,
            declaration.party_id,
        ),
    )
    await reconsolidate(session, declaration)
    return f"applied: {agency} {new}"
