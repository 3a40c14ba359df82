"""One form, many reports, many formats: what an agency receives follows the catalogue's data."""

import copy
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from support.documents import import_declaration
from support.network import InProcessNetwork

from singlewindow.catalogue import agency_requirements
from singlewindow.formats import edifact, xml

API = "/api/v1/declarations"
COUNTERPARTIES = "/api/v1/exchange/counterparties"


@dataclass
class AgencySystem:
    """An agency endpoint that keeps what it is sent and accepts it."""

    received: list[tuple[str, bytes]] = field(default_factory=list)
    app: FastAPI = field(default_factory=FastAPI)

    def __post_init__(self) -> None:
        @self.app.post("/in")
        async def take(request: Request) -> Response:
            self.received.append((request.headers["content-type"], await request.body()))
            return Response(status_code=202)


@pytest.fixture
def maritime_system(network: InProcessNetwork) -> AgencySystem:
    system = AgencySystem()
    network.add_host("msa.test", system.app)
    return system


async def route_maritime_to(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    body = {"code": "maritime", "name": "Maritime Safety", "adapter": "http", "endpoint": "http://msa.test/in"}
    response = await client.put(f"{COUNTERPARTIES}/maritime", json=body, headers=operator)
    assert response.status_code == 200, response.text


def edited_requirements(monkeypatch: pytest.MonkeyPatch, **maritime: Any) -> dict[str, Any]:
    """The shipped requirement table with the cargo declaration's maritime row changed (data, not code)."""
    table = copy.deepcopy(agency_requirements.requirements())
    table["cargo_declaration"]["maritime"].update(maritime)
    monkeypatch.setattr(agency_requirements, "requirements", lambda: table)
    return table


@pytest.mark.parametrize("wanted", ["edifact", "xml"])
async def test_the_requirement_rows_format_decides_what_the_agency_receives(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    operator: dict[str, str],
    run: Any,
    maritime_system: AgencySystem,
    monkeypatch: pytest.MonkeyPatch,
    wanted: str,
) -> None:
    await route_maritime_to(client, operator)
    edited_requirements(monkeypatch, format=wanted)
    created = (await client.post(API, json=import_declaration(), headers=trader)).json()
    await run(simulators=False)
    [(content_type, body)] = maritime_system.received
    view = agency_requirements.derive("cargo_declaration", "maritime", created["data"])
    if wanted == "edifact":
        assert content_type == "application/EDIFACT"
        text = body.decode()
        assert "UNH+1+CUSDEC:D:96B:UN'" in text
        assert f"RFF+ABT:{created['id']}::1'" in text
        received = edifact.parse_cusdec(text).document
        assert [g["hs_code"] for g in received["goods"]] == [g["hs_code"] for g in view["goods"]]
        assert "currency" not in received
    else:
        assert content_type == "application/xml"
        xml.check_schema(xml.parse_document(body))
        assert b"<value>" not in body
        assert f"<subject_id>{created['id']}</subject_id>".encode() in body


async def test_changing_one_requirement_row_changes_that_agencys_elements_and_format(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    operator: dict[str, str],
    run: Any,
    maritime_system: AgencySystem,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await route_maritime_to(client, operator)
    await client.post(API, json=import_declaration(reference="AS-SHIPPED"), headers=trader)
    await run(simulators=False)
    [(before_type, before)] = maritime_system.received
    assert before_type == "application/json"
    assert "country" not in json.loads(before)["payload"]["declaration"]

    table = edited_requirements(monkeypatch, format="edifact", conversions={"country": "cn_customs_country"})
    table["cargo_declaration"]["maritime"]["header"].append("country")
    await client.post(API, json=import_declaration(reference="ROW-EDITED"), headers=trader)
    await run(simulators=False)
    [_, (after_type, after)] = maritime_system.received
    assert after_type == "application/EDIFACT"
    received = edifact.parse_cusdec(after).document
    assert received["reference"] == "ROW-EDITED"
    assert received["country"] == "304"  # DE, in China Customs' 3-digit country list
