"""Licences in the portal: the holder's licences with balances and usage, and the issuing officer's issue and revoke.

The pages call the licence service with the signed-in principal, so the portal shows exactly
what the API would: a holder its own licences, an agency the licences it issued.
"""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from singlewindow.errors import field_error
from singlewindow.kit.clock import utcnow
from singlewindow.kit.web import DbSession
from singlewindow.licences import service as licences
from singlewindow.licences.kinds import kinds
from singlewindow.licences.schemas import LicenceIssue
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Officer, PortalUser, User, flash, render

router = APIRouter()
GOODS_FIELDS = ("hs_code", "description", "quantity", "unit", "value", "currency")


def amount(value: Decimal) -> str:
    """A balance as people write it: no exponent, no trailing zeros (24000, not 2.4E+4 or 24000.0000)."""
    return format(value.normalize(), "f")


def _kinds_of(user: PortalUser) -> list[Any]:
    """The kinds this officer's agency issues (empty for everyone else)."""
    return [k for k in kinds().values() if k.agency == user.principal.agency]


@router.get("/licences", response_class=HTMLResponse)
async def licence_list(request: Request, user: User, session: DbSession) -> HTMLResponse:
    """A holder's licences; an agency's officer: the licences it issued; the operator: every licence."""
    found = await licences.listing(session, user.principal)
    return render(
        request, "licences.html", licences=found, kinds=kinds(), can_issue=bool(_kinds_of(user)), amount=amount
    )


def _blank_form() -> dict[str, str]:
    today = utcnow().date().isoformat()
    return {"kind": "", "holder_uscc": "", "valid_from": today, "valid_until": "", **dict.fromkeys(GOODS_FIELDS, "")}


@router.get("/licences/new", response_class=HTMLResponse)
async def new_licence(request: Request, user: Officer) -> HTMLResponse:
    return render(request, "licence_form.html", form=_blank_form(), kinds=_kinds_of(user), problems=[])


@router.post("/licences/new")
async def issue(request: Request, user: Officer, session: DbSession) -> Response:
    posted = await request.form()
    form = {k: str(posted.get(k, "")).strip() for k in _blank_form()}
    goods = {k: form.get(k) or None for k in GOODS_FIELDS}
    payload = {k: form.get(k, "") for k in ("kind", "holder_uscc", "valid_from", "valid_until")}
    try:
        data = LicenceIssue.model_validate({**payload, "goods": [goods]})
    except ValidationError as exc:
        problems = [f"{field_error(e)['loc'].removeprefix('$.')}: {field_error(e)['msg']}" for e in exc.errors()]
        context = {"form": form, "kinds": _kinds_of(user), "problems": problems}
        return render(request, "licence_form.html", status_code=422, **context)
    licence = await licences.issue(session, user.principal, data)
    await session.commit()
    flash(request, N_("Licence issued."))
    return RedirectResponse(f"{request.scope.get('root_path', '')}/licences/{licence.number}", status_code=303)


@router.get("/licences/{number}", response_class=HTMLResponse)
async def licence_page(request: Request, number: str, user: User, session: DbSession) -> HTMLResponse:
    """Balances per goods line, and every declaration that reserved, used or gave back part of them."""
    licence = await licences.view(session, user.principal, number)
    uses = await licences.uses(session, user.principal, number)
    can_revoke = user.principal.agency == licence.agency and licence.status != "revoked"
    context: dict[str, Any] = {"licence": licence, "uses": uses, "kinds": kinds(), "can_revoke": can_revoke}
    return render(request, "licence.html", amount=amount, **context)


@router.post("/licences/{number}/revoke")
async def revoke(
    request: Request,
    number: str,
    user: Officer,
    session: DbSession,
    reason: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    await licences.revoke(session, user.principal, number, reason.strip(), actor=user.principal.actor)
    await session.commit()
    flash(request, N_("Licence revoked."))
    return RedirectResponse(f"{request.scope.get('root_path', '')}/licences/{number}", status_code=303)
