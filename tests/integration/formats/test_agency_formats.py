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


async def route_maritime_to(client: httpx.AsyncClient, operator: dict[str, str], adapter: str) -> None:
    body = {"code": "maritime", "name": "Maritime Safety", "adapter": adapter, "endpoint": "http://msa.test/in"}
    response = await client.put(f"{COUNTERPARTIES}/maritime", json=body, headers=operator)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("adapter", ["edifact-http", "xml-http"])
async def test_an_agency_on_edifact_or_xml_gets_its_view_in_that_format(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    operator: dict[str, str],
    run: Any,
    maritime_system: AgencySystem,
    adapter: str,
) -> None:
    await route_maritime_to(client, operator, adapter)
    created = (await client.post(API, json=import_declaration(), headers=trader)).json()
    await run(simulators=False)
    [(content_type, body)] = maritime_system.received
    view = agency_requirements.derive("cargo_declaration", "maritime", created["data"])
    if adapter == "edifact-http":
        assert content_type == "application/EDIFACT"
        text = body.decode()
        assert f"RFF+ABT:{created['id']}::1'" in text
        received = edifact.parse_cusdec(text).document
        assert [g["hs_code"] for g in received["goods"]] == [g["hs_code"] for g in view["goods"]]
        assert "currency" not in received
    else:
        assert content_type == "application/xml"
        xml.check_schema(xml.parse_document(body))
        assert b"<value>" not in body
        assert f"<subject_id>{created['id']}</subject_id>".encode() in body


async def test_changing_one_requirement_row_changes_that_agencys_message(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    operator: dict[str, str],
    run: Any,
    maritime_system: AgencySystem,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await route_maritime_to(client, operator, "json-http")
    table = copy.deepcopy(agency_requirements.requirements())
    table["cargo_declaration"]["maritime"]["header"].append("country")
    table["cargo_declaration"]["maritime"]["conversions"] = {"country": "cn_customs_country"}
    monkeypatch.setattr(agency_requirements, "requirements", lambda: table)
    await client.post(API, json=import_declaration(), headers=trader)
    await run(simulators=False)
    [(_, body)] = maritime_system.received
    view = json.loads(body)["payload"]["declaration"]
    assert view["country"] == "304"  # DE, in China Customs' 3-digit country list
