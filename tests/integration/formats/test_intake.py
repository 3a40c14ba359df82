"""A trader's own system submits UN/EDIFACT or XML; the platform treats it exactly like JSON."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from support.documents import import_declaration

from singlewindow.formats import edifact, xml

API = "/api/v1/declarations"
DATA = Path(__file__).resolve().parents[2] / "data"
ENVELOPE = edifact.Envelope("DEMOTRADER", "SINGLEWINDOW", "1", datetime(2026, 1, 5, 9, 30, tzinfo=UTC))


async def post(client: httpx.AsyncClient, headers: dict[str, str], body: bytes, content_type: str) -> httpx.Response:
    return await client.post(API, content=body, headers={**headers, "Content-Type": content_type})


async def test_a_cusdec_interchange_becomes_the_same_declaration_as_its_json(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    document = import_declaration()
    cusdec = edifact.build_cusdec(document, ENVELOPE).encode()
    response = await post(client, trader, cusdec, "application/EDIFACT")
    assert response.status_code == 201, response.text
    created = response.json()
    as_json = (await client.post(API, json=import_declaration(reference="DEMO-IMP-0002"), headers=trader)).json()
    assert created["data"] == {**as_json["data"], "reference": document["reference"]}
    assert {a["agency"] for a in created["agencies"]} == {a["agency"] for a in as_json["agencies"]}
    await run()
    assert (await client.get(f"{API}/{created['id']}", headers=trader)).json()["status"] == "released"


async def test_the_projects_own_xml_is_accepted(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    response = await post(client, trader, xml.build_declaration(import_declaration()), "text/xml; charset=utf-8")
    assert response.status_code == 201, response.text
    assert response.json()["data"]["goods"][1]["hs_code"] == "610910"


async def test_a_wco_data_model_declaration_is_accepted(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    response = await post(client, trader, (DATA / "xml" / "wco-dm-import-cn.xml").read_bytes(), "application/xml")
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert (data["reference"], data["consignee"]["uscc"], data["goods"][0]["unit"]) == (
        "WCO-IMP-0001",
        "91310000MA1FL8TQ36",
        "C62",
    )


async def test_a_uk_wco_declaration_is_refused_naming_the_xpaths(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    response = await post(client, trader, (DATA / "xml" / "wco-dm-import-gb.xml").read_bytes(), "application/xml")
    assert response.status_code == 422
    errors = {e["field"]: e["loc"] for e in response.json()["errors"]}
    assert errors["$.trade_mode"].endswith("/GovernmentProcedure/CurrentCode")
    assert errors["$.consignee.uscc"] == "/Declaration/GoodsShipment/Importer/ID"
    assert (await client.get(API, headers=trader)).json()["total"] == 0


async def test_a_code_from_another_countrys_list_names_its_segment(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    cusdec = edifact.build_cusdec(import_declaration(), ENVELOPE).replace("LOC+9+DEHAM::6", "LOC+9+DEHAM::ZZZ")
    cusdec = cusdec.replace("CST+2+610910:HS", "CST+2+6109100010:TSP")
    response = await post(client, trader, cusdec.encode(), "application/EDIFACT")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["type"] for e in errors] == ["foreign_code_list", "foreign_code_list"]
    assert errors[0]["loc"] == "segment 4 LOC/C517/3225"
    assert "CST/C246/7361" in errors[1]["loc"]


async def test_a_value_outside_the_catalogue_names_its_segment_and_field(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    cusdec = edifact.build_cusdec(import_declaration(), ENVELOPE).replace("CUX+2:EUR:4", "CUX+2:QQQ:4")
    response = await post(client, trader, cusdec.encode(), "application/EDIFACT")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["loc"], error["field"]) == ("segment 15 CUX/C504/6345", "$.currency")
    assert "currency" in error["msg"]


async def test_a_real_third_party_interchange_is_refused_precisely(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    sample = (DATA / "edifact" / "cuscar-d95b-sample.edi").read_bytes()
    response = await post(client, trader, sample, "application/EDIFACT")
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "loc": "UNH/S009/0065",
        "msg": "message type is 'CUSCAR'; this endpoint takes CUSDEC",
        "type": "format",
    }


async def test_an_xml_entity_bomb_is_refused_without_expansion(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<CargoDeclaration xmlns="urn:singlewindow:cargo-declaration:1"><reference>&b;</reference></CargoDeclaration>'
    )
    response = await post(client, trader, bomb, "application/xml")
    assert response.status_code == 422
    assert "DOCTYPE" in response.json()["errors"][0]["msg"]


async def test_the_openapi_documents_every_declaration_format(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    content = spec["paths"][API]["post"]["requestBody"]["content"]
    assert {"application/json", "application/EDIFACT", "application/xml"} <= set(content)


DUTY_AND_DOCUMENTS: dict[str, Any] = {
    "duty_exemption": "789",
    "documents": [{"code": "A", "number": "310000126000123000"}, {"code": "7", "number": "26-AL-000001"}],
}


async def test_duty_exemption_and_attached_documents_travel_in_cusdec_and_reach_customs(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    cusdec = edifact.build_cusdec(import_declaration(**DUTY_AND_DOCUMENTS), ENVELOPE)
    assert "GIS+789:DEN:ZZZ'" in cusdec
    assert "DOC+A:SCC:ZZZ+310000126000123000'" in cusdec
    response = await post(client, trader, cusdec.encode(), "application/EDIFACT")
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert (data["duty_exemption"], data["documents"]) == (
        DUTY_AND_DOCUMENTS["duty_exemption"],
        DUTY_AND_DOCUMENTS["documents"],
    )


async def test_a_supervision_certificate_of_another_list_is_refused_by_segment(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    cusdec = edifact.build_cusdec(import_declaration(**DUTY_AND_DOCUMENTS), ENVELOPE)
    response = await post(
        client, trader, cusdec.replace("DOC+7:SCC:ZZZ", "DOC+N935:CL013:EU").encode(), "application/EDIFACT"
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"].endswith("DOC/C002/1001")
    assert "list 'CL013'" in error["msg"]


async def test_a_real_d99b_cusdec_is_refused_by_segment_and_stores_nothing(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    sample = (DATA / "edifact" / "ts-edifact-cusdec-d99b.edi").read_bytes()
    response = await post(client, trader, sample, "application/EDIFACT")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["errors"]] == [
        "segment 5 LOC/C517/3225",
        "segment 8 GIS/C529/7365",
        "segment 9 GIS/C529/7365",
    ]
    assert (await client.get(API, headers=trader)).json()["total"] == 0
