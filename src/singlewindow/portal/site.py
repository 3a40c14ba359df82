"""The portal sub-app: mounted at /portal on the platform, with its own session, CSRF and headers."""

from importlib.resources import files
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from singlewindow.errors import SingleWindowError
from singlewindow.identity.dependencies import PUBLIC
from singlewindow.portal import (
    account,
    auth,
    brokers,
    catalogue,
    documents,
    licences,
    logistics,
    officer,
    operator,
    payments,
    sharing,
    sharing_data,
    statistics,
    trade,
    views,
)
from singlewindow.portal.security import SESSION_COOKIE, SecurityHeaders, check_csrf
from singlewindow.portal.web import LoginRequired, TotpEnrolmentRequired, render
from singlewindow.settings import Settings

MOUNT = "/portal"


def create_portal(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> FastAPI:
    portal = FastAPI(title="Single Window portal", docs_url=None, redoc_url=None, openapi_url=None)
    portal.state.settings = settings
    portal.state.sessions = sessions
    for module in (
        auth,
        views,
        documents,
        account,
        brokers,
        catalogue,
        officer,
        operator,
        sharing,
        statistics,
        licences,
        trade,
        logistics,
        payments,
        sharing_data,
    ):
        portal.include_router(module.router, dependencies=[Depends(check_csrf)])
    portal.mount("/static", StaticFiles(directory=str(files("singlewindow.portal").joinpath("static"))), "static")

    @portal.get("/theme.css", include_in_schema=False)
    async def theme() -> Response:
        """Branding colours as CSS variables, so the CSP needs no inline style."""
        css = f":root {{ --primary: {settings.portal_primary_color}; --on-primary: {settings.portal_text_color}; }}\n"
        return PlainTextResponse(css, media_type="text/css", headers={"Cache-Control": "max-age=300"})

    async def login_required(request: Request, _: Exception) -> Response:
        """The login page, for htmx as a full-page redirect rather than a login form swapped into a fragment."""
        if request.headers.get("HX-Request"):
            page = urlsplit(request.headers.get("HX-Current-URL", ""))
            back = page.path + (f"?{page.query}" if page.query else "")
            return Response(status_code=204, headers={"HX-Redirect": f"{MOUNT}/login?next={quote(back)}"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{MOUNT}/login?next={quote(target)}", status_code=303)

    async def domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SingleWindowError)
        return render(request, "error.html", status_code=exc.status, error=exc)

    async def enrol_totp(request: Request, _: Exception) -> Response:
        return RedirectResponse(f"{MOUNT}/account#h-totp", status_code=303)

    portal.add_exception_handler(LoginRequired, login_required)
    portal.add_exception_handler(TotpEnrolmentRequired, enrol_totp)
    portal.add_exception_handler(SingleWindowError, domain_error)
    portal.add_middleware(SecurityHeaders, settings=settings)
    portal.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value() + ":portal-session",
        session_cookie=SESSION_COOKIE,
        max_age=settings.portal_session_max_age_seconds,
        path=MOUNT,
        same_site="lax",
        https_only=settings.public_url.startswith("https://"),
    )
    return portal


def install(app: FastAPI, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Mount the portal and send visitors of ``/`` to it."""
    app.mount(MOUNT, create_portal(settings, sessions))

    @app.get("/", include_in_schema=False, dependencies=[PUBLIC])
    async def home() -> RedirectResponse:
        return RedirectResponse(f"{MOUNT}/", status_code=307)
