"""A party sees only its own declarations: another enterprise gets 404, never a hint."""

from typing import Any

import httpx
import pytest
from support.documents import import_declaration

API = "/api/v1/declarations"


@pytest.fixture
async def declaration_of_a(client: httpx.AsyncClient, trader: dict[str, str]) -> str:
    response = await client.post(API, json=import_declaration(), headers=trader)
    assert response.status_code == 201
    return str(response.json()["id"])


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("GET", "/events", None),
        ("GET", "/messages", None),
        ("PUT", "", import_declaration()),
        ("POST", "/cancel", {"reason": "not mine"}),
    ],
)
async def test_enterprise_b_cannot_touch_enterprise_a_declaration(
    client: httpx.AsyncClient,
    other_trader: dict[str, str],
    trader: dict[str, str],
    declaration_of_a: str,
    method: str,
    suffix: str,
    body: Any,
) -> None:
    response = await client.request(method, f"{API}/{declaration_of_a}{suffix}", json=body, headers=other_trader)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    unchanged = (await client.get(f"{API}/{declaration_of_a}", headers=trader)).json()
    assert unchanged["status"] == "submitted"
    assert unchanged["revision"] == 1


async def test_lists_show_only_the_callers_declarations(
    client: httpx.AsyncClient, other_trader: dict[str, str], trader: dict[str, str], declaration_of_a: str
) -> None:
    own = await client.post(API, json=import_declaration(reference="B-OWN-1"), headers=other_trader)
    assert own.status_code == 201
    listing_b = (await client.get(API, headers=other_trader)).json()
    listing_a = (await client.get(API, headers=trader)).json()
    assert [d["reference"] for d in listing_b["items"]] == ["B-OWN-1"]
    assert listing_b["total"] == 1
    assert [d["id"] for d in listing_a["items"]] == [declaration_of_a]


async def test_list_filters_and_pages(client: httpx.AsyncClient, trader: dict[str, str], run: Any) -> None:
    for n in range(3):
        await client.post(API, json=import_declaration(reference=f"REF-{n}"), headers=trader)
    await client.post(API, json=import_declaration(reference="REF-EXTRA"), headers=trader)
    await run()
    page = (await client.get(API, params={"limit": 2, "offset": 0}, headers=trader)).json()
    assert page["total"] == 4
    assert len(page["items"]) == 2
    assert [d["reference"] for d in page["items"]] == ["REF-EXTRA", "REF-2"]
    by_reference = (await client.get(API, params={"reference": "REF-1"}, headers=trader)).json()
    assert [d["reference"] for d in by_reference["items"]] == ["REF-1"]
    released = (await client.get(API, params={"status": "released"}, headers=trader)).json()
    assert released["total"] == 4
    assert (await client.get(API, params={"status": "rejected"}, headers=trader)).json()["total"] == 0


async def test_agency_sees_only_declarations_routed_to_it(
    client: httpx.AsyncClient, declaration_of_a: str, agency: Any
) -> None:
    customs = await agency("customs")
    border = await agency("border_control")
    seen = await client.get(f"{API}/{declaration_of_a}", headers=customs.headers)
    assert seen.status_code == 200
    assert seen.json()["data"] is None
    assert (await client.get(f"{API}/{declaration_of_a}", headers=border.headers)).status_code == 404
    assert (await client.get(API, headers=border.headers)).json()["total"] == 0


async def test_agencies_and_the_operator_cannot_declare(
    client: httpx.AsyncClient, agency: Any, operator: dict[str, str]
) -> None:
    customs = await agency("customs")
    for headers in (customs.headers, operator):
        response = await client.post(API, json=import_declaration(), headers=headers)
        assert response.status_code == 403


async def test_declaring_requires_credentials(client: httpx.AsyncClient) -> None:
    response = await client.post(API, json=import_declaration())
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    forged = await client.get(API, headers={"Authorization": "Bearer not-a-token"})
    assert forged.status_code == 401
