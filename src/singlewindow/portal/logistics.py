"""Logistics pages: track a container or bill of lading, subscriptions, notices, permits; public permit check;
marking the dashboard's notifications (mostly logistics events) read."""

import re
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from singlewindow.errors import InvalidData, NotFound
from singlewindow.kit.web import DbSession
from singlewindow.logistics import permits, service
from singlewindow.logistics.schemas import BillTracking, ContainerTracking, SubscriptionCreate
from singlewindow.notifications import service as notifications
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Trader, flash, render

router = APIRouter()
CONTAINER_SHAPE = re.compile(r"^[A-Za-z]{4}\s*\d{6}\s*\d$")
"""Four letters and seven digits: the shape of an ISO 6346 number; anything else is a bill of lading."""


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


async def _track(
    session: DbSession, user: Trader, number: str
) -> tuple[ContainerTracking | BillTracking | None, str | None]:
    try:
        if CONTAINER_SHAPE.match(number.strip()):
            return await service.track_container(session, user.principal, number), None
        return await service.track_bill(session, user.principal, number), None
    except InvalidData as exc:
        return None, str(exc.errors[0]["msg"])
    except NotFound:
        return None, N_("Nothing you carry, declare or receive has that number.")


@router.get("/logistics", response_class=HTMLResponse)
async def logistics(
    request: Request,
    user: Trader,
    session: DbSession,
    number: Annotated[str, Query(max_length=35)] = "",
) -> HTMLResponse:
    """One page for a trader's logistics: the tracking form and result, subscriptions, notices, permits."""
    tracked, problem = await _track(session, user, number) if number.strip() else (None, None)
    issued = await service.permits_of(session, user.principal)
    return render(
        request,
        "logistics.html",
        number=number,
        tracked=tracked,
        problem=problem,
        subscriptions=[s for s in await service.subscriptions(session, user.principal) if s.active],
        notices=await service.notices(session, user.principal, limit=20),
        permits=[(p, Markup(permits.qr(p))) for p in issued],  # noqa: S704 (segno's SVG of our own URL)
    )


@router.post("/logistics/subscriptions")
async def subscribe(
    request: Request, user: Trader, session: DbSession, number: Annotated[str, Form(max_length=35)]
) -> Response:
    subject = {"container": number} if CONTAINER_SHAPE.match(number.strip()) else {"bill_of_lading": number}
    await service.subscribe(session, user.principal, SubscriptionCreate.model_validate(subject))
    await session.commit()
    flash(request, N_("Subscribed: each new event appears in your notifications and goes to your webhooks."))
    return RedirectResponse(f"{_base(request)}/logistics?number={number.strip()}", status_code=303)


@router.post("/logistics/subscriptions/{subscription_id}/delete")
async def unsubscribe(request: Request, subscription_id: uuid.UUID, user: Trader, session: DbSession) -> Response:
    await service.unsubscribe(session, user.principal, subscription_id)
    await session.commit()
    flash(request, N_("Subscription ended."))
    return RedirectResponse(f"{_base(request)}/logistics", status_code=303)


@router.post("/notifications/read")
async def notifications_read(request: Request, user: Trader, session: DbSession) -> Response:
    await notifications.mark_read(session, user.principal)
    await session.commit()
    return RedirectResponse(f"{_base(request)}/dashboard", status_code=303)


@router.get("/permits/{number}", response_class=HTMLResponse)
async def verify_permit(
    request: Request, number: str, session: DbSession, s: Annotated[str, Query(max_length=200)] = ""
) -> HTMLResponse:
    """Public: what a permit's QR code opens. No account needed; the officer compares it with the paper."""
    result = await permits.verify_reference(session, number, s)
    return render(request, "permit_verify.html", result=result, number=number)
