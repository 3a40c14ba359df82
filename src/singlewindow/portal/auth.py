"""Signing in and out, the language switch, and the home page that sends each kind of user to its desk."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from singlewindow.errors import Unauthorized
from singlewindow.identity import service as identity
from singlewindow.identity.models import PartyKind
from singlewindow.kit.web import DbSession
from singlewindow.portal.i18n import N_, language_of
from singlewindow.portal.web import User, current_user_or_none, flash, render, sign_in

router = APIRouter()
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
    return render(request, "login.html", next=next or "", error=None)


@router.post("/login")
async def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form()] = "",
) -> Response:
    try:
        principal = await identity.authenticate(session, username, password)
    except Unauthorized:
        await session.commit()
        return render(request, "login.html", status_code=401, next=next, error=N_("Wrong username or password."))
    party = await identity.party_of(session, principal)
    await session.commit()
    sign_in(request, principal, username, party.name)
    default = DESKS[principal.party_kind]
    return RedirectResponse(safe_next(request, next, default), status_code=303)


@router.post("/logout")
async def logout(request: Request, user: User) -> Response:
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    flash(request, N_("You have signed out."))
    return RedirectResponse(f"{request.scope.get('root_path', '')}/login", status_code=303)


@router.get("/lang/{code}")
async def switch_language(request: Request, code: str, next: str | None = None) -> Response:
    """A plain link, so it works without JavaScript; changing the language changes no data."""
    request.session["lang"] = language_of(code)
    return RedirectResponse(safe_next(request, next, "/"), status_code=303)
