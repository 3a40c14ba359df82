"""The account page: password, API keys and webhook subscriptions, through the identity and notification services."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError

from singlewindow.errors import SingleWindowError, field_error
from singlewindow.identity import service as identity
from singlewindow.identity.schemas import Password
from singlewindow.kit.web import DbSession
from singlewindow.notifications import service as notifications
from singlewindow.notifications.schemas import WebhookCreate
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import PortalUser, User, flash, render

router = APIRouter()
_password = TypeAdapter(Password)


def _home(request: Request) -> str:
    return f"{request.scope.get('root_path', '')}/account"


async def _page(
    request: Request, user: PortalUser, session: DbSession, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    principal = user.principal
    keys = await identity.list_api_keys(session, principal) if principal.is_enterprise else []
    hooks = await notifications.webhooks_of(session, principal) if principal.is_enterprise else []
    context: dict[str, Any] = {"problems": [], "new_key": None, "new_secret": None, **extra}
    return render(
        request,
        "account.html",
        status_code=status_code,
        party=await identity.party_of(session, principal),
        keys=keys,
        hooks=[h for h in hooks if h.active],
        **context,
    )


@router.get("/account", response_class=HTMLResponse)
async def account(request: Request, user: User, session: DbSession) -> HTMLResponse:
    return await _page(request, user, session)


@router.post("/account/password", response_class=HTMLResponse)
async def change_password(
    request: Request,
    user: User,
    session: DbSession,
    current: Annotated[str, Form(max_length=200)],
    new: Annotated[str, Form(max_length=200)],
    confirm: Annotated[str, Form(max_length=200)],
) -> Response:
    if new != confirm:
        return await _page(request, user, session, 422, problems=[N_("The two new passwords differ.")])
    try:
        _password.validate_python(new)
    except ValidationError as exc:
        return await _page(request, user, session, 422, problems=[field_error(e)["msg"] for e in exc.errors()])
    try:
        await identity.change_password(session, user.principal, current, new)
    except SingleWindowError as exc:
        await session.commit()
        return await _page(request, user, session, exc.status, problems=[exc.detail])
    await session.commit()
    flash(request, N_("Password changed."))
    return RedirectResponse(_home(request), status_code=303)


@router.post("/account/api-keys", response_class=HTMLResponse)
async def create_api_key(
    request: Request, user: User, session: DbSession, name: Annotated[str, Form(min_length=1, max_length=80)]
) -> HTMLResponse:
    """The key is shown once, on this page; only its hash is kept."""
    _, key = await identity.create_api_key(session, user.principal, name, ["declarant"])
    await session.commit()
    return await _page(request, user, session, new_key=key)


@router.post("/account/api-keys/{key_id}/revoke")
async def revoke_api_key(request: Request, key_id: uuid.UUID, user: User, session: DbSession) -> Response:
    await identity.revoke_api_key(session, user.principal, key_id)
    await session.commit()
    flash(request, N_("API key revoked."))
    return RedirectResponse(_home(request), status_code=303)


@router.post("/account/webhooks", response_class=HTMLResponse)
async def add_webhook(
    request: Request, user: User, session: DbSession, url: Annotated[str, Form(max_length=500)]
) -> HTMLResponse:
    try:
        data = WebhookCreate(url=url)
    except ValidationError as exc:
        return await _page(request, user, session, 422, problems=[field_error(e)["msg"] for e in exc.errors()])
    hook = await notifications.subscribe(session, user.principal, data)
    await session.commit()
    return await _page(request, user, session, new_secret=hook.secret)


@router.post("/account/webhooks/{webhook_id}/remove")
async def remove_webhook(request: Request, webhook_id: uuid.UUID, user: User, session: DbSession) -> Response:
    await notifications.unsubscribe(session, user.principal, webhook_id)
    await session.commit()
    flash(request, N_("Webhook removed."))
    return RedirectResponse(_home(request), status_code=303)
