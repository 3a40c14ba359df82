"""Bad declarations through the API: one 422 problem naming every failing field, and nothing stored."""

import asyncio
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from sqlalchemy import func, select
from support.documents import import_declaration
from support.mutations import Mutation, mutations, replaced, without

from singlewindow.app import Platform
from singlewindow.declarations.models import AgencyTask, Declaration
from singlewindow.exchange.models import OutboxMessage

API = "/api/v1/declarations"
PROBLEM_JSON = "application/problem+json"
Document = dict[str, Any]


async def stored(platform: Platform) -> dict[str, int]:
    """Rows of everything a submission writes."""
    async with platform.sessions() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Declaration, AgencyTask, OutboxMessage)
        }


async def refused(client: httpx.AsyncClient, headers: dict[str, str], document: Any) -> list[dict[str, Any]]:
    """The ``errors`` of the 422 problem the API answers ``document`` with."""
    response = await client.post(API, json=document, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert (problem["status"], problem["title"]) == (422, "Invalid data")
    assert problem["detail"] == f"{len(problem['errors'])} field(s) failed validation"
    for error in problem["errors"]:
        assert set(error) == {"loc", "pointer", "msg", "type"}
    return problem["errors"]  # type: ignore[no-any-return]


def container(number: str) -> Document:
    return {"number": number, "size_type": "22G1"}


async def test_a_bad_field_is_named_by_json_path_and_pointer(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    document = replaced(import_declaration(), ("goods", 0, "hs_code"), "999998")
    assert await refused(client, trader, document) == [
        {
            "loc": "$.goods[0].hs_code",
            "pointer": "/goods/0/hs_code",
            "msg": "'999998' is not an HS subheading (6, 8 or 10 digits; first 6 in HS2022)",
            "type": "value_error",
        }
    ]


@pytest.mark.parametrize(
    ("document", "locs"),
    [
        (
            without(
                replaced(import_declaration(currency="XXY"), ("goods", 1, "unit"), "ZZZ"), ("consignor", "country")
            ),
            {"$.currency", "$.goods[1].unit", "$.consignor.country"},
        ),
        (
            import_declaration(port_of_discharge="USLAX", country="FR", containers=[container("CSQU3054383")] * 2),
            {"$.port_of_discharge", "$.country", "$.containers[1].number"},
        ),
    ],
    ids=["schema", "rules"],
)
async def test_every_failing_field_is_listed(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, document: Document, locs: set[str]
) -> None:
    errors = await refused(client, trader, document)
    assert len(errors) == 3
    assert {e["loc"] for e in errors} == locs
    assert sum((await stored(platform)).values()) == 0


@pytest.mark.parametrize(
    ("document", "loc"),
    [
        ([import_declaration()], "$"),
        ({**import_declaration(), "body": "not a field"}, "$.body"),
        (replaced(import_declaration(), ("containers", 0, "number"), "ÄSQU3054383"), "$.containers[0].number"),
    ],
    ids=["not-an-object", "a-field-named-body", "non-ascii-container"],
)
async def test_odd_bodies_are_refused_not_crashed_on(
    client: httpx.AsyncClient, trader: dict[str, str], document: Any, loc: str
) -> None:
    assert [e["loc"] for e in await refused(client, trader, document)] == [loc]


async def test_a_body_that_is_not_json_is_a_problem(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    response = await client.post(
        API, content=b'{"type": "import",', headers={**trader, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["errors"][0]["type"] == "json_invalid"


async def test_any_single_broken_field_is_a_422_naming_it_and_stores_nothing(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform
) -> None:
    """A hypothesis property run through the API, on the test's own event loop.

    Hypothesis drives only synchronous functions, while the client, the app and the database
    pools belong to this test's event loop. So the ``@given`` function is defined here, not
    as the test: it runs in a worker thread (``asyncio.to_thread``) while this coroutine waits,
    and hands each example to the loop with ``asyncio.run_coroutine_threadsafe(...).result()``.
    Assertions stay inside the property, so hypothesis still sees each failure, shrinks it and
    prints the smallest broken document. The property is not a pytest test, so it takes no
    fixtures and hypothesis' function-scoped-fixture health check does not arise.
    """
    assert (await client.post(API, json=import_declaration(), headers=trader)).status_code == 201
    before = await stored(platform)
    assert before == {"declarations": 1, "agency_tasks": 3, "outbox_messages": 3}
    loop = asyncio.get_running_loop()

    async def check(mutation: Mutation) -> None:
        errors = await refused(client, trader, mutation.document)
        assert errors, f"{mutation.kind} at {mutation.path} was accepted"
        assert all(mutation.named_by(error) for error in errors), (mutation.kind, mutation.path, errors)
        assert await stored(platform) == before

    @settings(max_examples=25, deadline=None)
    @given(mutations())
    def property_(mutation: Mutation) -> None:
        asyncio.run_coroutine_threadsafe(check(mutation), loop).result(timeout=60)

    await asyncio.to_thread(property_)
