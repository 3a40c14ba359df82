"""Agency officers: their agency's work queue, what their agency receives, and decisions.

A decision typed here is an inbound message from the agency, exactly as if its system had
sent it: it goes through ``exchange.service.receive`` with its own message id, so it is kept
with its SHA-256, deduplicated, and applied by the same handler as a system's answer.
"""

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from singlewindow.audit import service as audit
from singlewindow.catalogue import document_types
from singlewindow.catalogue.agency_requirements import derive
from singlewindow.declarations import repository as declarations_read
from singlewindow.declarations import service as declarations
from singlewindow.declarations.lifecycle import DeclarationStatus, TaskStatus
from singlewindow.declarations.schemas import AgencyDecision
from singlewindow.errors import NotFound, field_error
from singlewindow.exchange import service as exchange
from singlewindow.exchange.schemas import InboundEnvelope
from singlewindow.kit.clock import utcnow
from singlewindow.kit.web import DbSession
from singlewindow.portal import forms
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Officer, PortalUser, day, flash, language, render

router = APIRouter()
PAGE_SIZE = 20
OPEN_TASKS = frozenset({TaskStatus.PENDING, TaskStatus.IN_REVIEW, TaskStatus.INSPECTION})
DECISIONS = ("release", "inspect", "reject", "inspection_passed", "inspection_failed")


def _agency(user: PortalUser) -> str:
    assert user.principal.agency, "an officer's party is an agency"
    return user.principal.agency


@router.get("/queue", response_class=HTMLResponse)
async def queue(
    request: Request,
    user: Officer,
    session: DbSession,
    status: Annotated[DeclarationStatus | None, Query()] = None,
    task_status: Annotated[TaskStatus | None, Query(alias="task")] = None,
    document_type: Annotated[str | None, Query(max_length=40)] = None,
    reference: Annotated[str | None, Query(max_length=35)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """The declarations routed to this agency, each with this agency's own task; filters by either status,
    document type, reference and submission date."""
    filters = declarations_read.Filters(
        status=status,
        reference=reference or None,
        document_type=document_type or None,
        created_from=day(date_from),
        created_to=day(date_to, end=True),
        task_status=task_status,
    )
    rows, total = await declarations_read.search(
        session, user.principal, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    agency = _agency(user)
    items = []
    for declaration in rows:
        task = next(t for t in await declarations_read.tasks(session, declaration.id) if t.agency == agency)
        items.append({"declaration": declaration, "task": task, "open": task.status in OPEN_TASKS})
    return render(
        request,
        "queue.html",
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        query={
            "status": status.value if status else "",
            "task": task_status.value if task_status else "",
            "document_type": document_type or "",
            "reference": reference or "",
            "from": date_from.isoformat() if date_from else "",
            "to": date_to.isoformat() if date_to else "",
        },
        statuses=list(DeclarationStatus),
        task_statuses=list(TaskStatus),
        document_types=list(document_types.document_types().values()),
    )


async def _task_view(session: DbSession, user: PortalUser, declaration_id: uuid.UUID) -> dict[str, Any]:
    declaration = await declarations.read(session, user.principal, declaration_id)
    agency = _agency(user)
    task = next((t for t in await declarations_read.tasks(session, declaration.id) if t.agency == agency), None)
    if task is None:
        raise NotFound(f"declaration {declaration_id} was not routed to {agency}")
    received = derive(declaration.document_type, agency, declaration.data)
    return {
        "declaration": declaration,
        "task": task,
        "received": received,
        "columns": list(dict.fromkeys(k for item in received["goods"] for k in item)),
        "open": task.status in OPEN_TASKS,
        "in_inspection": task.status is TaskStatus.INSPECTION,
    }


@router.get("/queue/{declaration_id}", response_class=HTMLResponse)
async def task(request: Request, declaration_id: uuid.UUID, user: Officer, session: DbSession) -> HTMLResponse:
    """Only what this agency receives (the catalogue's agency requirements), nothing more."""
    context = await _task_view(session, user, declaration_id)
    outcome = request.session.pop("outcome", None)
    context["labels"] = forms.labels(language(request))
    return render(request, "task.html", decisions=DECISIONS, problems=[], outcome=outcome, **context)


@router.post("/queue/{declaration_id}/decide")
async def decide(
    request: Request,
    declaration_id: uuid.UUID,
    user: Officer,
    session: DbSession,
    decision: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    context = await _task_view(session, user, declaration_id)
    payload = {"decision": decision, "reason": reason.strip() or None}
    problems = _problems(payload)
    if problems:
        context["labels"] = forms.labels(language(request))
        return render(
            request, "task.html", status_code=422, decisions=DECISIONS, problems=problems, outcome=None, **context
        )
    agency = _agency(user)
    envelope = InboundEnvelope(
        message_id=f"portal-{uuid.uuid4()}",
        kind="decision",
        subject_id=declaration_id,
        revision=context["declaration"].revision,
        issued_at=utcnow(),
        payload=payload,
    )
    raw = exchange.canonical_json(envelope.model_dump(mode="json"))
    ack = await exchange.receive(session, agency, envelope, raw, exchange.JSON)
    await audit.record(
        session,
        actor=user.principal.actor,
        action="officer.decided",
        subject=str(declaration_id),
        detail={"agency": agency, "decision": decision, "message_id": envelope.message_id, "outcome": ack.outcome},
    )
    await session.commit()
    flash(request, N_("Decision recorded.") if ack.outcome.startswith("applied") else N_("Decision not applied."))
    request.session["outcome"] = ack.outcome
    return RedirectResponse(f"{request.scope.get('root_path', '')}/queue/{declaration_id}", status_code=303)


def _problems(payload: dict[str, Any]) -> list[str]:
    """The same checks the inbound path makes, shown on the page instead of a 422 body."""
    try:
        AgencyDecision.model_validate(payload)
    except ValidationError as exc:
        return [str(field_error(e)["msg"]) for e in exc.errors()]
    return []
