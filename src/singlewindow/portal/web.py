"""Rendering and the signed-in user: what every portal view shares."""

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, partial
from importlib.resources import files
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.catalogue import document_types
from singlewindow.catalogue.code_lists import code_lists
from singlewindow.catalogue.elements import elements
from singlewindow.errors import Forbidden
from singlewindow.identity import service as identity
from singlewindow.identity.errors import NoDelegation
from singlewindow.identity.models import PartyKind
from singlewindow.identity.permissions import TOTP_ROLES
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession
from singlewindow.portal.i18n import HTML_LANG, LANGUAGES, N_, language_of, translations
from singlewindow.portal.security import CSRF_FIELD, CSRF_HEADER, csrf_token
from singlewindow.settings import Settings

SHOWN_ZONE = ZoneInfo("Asia/Shanghai")
"""Times are stored in UTC and shown in China Standard Time, the zone of every user of a Chinese single window."""


SESSION_VERSION = "token_version"
ACTING_FOR = "acting_for"


ENROLMENT_PATHS = frozenset(
    {"/account", "/account/totp", "/account/totp/confirm", "/account/password", "/account/sessions/revoke", "/logout"}
)
"""What a user who must enrol TOTP may still open: enough to enrol, nothing else (as the API's narrowed token)."""


class LoginRequired(Exception):
    """No signed-in user: the portal answers with the login page, not a 401 body."""


class TotpEnrolmentRequired(Exception):
    """``SW_TOTP_REQUIRED`` and a role that needs TOTP, not yet enrolled: the portal sends to the account page."""


@dataclass(frozen=True, slots=True)
class Client:
    """The enterprise a customs broker is acting for."""

    uscc: str
    name: str


@dataclass(frozen=True, slots=True)
class PortalUser:
    principal: Principal
    """Whom the pages act as: the user's own enterprise, or the client when ``acting_for`` is set."""
    username: str
    party_name: str
    acting_for: Client | None = None

    @property
    def kind(self) -> str:
        return self.principal.party_kind.value

    @property
    def own(self) -> Principal:
        """The user as signed in, for what stays with their own enterprise (account, keys, webhooks)."""
        if self.principal.broker_party_id is None:
            return self.principal
        return replace(self.principal, party_id=self.principal.broker_party_id, broker_party_id=None)


def day(value: date | None, *, end: bool = False) -> datetime | None:
    if value is None:
        return None
    return datetime.combine(value + timedelta(days=1) if end else value, time(), tzinfo=UTC)


def _when(value: datetime | None) -> str:
    return value.astimezone(SHOWN_ZONE).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def kind_name(document_type: str, kind: str, *, language: str) -> str | None:
    """The name of a document's kind where its type reads it from a field (vessel movement "A": arrival).

    The field's data element names the code list, and the code list has the names in both languages.
    """
    spec = document_types.document_types().get(document_type)
    field = spec.spec.get("kind_field") if spec else None
    if spec is None or not isinstance(field, str):
        return None
    element = elements().get(spec.spec["fields"][field]["element"])
    entry = code_lists().get(element.code_list).get(kind) if element and element.code_list else None
    if entry is None:
        return None
    return entry.name_en if language == "en" else entry.name_zh or entry.name_en


@cache
def environment(language: str) -> Environment:
    folder = str(files("singlewindow.portal").joinpath("templates"))
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["when"] = _when
    env.globals["kind_name"] = partial(kind_name, language=language)
    return env


def brand(settings: Settings, language: str) -> dict[str, str | None]:
    """National or regional name of the portal, from configuration."""
    if language == "en":
        region = settings.portal_region_en or settings.portal_region
        title = (
            f"China ({region}) International Trade Single Window"
            if region
            else "China International Trade Single Window"
        )
    else:
        title = (
            f"中国（{settings.portal_region}）国际贸易单一窗口" if settings.portal_region else "中国国际贸易单一窗口"
        )
    return {"title": title, "logo": settings.portal_logo_url}


def language(request: Request) -> str:
    return language_of(request.session.get("lang"))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    settings: Settings = request.app.state.settings
    base = request.scope.get("root_path", "")
    page = (
        environment(lang)
        .get_template(template)
        .render(
            request=request,
            P=base,
            lang=lang,
            html_lang=HTML_LANG[lang],
            languages=LANGUAGES,
            brand=brand(settings, lang),
            user=current_user_or_none(request),
            csrf=csrf_token(request),
            csrf_field=CSRF_FIELD,
            csrf_header=CSRF_HEADER,
            flash=None if template.startswith("fragments/") else request.session.pop("flash", None),
            path=request.url.path,
            **context,
        )
    )
    return HTMLResponse(page, status_code=status_code)


def flash(request: Request, message: str) -> None:
    """A one-time notice for the next page; ``message`` is an msgid marked with ``N_``."""
    request.session["flash"] = message


def sign_in(request: Request, principal: Principal, username: str, party_name: str, token_version: int) -> None:
    """A fresh session for the user; ``token_version`` ties it to identity's revocation of sessions."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update(
        {
            "party_id": str(principal.party_id),
            "party_kind": principal.party_kind.value,
            "roles": sorted(principal.roles),
            "user_id": str(principal.user_id),
            "agency": principal.agency,
            "username": username,
            "party_name": party_name,
            SESSION_VERSION: token_version,
        }
    )
    if lang:
        request.session["lang"] = lang
    csrf_token(request)


def sign_out(request: Request, notice: str) -> None:
    """Forget the user (the language stays) and leave a notice for the login page."""
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    flash(request, notice)


def current_user_or_none(request: Request) -> PortalUser | None:
    """The user as the cookie tells it, before any check against the database (see ``current_user``)."""
    checked: PortalUser | None = getattr(request.state, "portal_user", None)
    if checked is not None:
        return checked
    data = request.session
    if "user_id" not in data:
        return None
    principal = Principal(
        party_id=uuid.UUID(data["party_id"]),
        party_kind=PartyKind(data["party_kind"]),
        roles=frozenset(data["roles"]),
        user_id=uuid.UUID(data["user_id"]),
        agency=data.get("agency"),
    )
    return PortalUser(principal, data["username"], data["party_name"])


async def current_user(request: Request, session: DbSession) -> PortalUser:
    """The signed-in user, still valid in identity, acting for a client when the broker chose one.

    The signed cookie cannot be revoked, so every request compares its token version with the
    user's current one: after a password change or "sign out everywhere" the cookie is dead.
    """
    checked = getattr(request.state, "portal_user", None)
    if isinstance(checked, PortalUser):
        return checked
    user = current_user_or_none(request)
    if user is None:
        raise LoginRequired()
    version, _, totp_on = await identity.token_facts(session, user.principal)
    if version != request.session.get(SESSION_VERSION):
        sign_out(request, N_("Your session has ended: the password was changed or all sessions were signed out."))
        raise LoginRequired()
    if needs_totp(request, user, totp_on=totp_on) and _portal_path(request) not in ENROLMENT_PATHS:
        flash(request, N_("Your role needs two-step sign-in on this platform: set it up to continue."))
        raise TotpEnrolmentRequired()
    user = await _acting(request, session, user)
    request.state.portal_user = user
    return user


def needs_totp(request: Request, user: PortalUser, *, totp_on: bool) -> bool:
    """The rule the API's token endpoint applies: administrators, officers and operators, when required."""
    settings: Settings = request.app.state.settings
    return settings.totp_required and not totp_on and bool(user.own.roles & TOTP_ROLES)


def _portal_path(request: Request) -> str:
    return request.url.path.removeprefix(str(request.scope.get("root_path", "")))


async def _acting(request: Request, session: AsyncSession, user: PortalUser) -> PortalUser:
    uscc = request.session.get(ACTING_FOR)
    if not isinstance(uscc, str) or not user.principal.is_enterprise:
        return user
    try:
        return await acting_as(session, user, uscc)
    except NoDelegation:
        request.session.pop(ACTING_FOR, None)
        flash(request, N_("The client revoked its delegation: you act for your own enterprise again."))
        return user


async def acting_as(session: AsyncSession, user: PortalUser, uscc: str | None) -> PortalUser:
    """The same person acting for the client ``uscc`` (None: for their own enterprise); identity decides."""
    own = replace(user, principal=user.own, acting_for=None)
    if not uscc:
        return own
    principal = await identity.acting_for(session, own.principal, uscc)
    client = await identity.party_of(session, principal)
    return replace(own, principal=principal, acting_for=Client(client.uscc or uscc, client.name))


def remember_acting(request: Request, user: PortalUser) -> None:
    if user.acting_for:
        request.session[ACTING_FOR] = user.acting_for.uscc
    else:
        request.session.pop(ACTING_FOR, None)
    request.state.portal_user = user


def _require(kind: PartyKind, role: str | None = None) -> Any:
    def check(user: Annotated[PortalUser, Depends(current_user)]) -> PortalUser:
        if user.principal.party_kind is not kind or (role and role not in user.principal.roles):
            raise Forbidden("this page is for another kind of account")
        return user

    return check


User = Annotated[PortalUser, Depends(current_user)]
Trader = Annotated[PortalUser, Depends(_require(PartyKind.ENTERPRISE))]
Officer = Annotated[PortalUser, Depends(_require(PartyKind.AGENCY, "officer"))]
Operator = Annotated[PortalUser, Depends(_require(PartyKind.OPERATOR))]
