"""Cookie session, CSRF and security headers: the portal's own edge, separate from the API's tokens.

The session is Starlette's signed cookie (itsdangerous): HttpOnly, SameSite=Lax, Secure when
the public URL is https. Every POST must carry the session's CSRF token, in the form
(``csrf_token``) or, for htmx, in the ``X-CSRF-Token`` header set once on ``<body>``.
"""

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import Request, Response

from singlewindow.errors import Forbidden
from singlewindow.settings import Settings

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_COOKIE = "sw_portal"


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


def security_headers(
    settings: Settings,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    headers = {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Cache-Control": "no-store",
    }

    async def add_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in headers.items():
            if name == "Cache-Control" and request.url.path.startswith(f"{request.scope.get('root_path', '')}/static"):
                continue
            response.headers.setdefault(name, value)
        return response

    return add_headers
