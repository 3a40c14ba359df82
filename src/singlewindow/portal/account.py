"""The account page: password, sessions, delegations, API keys and webhooks, through identity and notifications.

Everything here belongs to the user's own enterprise, also while a broker acts for a client.
"""

import uuid
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError

from singlewindow.errors import SingleWindowError, Unauthorized, Unprocessable, field_error
from singlewindow.identity import service as identity
from singlewindow.identity.permissions import allowed
from singlewindow.identity.schemas import DelegationCreate, Password
from singlewindow.kit.web import DbSession
from singlewindow.notifications import service as notifications
from singlewindow.notifications.schemas import WebhookCreate
from singlewindow.portal import brokers
from singlewindow.portal.auth import BAD_CODE_FORMAT, ONE_TIME_CODE
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import SESSION_VERSION, PortalUser, Trader, User, flash, needs_totp, render, sign_out

router = APIRouter()
CODE_MISMATCH = N_("That code does not match the key: two-step sign-in stays off. Set it up again.")
ACCOUNT_PERMISSIONS = ("api_key:manage", "webhook:read", "webhook:manage", "delegation:read", "delegation:manage")
"""What decides which sections of the page a user sees: a declarant or finance user still changes a password."""
_password = TypeAdapter(Password)


def _home(request: Request) -> str:
    return f"{request.scope.get('root_path', '')}/account"


async def _page(
    request: Request, user: PortalUser, session: DbSession, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    principal = user.own
    may = {p: principal.is_enterprise and allowed(principal, p) for p in ACCOUNT_PERMISSIONS}
    keys = await identity.list_api_keys(session, principal) if may["api_key:manage"] else []
    hooks = await notifications.webhooks_of(session, principal) if may["webhook:read"] else []
    _, _, totp_on = await identity.token_facts(session, principal)
    context: dict[str, Any] = {"problems": [], "new_key": None, "new_secret": None, "enrolment": None, **extra}
    return render(
        request,
        "account.html",
        status_code=status_code,
        party=await identity.party_of(session, principal),
        keys=keys,
        hooks=[h for h in hooks if h.active],
        delegations=await brokers.delegations_of(session, user),
        scope=brokers.scope(),
        may=may,
        totp_on=totp_on,
        totp_needed=needs_totp(request, user, totp_on=totp_on),
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
        await identity.change_password(session, user.own, current, new)
    except SingleWindowError as exc:
        await session.commit()
        return await _page(request, user, session, exc.status, problems=[exc.detail])
    version, _, _ = await identity.token_facts(session, user.own)
    await session.commit()
    request.session[SESSION_VERSION] = version
    flash(request, N_("Password changed. Every other session of yours has been signed out."))
    return RedirectResponse(_home(request), status_code=303)


@router.post("/account/totp", response_class=HTMLResponse)
async def begin_totp(request: Request, user: User, session: DbSession) -> HTMLResponse:
    """The key and its QR code, shown once; TOTP is on only after a code from the app is confirmed."""
    secret, uri = await identity.begin_totp(session, user.own)
    await session.commit()
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return await _page(request, user, session, enrolment={"secret": secret, "uri": uri, "qr": qr})


@router.post("/account/totp/confirm", response_class=HTMLResponse)
async def confirm_totp(
    request: Request, user: User, session: DbSession, code: Annotated[str, Form(max_length=20)]
) -> Response:
    typed = "".join(code.split())
    if not ONE_TIME_CODE.fullmatch(typed):
        return await _page(request, user, session, 422, problems=[BAD_CODE_FORMAT])
    try:
        await identity.confirm_totp(session, user.own, typed)
    except Unauthorized:
        return await _page(request, user, session, 401, problems=[CODE_MISMATCH])
    await session.commit()
    flash(request, N_("Two-step sign-in is on: from now on you sign in with a one-time code as well."))
    return RedirectResponse(_home(request), status_code=303)


@router.post("/account/sessions/revoke")
async def sign_out_everywhere(request: Request, user: User, session: DbSession) -> Response:
    """Every portal session and API token of the user ends, this one included."""
    own = user.own
    if own.user_id is None:
        raise Unprocessable("only a user signed in here has sessions to end")
    await identity.revoke_sessions(session, own, own.user_id)
    await session.commit()
    sign_out(request, N_("You have signed out everywhere."))
    return RedirectResponse(f"{request.scope.get('root_path', '')}/login", status_code=303)


@router.post("/account/delegations", response_class=HTMLResponse)
async def grant_delegation(
    request: Request, user: Trader, session: DbSession, broker_uscc: Annotated[str, Form(max_length=40)]
) -> Response:
    """A client's administrator lets a customs broker declare in the enterprise's name."""
    try:
        data = DelegationCreate(broker_uscc=broker_uscc)
    except ValidationError as exc:
        return await _page(request, user, session, 422, problems=[field_error(e)["msg"] for e in exc.errors()])
    try:
        await identity.grant_delegation(session, user.own, data.broker_uscc)
    except SingleWindowError as exc:
        return await _page(request, user, session, exc.status, problems=[exc.detail])
    await session.commit()
    flash(request, N_("Delegation granted."))
    return RedirectResponse(_home(request), status_code=303)


@router.post("/account/delegations/{delegation_id}/revoke")
async def revoke_delegation(request: Request, delegation_id: uuid.UUID, user: Trader, session: DbSession) -> Response:
    await identity.revoke_delegation(session, user.own, delegation_id)
    await session.commit()
    flash(request, N_("Delegation revoked."))
    return RedirectResponse(_home(request), status_code=303)


@router.post("/account/api-keys", response_class=HTMLResponse)
async def create_api_key(
    request: Request, user: User, session: DbSession, name: Annotated[str, Form(min_length=1, max_length=80)]
) -> HTMLResponse:
    """The key is shown once, on this page; only its hash is kept."""
    _, key = await identity.create_api_key(session, user.own, name, ["declarant"])
    await session.commit()
    return await _page(request, user, session, new_key=key)


@router.post("/account/api-keys/{key_id}/revoke")
async def revoke_api_key(request: Request, key_id: uuid.UUID, user: User, session: DbSession) -> Response:
    await identity.revoke_api_key(session, user.own, key_id)
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
    hook = await notifications.subscribe(session, user.own, data)
    await session.commit()
    return await _page(request, user, session, new_secret=hook.secret)


@router.post("/account/webhooks/{webhook_id}/remove")
async def remove_webhook(request: Request, webhook_id: uuid.UUID, user: User, session: DbSession) -> Response:
    await notifications.unsubscribe(session, user.own, webhook_id)
    await session.commit()
    flash(request, N_("Webhook removed."))
    return RedirectResponse(_home(request), status_code=303)
