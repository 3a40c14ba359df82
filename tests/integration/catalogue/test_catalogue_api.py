"""The catalogue over HTTP: public, versioned, searchable in both languages."""

from collections.abc import AsyncIterator

import httpx
import pytest

from singlewindow.app import create_app
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.settings import Settings

CATALOGUE = "/api/v1/catalogue"


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The catalogue is package data: its endpoints touch no database, so one app serves the module."""
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", simulators=False, embedded_worker=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sw.test") as http:
        yield http
    await app.state.platform.close()


async def test_code_lists_show_their_edition(client: httpx.AsyncClient) -> None:
    lists = {c["name"]: c for c in (await client.get(f"{CATALOGUE}/code-lists")).json()}
    assert lists["transport_mode"]["version"] == "UN/ECE Recommendation 19 (2001)"
    assert lists["locode"]["size"] > 100_000


@pytest.mark.parametrize(("query", "code"), [("rail", "2"), ("铁路", "2"), ("1", "1")])
async def test_a_code_list_is_searchable_in_both_languages(client: httpx.AsyncClient, query: str, code: str) -> None:
    found = (await client.get(f"{CATALOGUE}/code-lists/transport_mode", params={"q": query})).json()
    assert found["entries"][0]["code"] == code


async def test_an_unknown_code_list_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{CATALOGUE}/code-lists/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_elements_carry_their_wco_id_and_search_in_chinese(client: httpx.AsyncClient) -> None:
    [reference] = (await client.get(f"{CATALOGUE}/elements", params={"q": "企业内部编号"})).json()
    assert (reference["id"], reference["wco_id"]) == ("SW0002", "D026")


async def test_every_document_type_serves_a_json_schema(client: httpx.AsyncClient) -> None:
    types = [t["code"] for t in (await client.get(f"{CATALOGUE}/document-types")).json()]
    assert {"cargo_declaration", "cargo_manifest", "vessel_declaration", "licence_application"} <= set(types)
    assert {"origin_certificate_application", "export_tax_refund_application"} <= set(types)
    for code in types:
        schema = (await client.get(f"{CATALOGUE}/document-types/{code}/schema")).json()
        assert schema["x-document-type"] == code
        assert schema["type"] == "object"


async def test_the_cargo_declaration_schema_is_the_canonical_models(client: httpx.AsyncClient) -> None:
    schema = (await client.get(f"{CATALOGUE}/document-types/cargo_declaration/schema")).json()
    assert schema["properties"] == CargoDeclaration.model_json_schema()["properties"]


async def test_a_document_type_lists_what_each_agency_receives(client: httpx.AsyncClient) -> None:
    found = (await client.get(f"{CATALOGUE}/document-types/vessel_declaration")).json()
    agencies = {a["agency"] for a in found["agencies"]}
    assert agencies == {"maritime", "border_control", "customs", "inspection_quarantine"}
    assert {"path": "transport_mode", "element": "SW0008", "required": True} in found["fields"]
    assert {"path": "imo_number", "element": "SW0030", "required": False} in found["fields"]  # for vessels only


async def test_conditional_rules_are_enforced_with_json_paths(client: httpx.AsyncClient) -> None:
    vessel = {
        "movement": "D",
        "transport_mode": "1",
        "vessel_name": "COSCO SHIPPING UNIVERSE",
        "imo_number": "9795610",
        "call_sign": "VRQK8",
        "flag_state": "HK",
        "voyage_number": "043E",
        "port_of_call": "CNSHA",
        "gross_tonnage": "215553",
        "crew_count": 25,
        "passenger_count": 0,
    }
    response = await client.post(f"{CATALOGUE}/document-types/vessel_declaration/validate", json=vessel)
    assert response.status_code == 422
    assert {e["loc"] for e in response.json()["errors"]} == {"$.estimated_departure", "$.next_port_of_call"}
    vessel |= {"estimated_departure": "2026-03-01T18:00:00+08:00", "next_port_of_call": "SGSIN"}
    accepted = await client.post(f"{CATALOGUE}/document-types/vessel_declaration/validate", json=vessel)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["catalogue_version"]


async def test_harmonization_is_computed_from_the_catalogue(client: httpx.AsyncClient) -> None:
    report = (await client.get(f"{CATALOGUE}/harmonization")).json()
    rows = {r["document_type"]: r for r in report["document_types"]}
    cargo = rows["cargo_declaration"]
    assert cargo["entered_once"] < cargo["separate_forms"] == sum(cargo["per_agency"].values())
    assert cargo["reduction_percent"] == round(100 * (1 - cargo["entered_once"] / cargo["separate_forms"]), 1)
    assert report["entered_once"] == sum(r["entered_once"] for r in rows.values())


async def test_the_whole_catalogue_exports_and_its_check_names_each_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{CATALOGUE}/export")
    assert response.status_code == 200
    catalogue = response.json()
    assert len(catalogue["code_lists"]["locode"]["rows"]) > 100_000
    for big in ("locode", "hs", "unit", "package_type"):
        del catalogue["code_lists"][big]["rows"]  # unchanged lists are sent without their entries
    checked = await client.post(f"{CATALOGUE}/import-check", json=catalogue)
    assert checked.status_code == 200, checked.text[:300]
    assert checked.json()["document_types"] == 6
    catalogue["agency_requirements"]["licence_application"]["customs"]["format"] = "edifact"
    refused = await client.post(f"{CATALOGUE}/import-check", json=catalogue)
    assert refused.status_code == 422
    assert "licence_application/customs: a licence_application has no UN/EDIFACT form" in refused.json()["detail"]


async def test_a_document_that_is_no_catalogue_export_is_refused_naming_what_is_missing(
    client: httpx.AsyncClient,
) -> None:
    refused = await client.post(f"{CATALOGUE}/import-check", json={"code_lists": {"hs": {"rows": "all"}}})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "not a catalogue export"
    named = {error["loc"] for error in refused.json()["errors"]}
    assert {"$.elements", "$.document_types", "$.code_lists.hs.rows"} <= named
