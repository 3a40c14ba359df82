"""Agencies may answer in UN/EDIFACT CUSRES or WCO DM XML; the decision counts exactly like JSON."""

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from support.documents import import_declaration

from singlewindow.formats import edifact

FORMATTED = "/api/v1/exchange/inbound/formatted"
API = "/api/v1/declarations"
RES_NS = "urn:wco:datamodel:WCO:RES-DMS:2"


@pytest.fixture
async def declaration(client: httpx.AsyncClient, trader: dict[str, str], run: Any) -> str:
    created = (await client.post(API, json=import_declaration(), headers=trader)).json()
    await run(simulators=False)
    return str(created["id"])


def cusres(declaration_id: str, message_id: str, decision: str, reason: str | None = None) -> bytes:
    response = {
        "message_id": message_id,
        "issued_at": datetime.now(UTC).isoformat(),
        "subject_id": declaration_id,
        "revision": 1,
        "payload": {"decision": decision, **({"reason": reason} if reason else {})},
    }
    return edifact.build_cusres(response, edifact.Envelope("CUSTOMS", "SW", "7", datetime.now(UTC))).encode()


def wco_response(declaration_id: str, message_id: str, function_code: str) -> bytes:
    issued = datetime.now(UTC).strftime("%Y%m%d%H%M%SZ")
    return (
        f'<MetaData xmlns="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2" xmlns:r="{RES_NS}"><r:Response>'
        f"<r:FunctionCode>{function_code}</r:FunctionCode><r:ID>{message_id}</r:ID>"
        f'<r:IssueDateTime><r:DateTimeString formatCode="304">{issued}</r:DateTimeString></r:IssueDateTime>'
        f"<r:Declaration><r:ID>{declaration_id}</r:ID><r:VersionID>1</r:VersionID></r:Declaration>"
        "</r:Response></MetaData>"
    ).encode()


async def statuses(client: httpx.AsyncClient, trader: dict[str, str], declaration_id: str) -> dict[str, str]:
    found = (await client.get(f"{API}/{declaration_id}", headers=trader)).json()
    return {a["agency"]: a["status"] for a in found["agencies"]}


async def test_a_cusres_rejection_is_applied_once(
    client: httpx.AsyncClient, trader: dict[str, str], agency: Any, declaration: str
) -> None:
    customs = (await agency("customs")).headers
    body = cusres(declaration, "CUS-1", "reject", "HS code 847130 does not match the description")
    headers = {**customs, "Content-Type": "application/EDIFACT"}
    first = await client.post(FORMATTED, content=body, headers=headers)
    again = await client.post(FORMATTED, content=body, headers=headers)
    assert (first.status_code, again.status_code) == (202, 202), first.text
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert (await statuses(client, trader, declaration))["customs"] == "rejected"


async def test_a_wco_dm_release_is_applied(
    client: httpx.AsyncClient, trader: dict[str, str], agency: Any, declaration: str
) -> None:
    maritime = (await agency("maritime")).headers
    response = await client.post(
        FORMATTED,
        content=wco_response(declaration, "MSA-1", "09"),
        headers={**maritime, "Content-Type": "application/xml"},
    )
    assert response.status_code == 202, response.text
    assert (await statuses(client, trader, declaration))["maritime"] == "released"


async def test_a_response_without_a_declaration_reference_names_the_segment(
    client: httpx.AsyncClient, agency: Any, declaration: str
) -> None:
    customs = (await agency("customs")).headers
    body = cusres(declaration, "CUS-2", "release").replace(f"RFF+ABT:{declaration}::1'".encode(), b"")
    response = await client.post(FORMATTED, content=body, headers={**customs, "Content-Type": "application/EDIFACT"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"$.subject_id", "$.revision"}


async def test_only_agency_systems_may_answer(
    client: httpx.AsyncClient, trader: dict[str, str], declaration: str
) -> None:
    body = cusres(declaration, "FAKE-1", "release")
    response = await client.post(FORMATTED, content=body, headers={**trader, "Content-Type": "application/EDIFACT"})
    assert response.status_code == 403
