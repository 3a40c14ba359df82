"""Request limits checked before any route runs: body size, and how deeply a JSON body nests.

A body larger than the limit is refused (413) from its ``Content-Length`` without reading it,
or as soon as a chunked body passes the limit. A JSON body nested deeper than the limit is
refused (422) before a parser recurses into it: Python's ``json`` raises RecursionError
somewhere past a thousand levels, which would otherwise be a 500.
"""

import re
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from singlewindow.errors import SingleWindowError, Unprocessable, problem_response

_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'"[]{}')))
_OPENING = frozenset(b"[{")


class PayloadTooLarge(SingleWindowError):
    status = 413
    title = "Payload too large"


class BadContentLength(SingleWindowError):
    title = "Bad Content-Length"


class NestedTooDeeply(Unprocessable):
    title = "Nested too deeply"

    def problem(self) -> dict[str, Any]:
        error = {"loc": "$", "pointer": "/", "msg": self.detail, "type": "json_too_deep"}
        return {**super().problem(), "errors": [error]}


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in ``body`` (brackets inside strings do not count).

    Every step but the last loop runs in C, because this runs on every JSON body: escapes
    go first (so ``\\"`` ends no string), then everything but quotes and brackets. When
    each string is then an empty ``""`` (no string held a bracket, the usual case) the
    strings vanish with one ``replace``; otherwise the text between quotes is cut out.
    """
    if b"[" not in body and b"{" not in body:
        return 0
    if b"\\" in body:
        body = _ESCAPE.sub(b"", body)
    structure = body.translate(None, _NOT_STRUCTURE)
    outside = structure.replace(b'""', b"")
    if b'"' in outside:
        outside = b"".join(structure.split(b'"')[::2])
    depth = deepest = 0
    for bracket in outside:
        if bracket in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _is_json(headers: Headers) -> bool:
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class RequestLimits:
    """Pure ASGI middleware: it holds the body (at most ``max_body_bytes``) and hands it on whole."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_json_depth: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_json_depth = max_json_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _BODYLESS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            body = await self._read(headers, receive)
            if _is_json(headers) and body.count(b"[") + body.count(b"{") > self.max_json_depth:
                depth = json_depth(body)
                if depth > self.max_json_depth:
                    raise NestedTooDeeply(f"the JSON body nests {depth} levels deep; at most {self.max_json_depth}")
        except SingleWindowError as refused:
            await problem_response(refused)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, headers: Headers, receive: Receive) -> bytes:
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                raise BadContentLength(f"Content-Length {declared[:40]!r} is not a number of bytes")
            if int(declared) > self.max_body_bytes:
                raise PayloadTooLarge(f"the body is {declared} bytes; at most {self.max_body_bytes} are accepted")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise PayloadTooLarge(f"the body passed {self.max_body_bytes} bytes, the most accepted")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The whole body in one message, then the client's own messages (its disconnect, when it comes)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
