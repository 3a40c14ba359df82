"""Rendering and the signed-in user: what every portal view shares."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from singlewindow.errors import Forbidden
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.portal.i18n import HTML_LANG, LANGUAGES, language_of, translations
from singlewindow.portal.security import CSRF_FIELD, CSRF_HEADER, csrf_token
from singlewindow.settings import Settings

SHOWN_ZONE = ZoneInfo("Asia/Shanghai")
"""Times are stored in UTC and shown in China Standard Time, the zone of every user of a Chinese single window."""


class LoginRequired(Exception):
    """No signed-in user: the portal answers with the login page, not a 401 body."""


@dataclass(frozen=True, slots=True)
class PortalUser:
    principal: Principal
    username: str
    party_name: str

    @property
    def kind(self) -> str:
        return self.principal.party_kind.value


def _when(value: datetime | None) -> str:
    return value.astimezone(SHOWN_ZONE).strftime("%Y-%m-%d %H:%M:%S") if value else ""


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


def sign_in(request: Request, principal: Principal, username: str, party_name: str) -> None:
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
        }
    )
    if lang:
        request.session["lang"] = lang
    csrf_token(request)


def current_user_or_none(request: Request) -> PortalUser | None:
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


def current_user(request: Request) -> PortalUser:
    user = current_user_or_none(request)
    if user is None:
        raise LoginRequired()
    return user


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
