"""Every catalogue document type takes the core flow: validated, routed by its own rules, derived per
agency, decided, consolidated into one status."""

import json
from typing import Any

import httpx
import pytest
from support.documents import OTHER_DOCUMENT_TYPES, import_declaration, sample
from support.exchange import agency_statuses, fetch, outbox

from singlewindow.app import Platform
from singlewindow.catalogue.agency_requirements import requirements

API = "/api/v1/declarations"
ROUTED_TO = {
    "cargo_manifest": {"customs", "maritime"},
    "vessel_declaration": {"maritime", "border_control", "customs", "inspection_quarantine"},
    "licence_application": {"commerce"},
    "origin_certificate_application": {"customs"},
    "export_tax_refund_application": {"tax"},
}


async def submit_as(
    client: httpx.AsyncClient, headers: dict[str, str], document_type: str, document: dict[str, Any]
) -> httpx.Response:
    return await client.post(f"{API}/{document_type}", json=document, headers=headers)


def test_every_sample_has_its_expected_routing() -> None:
    assert set(ROUTED_TO) == set(OTHER_DOCUMENT_TYPES)


@pytest.mark.parametrize("document_type", OTHER_DOCUMENT_TYPES)
async def test_a_document_is_routed_decided_and_released(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, platform: Platform, document_type: str
) -> None:
    response = await submit_as(client, trader, document_type, sample(document_type))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["document_type"] == document_type
    assert created["data"] == sample(document_type) | created["data"]
    assert set(agency_statuses(created)) == ROUTED_TO[document_type]

    await run()

    released = await fetch(client, trader, created["id"])
    assert released["status"] == "released", released
    messages = await outbox(platform, subject_id=created["id"])
    sent = {m.destination: json.loads(m.body)["payload"] for m in messages if m.kind == "declaration"}
    assert set(sent) == ROUTED_TO[document_type]
    for agency, payload in sent.items():
        rule = requirements()[document_type][agency]
        assert payload["document_type"] == document_type
        groups = {key.removesuffix("_fields") for key in rule if key.endswith("_fields")}
        if rule["header"] != "*":
            assert set(payload["declaration"]) - groups <= set(rule["header"])


async def test_a_vessel_movement_is_the_declarations_type_and_the_voyage_its_reference(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    created = (await submit_as(client, trader, "vessel_declaration", sample("vessel_declaration"))).json()
    assert (created["type"], created["reference"]) == ("A", "043E")
    listed = await client.get(API, params={"document_type": "vessel_declaration"}, headers=trader)
    assert [d["id"] for d in listed.json()["items"]] == [created["id"]]
    cargo = await client.get(API, params={"document_type": "cargo_declaration"}, headers=trader)
    assert cargo.json()["total"] == 0


async def test_an_invalid_document_names_the_field_and_stores_nothing(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    bad_check_digit = await submit_as(
        client, trader, "vessel_declaration", sample("vessel_declaration", imo_number="9795611")
    )
    assert bad_check_digit.status_code == 422
    assert {e["loc"] for e in bad_check_digit.json()["errors"]} == {"$.imo_number"}
    departure = await submit_as(client, trader, "vessel_declaration", sample("vessel_declaration", movement="D"))
    assert departure.status_code == 422
    assert {e["loc"] for e in departure.json()["errors"]} == {"$.estimated_departure", "$.next_port_of_call"}
    assert (await client.get(API, headers=trader)).json()["total"] == 0


async def test_an_unknown_document_type_is_not_found(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    response = await submit_as(client, trader, "bill_of_exchange", {"reference": "X"})
    assert response.status_code == 404
    assert "cargo_manifest" in response.json()["detail"]


async def test_the_cargo_declaration_is_one_document_type_among_the_others(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    response = await submit_as(client, trader, "cargo_declaration", import_declaration())
    assert response.status_code == 201, response.text
    assert (response.json()["document_type"], response.json()["type"]) == ("cargo_declaration", "import")
    wrong_port = import_declaration(port_of_discharge="DEHAM")
    refused = await submit_as(client, trader, "cargo_declaration", wrong_port)
    assert refused.status_code == 422
    assert "$.port_of_discharge" in {e["loc"] for e in refused.json()["errors"]}


async def test_an_amendment_keeps_the_document_type(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    created = (await submit_as(client, trader, "vessel_declaration", sample("vessel_declaration"))).json()
    later = sample("vessel_declaration", crew_count=26)
    amended = await client.put(f"{API}/{created['id']}", json=later, headers=trader)
    assert amended.status_code == 200, amended.text
    assert (amended.json()["revision"], amended.json()["data"]["crew_count"]) == (2, 26)
    as_cargo = await client.put(f"{API}/{created['id']}", json=import_declaration(), headers=trader)
    assert as_cargo.status_code == 422
    assert (await fetch(client, trader, created["id"]))["revision"] == 2


async def test_a_document_no_rule_routes_is_refused(
    client: httpx.AsyncClient, trader: dict[str, str], operator: dict[str, str]
) -> None:
    rules = (await client.get("/api/v1/routing/rules", headers=operator)).json()
    kept = [r for r in rules["rules"] if r.get("document_type") != "export_tax_refund_application"]
    assert (await client.put("/api/v1/routing/rules", json={"rules": kept}, headers=operator)).status_code == 200
    document = sample("export_tax_refund_application")
    response = await submit_as(client, trader, "export_tax_refund_application", document)
    assert response.status_code == 422
    assert "no routing rule" in response.json()["detail"]
