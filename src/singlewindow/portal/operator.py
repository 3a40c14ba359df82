"""Operators: exchange health per counterparty, dead letters and their replay, platform status."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from singlewindow.exchange import service as exchange
from singlewindow.kit.web import AppSettings, DbSession
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Operator, flash, render

router = APIRouter()
PAGE_SIZE = 50


@router.get("/operations", response_class=HTMLResponse)
async def operations(request: Request, user: Operator, session: DbSession, settings: AppSettings) -> HTMLResponse:
    """Platform status and, per counterparty, messages pending, retrying, dead-lettered and delivered.

    The page reads the outbox, so it rendering at all says the database answers.
    """
    health = await exchange.health(session)
    counterparties = await exchange.counterparties(session)
    return render(
        request,
        "operations.html",
        health=health,
        counterparties=counterparties,
        database=settings.database_url.split(":", 1)[0],
        embedded_worker=settings.embedded_worker,
        simulators=settings.simulators,
    )


@router.get("/operations/dead-letters", response_class=HTMLResponse)
async def dead_letters(
    request: Request, user: Operator, session: DbSession, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> HTMLResponse:
    rows, total = await exchange.dead_letters(session, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "dead_letters.html", rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)))


@router.post("/operations/dead-letters/{message_id}/replay")
async def replay(request: Request, message_id: uuid.UUID, user: Operator, session: DbSession) -> Response:
    await exchange.replay(session, message_id, actor=user.principal.actor)
    await session.commit()
    flash(request, N_("Message queued again."))
    return RedirectResponse(f"{request.scope.get('root_path', '')}/operations/dead-letters", status_code=303)
