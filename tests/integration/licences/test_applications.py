"""A licence application released by the issuing agency becomes a licence in the registry, once."""

import uuid
from typing import Any

import httpx
from support.documents import beef_import, sample
from support.exchange import fetch

from singlewindow.app import Platform
from singlewindow.declarations.events import DeclarationStatusChanged
from singlewindow.demo import DEMO_TRADER_USCC
from singlewindow.kit import events
from singlewindow.kit.clock import utcnow
from singlewindow.licences import service as licences

API = "/api/v1/declarations"
LICENCES = "/api/v1/licences"


def application(**changes: Any) -> dict[str, Any]:
    """The sample application, for an automatic import licence (what frozen beef needs) valid to 2035."""
    return sample("licence_application", **{"licence_type": "7", "valid_until": "2035-12-31", **changes})


async def apply(client: httpx.AsyncClient, trader: dict[str, str], document: dict[str, Any]) -> httpx.Response:
    return await client.post(f"{API}/licence_application", json=document, headers=trader)


async def test_a_released_application_issues_a_licence_the_applicant_can_use(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, app: Any
) -> None:
    response = await apply(client, trader, application())
    assert response.status_code == 201, response.text
    created = response.json()
    assert (await client.get(LICENCES, headers=trader)).json()[0]["application_id"] is None

    await run()
    assert (await fetch(client, trader, created["id"]))["status"] == "released"
    [issued] = [x for x in (await client.get(LICENCES, headers=trader)).json() if x["application_id"] == created["id"]]
    assert issued["number"] == f"{utcnow():%y}-AL-000001"
    assert (issued["kind"], issued["agency"], issued["holder_uscc"], issued["valid_until"]) == (
        "automatic_import_licence",
        "commerce",
        DEMO_TRADER_USCC,
        "2035-12-31",
    )
    [line] = issued["goods"]
    assert (line["hs_code"], line["quantity_allowed"], line["unit"], line["value_allowed"], line["currency"]) == (
        "020230",
        "20000.0000",
        "KGM",
        "180000.00",
        "AUD",
    )

    app.state.simulator_rules.root["commerce"].valid_licences.append(issued["number"])
    beef = beef_import(licence=issued["number"])
    beef["goods"][0]["quantity"] = "20000"
    assert (await client.post(API, json=beef, headers=trader)).status_code == 201


async def test_a_second_release_of_the_same_application_issues_nothing(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, platform: Platform
) -> None:
    created = (await apply(client, trader, application())).json()
    await run()
    [first] = (await client.get(LICENCES, headers=trader)).json()[:1]
    assert first["application_id"] == created["id"]
    again = DeclarationStatusChanged(
        uuid.UUID(created["id"]),
        uuid.UUID(first["holder_party_id"]),
        created["reference"],
        "in_review",
        "released",
        1,
        utcnow(),
        "licence_application",
    )
    async with platform.sessions() as session:
        await events.publish(session, again)
        await session.commit()
        issued = await licences.issued_for(session, again.declaration_id)
    assert issued is not None
    assert issued.number == first["number"]
    numbers = [x["number"] for x in (await client.get(LICENCES, headers=trader)).json() if x["application_id"]]
    assert numbers == [first["number"]]


async def test_an_amended_application_issues_what_the_last_revision_asked(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, app: Any
) -> None:
    created = (await apply(client, trader, application())).json()
    amended = application(goods=[{**application()["goods"][0], "quantity": "5000"}])
    response = await client.put(f"{API}/{created['id']}", json=amended, headers=trader)
    assert response.status_code == 200, response.text
    await run()
    [issued] = [x for x in (await client.get(LICENCES, headers=trader)).json() if x["application_id"] == created["id"]]
    assert issued["goods"][0]["quantity_allowed"] == "5000.0000"


async def test_an_application_for_a_certificate_the_registry_does_not_issue_is_refused(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    response = await apply(client, trader, application(licence_type="A"))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["loc"], error["type"]) == ("$.licence_type", "licence_type")
    assert (await client.get(API, params={"document_type": "licence_application"}, headers=trader)).json()["total"] == 0
