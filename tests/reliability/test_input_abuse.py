"""Hostile input: a fuzzed API finds no 500 and no response off its schema; bombs are refused early.

Schemathesis generates requests for every operation in the OpenAPI document (a bounded number
of examples each) and sends them, with a valid trader token, to the ASGI app on a seeded SQLite
database. The hand-written cases check what a fuzzer does not aim at: bodies past the size
limit (refused before they are read), JSON nested to blow the parser's stack, XML entity
expansion, malformed EDIFACT.
"""

import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from support.documents import import_declaration

from singlewindow import demo
from singlewindow.app import create_app
from singlewindow.kit.db import create_engine, session_factory
from singlewindow.kit.migrate import upgrade_async
from singlewindow.settings import Settings

pytestmark = pytest.mark.reliability
PASSWORD = "abuse horse battery staple"
BODY_LIMIT = 256 * 1024
EXAMPLES_PER_OPERATION = 8
DECLARATIONS = "/api/v1/declarations"


ROOT = Path(tempfile.mkdtemp(prefix="sw-abuse-"))
SETTINGS = Settings(
    database_url=f"sqlite+aiosqlite:///{ROOT / 'abuse.db'}",
    data_dir=ROOT,
    public_url="http://platform.test",
    max_body_bytes=BODY_LIMIT,
    log_json=False,
)
FUZZED = create_app(SETTINGS)
"""Built at import, as schemathesis needs its schema then; it opens no connection before the first request."""
schema = schemathesis.openapi.from_asgi("/openapi.json", FUZZED)


@schemathesis.serializer("application/EDIFACT")
def edifact_as_text(_: schemathesis.SerializationContext, value: Any) -> bytes:
    """EDIFACT bodies are text; the fuzzer sends whatever string it drew."""
    return value if isinstance(value, bytes) else str(value).encode()


@dataclass(frozen=True)
class Seeded:
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="module")
async def seeded() -> AsyncIterator[Seeded]:
    """The database migrated and seeded, and a trader's token; the directory goes when the module is done."""
    await upgrade_async(SETTINGS.database_url)
    engine = create_engine(SETTINGS.database_url)
    async with session_factory(engine)() as session:
        await demo.seed(session, password=PASSWORD, public_url=SETTINGS.public_url, simulators_enabled=False)
        await session.commit()
    await engine.dispose()
    app = create_app(SETTINGS)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://platform.test") as client:
        response = await client.post("/api/v1/auth/token", data={"username": demo.DEMO_TRADER, "password": PASSWORD})
    await app.state.platform.close()
    assert response.status_code == 200, response.text
    yield Seeded(response.json()["access_token"])
    await FUZZED.state.platform.close()
    shutil.rmtree(ROOT, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_500_or_leaves_its_schema(case: schemathesis.Case[Any], seeded: Seeded) -> None:
    case.call_and_validate(headers=seeded.headers, checks=[not_a_server_error, response_schema_conformance])


@pytest.fixture
async def client(seeded: Seeded) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(SETTINGS)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://platform.test") as client:
        yield client
    await app.state.platform.close()


class CountingBody:
    """A streamed request body that counts how much of it the server pulled."""

    def __init__(self, chunks: int, size: int = 64 * 1024) -> None:
        self.chunks, self.size, self.read = chunks, size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.read += 1
            yield b" " * self.size


async def test_a_declared_oversized_body_is_refused_unread(client: httpx.AsyncClient, seeded: Seeded) -> None:
    body = CountingBody(chunks=64)
    headers = {**seeded.headers, "Content-Type": "application/json", "Content-Length": str(64 * 64 * 1024)}
    response = await client.post(DECLARATIONS, content=body, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert f"at most {BODY_LIMIT} are accepted" in response.json()["detail"]
    assert body.read == 0


async def test_a_chunked_oversized_body_is_cut_off_at_the_limit(client: httpx.AsyncClient, seeded: Seeded) -> None:
    body = CountingBody(chunks=64)
    response = await client.post(
        DECLARATIONS, content=body, headers={**seeded.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert body.read == BODY_LIMIT // body.size + 1


@pytest.mark.parametrize("depth", [33, 100_000])
async def test_deeply_nested_json_is_refused_before_parsing(
    client: httpx.AsyncClient, seeded: Seeded, depth: int
) -> None:
    nested = b'{"reference":' + b"[" * depth + b"]" * depth + b"}"
    response = await client.post(
        DECLARATIONS, content=nested, headers={**seeded.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"] == [
        {
            "loc": "$",
            "pointer": "/",
            "msg": f"the JSON body nests {depth + 1} levels deep; at most 32",
            "type": "json_too_deep",
        }
    ]


async def test_brackets_inside_strings_do_not_count_as_nesting(client: httpx.AsyncClient, seeded: Seeded) -> None:
    document = import_declaration(remarks="[" * 200 + "{" * 200)
    response = await client.post(DECLARATIONS, json=document, headers=seeded.headers)
    assert response.status_code != 422 or all(e["type"] != "json_too_deep" for e in response.json()["errors"])


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CargoDeclaration xmlns="urn:singlewindow:cargo-declaration:1"><reference>&lol9;</reference></CargoDeclaration>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CargoDeclaration xmlns="urn:singlewindow:cargo-declaration:1"><reference>&xxe;</reference></CargoDeclaration>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
async def test_xml_with_entities_is_refused(client: httpx.AsyncClient, seeded: Seeded, document: bytes) -> None:
    response = await client.post(
        DECLARATIONS, content=document, headers={**seeded.headers, "Content-Type": "application/xml"}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "root:" not in response.text, "no file was read into the answer"
    assert "lollol" not in response.text, "no entity was expanded"


@pytest.mark.parametrize(
    "document",
    [b"UNA:+.? 'UNB+UNOC:3+SENDER+RECEIVER+", b"UNH+1+CUSDEC:D:96B:UN'BGM+", b"\x00\xff\xfe garbage"],
    ids=["truncated-interchange", "no-envelope", "binary"],
)
async def test_malformed_edifact_is_refused(client: httpx.AsyncClient, seeded: Seeded, document: bytes) -> None:
    response = await client.post(
        DECLARATIONS, content=document, headers={**seeded.headers, "Content-Type": "application/EDIFACT"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"], "the refusal says where"
