"""Agency officers and the data sharing catalogue: browse and request, decide and revoke, read the access log.

Every page calls the sharing services, as the API does; a refused form shows its problems on
the page instead of a 422 body.
"""

import uuid
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from singlewindow.catalogue import service as catalogue
from singlewindow.errors import InvalidData, field_error
from singlewindow.kit.clock import utcnow
from singlewindow.kit.web import DbSession
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Officer, flash, language, render
from singlewindow.sharing import service as sharing
from singlewindow.sharing.models import RequestStatus
from singlewindow.sharing.schemas import AccessRequestIn, GrantIn

router = APIRouter(prefix="/sharing")
PAGE_SIZE = 50


def element_names(lang: str) -> dict[str, str]:
    return {e.id: e.name_en if lang == "en" else e.name_zh for e in catalogue.list_elements()}


def form_problems(exc: ValidationError | InvalidData) -> list[str]:
    errors = [field_error(e) for e in exc.errors()] if isinstance(exc, ValidationError) else exc.errors
    return [f"{e['loc'].removeprefix('$.')}: {e['msg']}" for e in errors]


def _back(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(f"{request.scope.get('root_path', '')}/sharing{path}", status_code=303)


@router.get("", response_class=HTMLResponse)
async def data_classes(request: Request, user: Officer, session: DbSession) -> HTMLResponse:
    """The catalogue: every agency's data classes, and a request form for others' classes."""
    return await _catalogue_page(request, user, session, problems=[])


async def _catalogue_page(
    request: Request, user: Any, session: DbSession, problems: list[str], status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "sharing/catalogue.html",
        status_code=status_code,
        classes=await sharing.data_classes(session, user.principal),
        names=element_names(language(request)),
        problems=problems,
    )


@router.post("/{code}/request")
async def request_access(
    request: Request,
    code: str,
    user: Officer,
    session: DbSession,
    purpose: Annotated[str, Form(max_length=1000)] = "",
    element: Annotated[list[str] | None, Form()] = None,
    push: Annotated[bool, Form()] = False,
) -> Response:
    try:
        body = AccessRequestIn(purpose=purpose, elements=element or [], push=push)
        await sharing.request_access(session, user.principal, code, body)
    except (ValidationError, InvalidData) as exc:
        return await _catalogue_page(request, user, session, form_problems(exc), status_code=422)
    await session.commit()
    flash(request, N_("Access requested."))
    return _back(request, "/requests")


@router.get("/requests", response_class=HTMLResponse)
async def my_requests(request: Request, user: Officer, session: DbSession) -> HTMLResponse:
    """What this agency asked for, and the grants it holds."""
    agency = user.principal.agency
    held = [(g, c) for g, c in await sharing.grants(session, user.principal) if g.subscriber == agency]
    return render(
        request,
        "sharing/requests.html",
        requests=await sharing.requests(session, user.principal, incoming=False),
        held=held,
        now=utcnow(),
        names=element_names(language(request)),
    )


@router.get("/decide", response_class=HTMLResponse)
async def to_decide(request: Request, user: Officer, session: DbSession) -> HTMLResponse:
    """Requests waiting for this agency's decision, and the grants it made (to revoke)."""
    return await _decide_page(request, user, session, problems=[])


async def _decide_page(
    request: Request, user: Any, session: DbSession, problems: list[str], status_code: int = 200
) -> HTMLResponse:
    agency = user.principal.agency
    pending = await sharing.requests(session, user.principal, incoming=True)
    made = [(g, c) for g, c in await sharing.grants(session, user.principal) if c.publisher == agency]
    return render(
        request,
        "sharing/decide.html",
        status_code=status_code,
        pending=[(r, c) for r, c in pending if r.status is RequestStatus.PENDING],
        made=made,
        now=utcnow(),
        names=element_names(language(request)),
        problems=problems,
    )


def _filters(given: dict[str, str]) -> dict[str, list[str]]:
    return {name: [v.strip() for v in value.split(",") if v.strip()] for name, value in given.items() if value.strip()}


@router.post("/requests/{request_id}/grant")
async def grant(
    request: Request,
    request_id: uuid.UUID,
    user: Officer,
    session: DbSession,
    expires_on: Annotated[date, Form()],
    element: Annotated[list[str] | None, Form()] = None,
    trade_mode: Annotated[str, Form(max_length=200)] = "",
    port: Annotated[str, Form(max_length=200)] = "",
    credit_level: Annotated[str, Form(max_length=200)] = "",
    enterprise: Annotated[str, Form(max_length=400)] = "",
    event: Annotated[str, Form(max_length=200)] = "",
    finding: Annotated[str, Form(max_length=200)] = "",
    push: Annotated[bool, Form()] = False,
) -> Response:
    """The grant ends at the start of the day after ``expires_on`` (UTC); empty filters are left out."""
    given = {"trade_mode": trade_mode, "port": port, "credit_level": credit_level, "enterprise": enterprise}
    try:
        body = GrantIn(
            elements=element or [],
            filters=_filters(given | {"event": event, "finding": finding}),
            expires_at=datetime.combine(expires_on, time.max, UTC),
            push=push,
        )
        await sharing.grant(session, user.principal, request_id, body)
    except (ValidationError, InvalidData) as exc:
        return await _decide_page(request, user, session, form_problems(exc), status_code=422)
    await session.commit()
    flash(request, N_("Access granted."))
    return _back(request, "/decide")


@router.post("/requests/{request_id}/refuse")
async def refuse(
    request: Request,
    request_id: uuid.UUID,
    user: Officer,
    session: DbSession,
    reason: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    await sharing.refuse(session, user.principal, request_id, reason)
    await session.commit()
    flash(request, N_("Request refused."))
    return _back(request, "/decide")


@router.post("/grants/{grant_id}/revoke")
async def revoke(
    request: Request,
    grant_id: uuid.UUID,
    user: Officer,
    session: DbSession,
    reason: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    await sharing.revoke(session, user.principal, grant_id, reason)
    await session.commit()
    flash(request, N_("Grant revoked."))
    return _back(request, "/decide")


@router.get("/log", response_class=HTMLResponse)
async def access_log(
    request: Request, user: Officer, session: DbSession, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> HTMLResponse:
    """Every query, push and refused attempt on this agency's data classes."""
    entries, total = await sharing.access_log(
        session, user.principal, None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return render(
        request,
        "sharing/log.html",
        entries=entries,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        query={},
    )
