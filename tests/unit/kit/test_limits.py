"""Request limits: the nesting depth they measure is the JSON document's real depth; what they refuse, and how."""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st
from starlette.types import Message, Receive, Scope, Send

from singlewindow.kit.limits import RequestLimits, json_depth

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
TRICKY_TEXT = st.text(alphabet='[]{}"\\ab', max_size=12)
DOCUMENTS = st.recursive(
    SCALARS | TRICKY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TRICKY_TEXT, children, max_size=4),
    max_leaves=40,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@given(DOCUMENTS, st.booleans())
def test_the_measured_depth_is_the_documents_depth(document: Any, ascii_only: bool) -> None:
    body = json.dumps(document, ensure_ascii=ascii_only, indent=None).encode()
    assert json_depth(body) == depth(document)


def test_escaped_quotes_and_backslashes_neither_end_nor_start_a_string() -> None:
    body = json.dumps({"a": 'x\\"[[[', "b": "\\", "c": [[["]"]]]}).encode()
    assert json_depth(body) == 4


# --- the middleware ----------------------------------------------------------------------------

LIMIT = 1024
DEPTH = 4


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with the body it received."""
    message = await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": message.get("body", b"")})


def limited_client() -> httpx.AsyncClient:
    app = RequestLimits(echo, max_body_bytes=LIMIT, max_json_depth=DEPTH)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def chunks(count: int, size: int = 256) -> AsyncIterator[bytes]:
    for _ in range(count):
        yield b" " * size


async def test_a_streamed_body_reaches_the_app_in_one_piece() -> None:
    async with limited_client() as client:
        response = await client.post("/", content=chunks(4), headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert response.content == b" " * LIMIT


async def test_after_the_body_the_app_hears_the_clients_own_messages() -> None:
    """A handler waiting for the disconnect waits for the real one, not one made up by the middleware."""
    client_messages: list[Message] = [
        {"type": "http.request", "body": b"{}", "more_body": False},
        {"type": "http.disconnect", "from": "client"},
    ]
    heard: list[Message] = []

    async def listening(scope: Scope, receive: Receive, send: Send) -> None:
        heard.extend([await receive(), await receive()])

    async def receive() -> Message:
        return client_messages.pop(0)

    async def send(message: Message) -> None:
        raise AssertionError("the app sends nothing")

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [(b"content-type", b"application/json")]}
    await RequestLimits(listening, max_body_bytes=LIMIT, max_json_depth=DEPTH)(scope, receive, send)
    assert heard == [
        {"type": "http.request", "body": b"{}", "more_body": False},
        {"type": "http.disconnect", "from": "client"},
    ]


async def test_a_declared_oversized_body_is_refused_with_a_problem() -> None:
    async with limited_client() as client:
        response = await client.post("/", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == f"the body is {LIMIT + 1} bytes; at most {LIMIT} are accepted"


async def test_a_streamed_body_is_refused_once_it_passes_the_limit() -> None:
    async with limited_client() as client:
        response = await client.post("/", content=chunks(5))
    assert response.status_code == 413
    assert response.json()["detail"] == f"the body passed {LIMIT} bytes, the most accepted"


async def test_a_content_length_that_is_no_number_is_refused() -> None:
    async with limited_client() as client:
        response = await client.post("/", content=b"{}", headers={"Content-Length": "-2"})
    assert response.status_code == 400
    assert "is not a number of bytes" in response.json()["detail"]


async def test_json_nested_past_the_limit_is_refused_and_other_media_types_are_not_measured() -> None:
    nested = b"[" * (DEPTH + 1) + b"]" * (DEPTH + 1)
    async with limited_client() as client:
        refused = await client.post("/", content=nested, headers={"Content-Type": "application/problem+json"})
        at_limit = await client.post("/", content=nested[1:-1], headers={"Content-Type": "application/json"})
        not_json = await client.post("/", content=nested, headers={"Content-Type": "text/plain"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "loc": "$",
            "pointer": "/",
            "msg": f"the JSON body nests {DEPTH + 1} levels deep; at most {DEPTH}",
            "type": "json_too_deep",
        }
    ]
    assert (at_limit.status_code, not_json.status_code) == (200, 200)


async def test_bodyless_methods_pass_untouched() -> None:
    async with limited_client() as client:
        response = await client.request("GET", "/", content=b"[" * (DEPTH + 1))
    assert response.status_code == 200
