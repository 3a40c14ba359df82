"""Declarations arriving as UN/EDIFACT or XML become the same canonical JSON before the API sees them.

The route class decodes the body, validates it as a ``CargoDeclaration`` (so that errors
name the segment or XPath), and hands the endpoint canonical JSON: from there on a CUSDEC
and a JSON submission take exactly the same path.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import Message

from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.exchange.service import canonical_json
from singlewindow.formats.inbound import CONTENT_TYPES, decode_declaration, is_foreign_format
from singlewindow.formats.parsed import validate

Handler = Callable[[Request], Coroutine[Any, Any, Response]]

OPENAPI_BODIES: dict[str, Any] = {
    "requestBody": {
        "content": {
            media: {"schema": {"type": "string", "description": description}}
            for media, description in CONTENT_TYPES.items()
        }
    }
}
"""Added to the OpenAPI of the endpoints that take a declaration, beside the JSON schema."""


def canonical_document(content_type: str, body: bytes) -> dict[str, Any]:
    declaration = validate(decode_declaration(content_type, body), CargoDeclaration)
    return declaration.model_dump(mode="json", exclude_none=True)


def _as_json(request: Request, body: bytes) -> Request:
    headers = [(k, v) for k, v in request.scope["headers"] if k not in {b"content-type", b"content-length"}]
    headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request({**request.scope, "headers": headers}, receive)


class DeclarationFormatsRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if self.openapi_extra != OPENAPI_BODIES:
            return handler

        async def route(request: Request) -> Response:
            content_type = request.headers.get("content-type", "")
            if request.method in {"POST", "PUT"} and is_foreign_format(content_type):
                document = canonical_document(content_type, await request.body())
                request = _as_json(request, canonical_json(document))
            return await handler(request)

        return route
