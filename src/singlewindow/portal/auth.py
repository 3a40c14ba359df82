"""Signing in and out, the language switch, and the home page that sends each kind of user to its desk."""

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from singlewindow.errors import Unauthorized
from singlewindow.identity import service as identity
from singlewindow.identity.errors import AccountLocked, OneTimeCodeNeeded
from singlewindow.identity.models import PartyKind
from singlewindow.kit.web import AppSettings, DbSession
from singlewindow.portal.i18n import N_, language_of
from singlewindow.portal.web import User, current_user_or_none, render, sign_in, sign_out

router = APIRouter()
ONE_TIME_CODE = re.compile(r"[0-9]{6}")
BAD_CODE_FORMAT = N_("The one-time code is the 6 digits your authenticator app shows.")
LOCKED = N_("Too many failed sign-ins: the account is locked for a while. Try again later.")
WRONG_CODE = N_("That one-time code is wrong or has expired.")
CODE_NEEDED = N_(
    "This account uses a one-time code: enter your password again with the 6-digit code from your authenticator app."
)
WRONG_PASSWORD = N_("Wrong username or password.")
DESKS = {PartyKind.ENTERPRISE: "/dashboard", PartyKind.AGENCY: "/queue", PartyKind.OPERATOR: "/operations"}


def safe_next(request: Request, target: str | None, default: str) -> str:
    """Only a path inside the portal: never an open redirect."""
    base = request.scope.get("root_path", "")
    if target and target.startswith(f"{base}/") and not target.startswith("//") and "\\" not in target:
        return target
    return f"{base}{default}"


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    user = current_user_or_none(request)
    desk = DESKS[user.principal.party_kind] if user else "/login"
    return RedirectResponse(f"{request.scope.get('root_path', '')}{desk}", status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", next=next or "", error=None, ask_code=False, username="")


def _refused(request: Request, status: int, error: str, username: str, next: str, *, ask_code: bool) -> HTMLResponse:
    """The login page again, with the code field once the account turned out to need one."""
    return render(
        request, "login.html", status_code=status, next=next, error=error, ask_code=ask_code, username=username
    )


@router.post("/login")
async def login(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    otp: Annotated[str | None, Form(max_length=20)] = None,
    next: Annotated[str, Form()] = "",
) -> Response:
    """Password, then (for an account with TOTP) the one-time code, counted toward lockout as the API counts it."""
    code = "".join((otp or "").split()) or None
    if code is not None and not ONE_TIME_CODE.fullmatch(code):
        return _refused(request, 422, BAD_CODE_FORMAT, username, next, ask_code=True)
    policy = identity.LoginPolicy(settings.lockout_threshold, settings.lockout_seconds)
    try:
        principal = await identity.authenticate(session, username, password, otp=code, policy=policy)
    except AccountLocked:
        await session.commit()
        return _refused(request, 401, LOCKED, username, next, ask_code=code is not None)
    except OneTimeCodeNeeded:
        await session.commit()
        return _refused(request, 401, WRONG_CODE if code else CODE_NEEDED, username, next, ask_code=True)
    except Unauthorized:
        await session.commit()
        return _refused(request, 401, WRONG_PASSWORD, username, next, ask_code=code is not None)
    party = await identity.party_of(session, principal)
    version, _, _ = await identity.token_facts(session, principal)
    await session.commit()
    sign_in(request, principal, username, party.name, version)
    default = DESKS[principal.party_kind]
    return RedirectResponse(safe_next(request, next, default), status_code=303)


@router.post("/logout")
async def logout(request: Request, user: User) -> Response:
    sign_out(request, N_("You have signed out."))
    return RedirectResponse(f"{request.scope.get('root_path', '')}/login", status_code=303)


@router.get("/lang/{code}")
async def switch_language(request: Request, code: str, next: str | None = None) -> Response:
    """A plain link, so it works without JavaScript; changing the language changes no data."""
    request.session["lang"] = language_of(code)
    return RedirectResponse(safe_next(request, next, "/"), status_code=303)
