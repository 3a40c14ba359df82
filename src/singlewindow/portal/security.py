"""Cookie session, CSRF and security headers: the portal's own edge, separate from the API's tokens.

The session is Starlette's signed cookie (itsdangerous): HttpOnly, SameSite=Lax, Secure when
the public URL is https. Every POST must carry the session's CSRF token, in the form
(``csrf_token``) or, for htmx, in the ``X-CSRF-Token`` header set once on ``<body>``.
"""

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from singlewindow.errors import Forbidden
from singlewindow.settings import Settings

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_COOKIE = "sw_portal"
STATIC = "/static/"
NO_STORE = {"Cache-Control": "no-store"}
HSTS = "max-age=31536000; includeSubDomains"
"""A year: once a browser has seen the portal over https it never asks for it over http again."""


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def check_csrf(request: Request) -> None:
    """A dependency on every portal router: a POST without this session's token changes nothing."""
    if request.method != "POST":
        return
    expected = request.session.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not (isinstance(expected, str) and sent and hmac.compare_digest(expected, sent)):
        raise Forbidden("the form has expired or did not come from this portal; reload the page and try again")


def content_security_policy(settings: Settings) -> str:
    images = "'self' data:"
    if settings.portal_logo_url and settings.portal_logo_url.startswith("https://"):
        parts = urlsplit(settings.portal_logo_url)
        images += f" {parts.scheme}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )


class SecurityHeaders:
    """Pure ASGI middleware adding the headers above to every portal response that does not set its own.

    Pages are never cached (``no-store``); static assets, under ``/static/``, keep theirs. A
    deployment whose public URL is https also sends HSTS (it is meaningless, and ignored, over http).
    """

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.headers = {
            "Content-Security-Policy": content_security_policy(settings),
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        }
        if settings.public_url.startswith("https://"):
            self.headers["Strict-Transport-Security"] = HSTS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self.headers if _within_mount(scope).startswith(STATIC) else {**self.headers, **NO_STORE}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in headers.items():
                    response_headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _within_mount(scope: Scope) -> str:
    """The request path below the portal's mount point (``/static/portal.css``)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path
