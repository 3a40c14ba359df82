"""Declare once, released once: the whole flow through the API, the exchange and the simulators."""

import time
from typing import Any

import httpx
from support.documents import beef_import, import_declaration
from support.exchange import agency_statuses, fetch, submit
from support.network import InProcessNetwork, WebhookReceiver

from singlewindow.notifications.signing import verify
from singlewindow.settings import Settings

API = "/api/v1/declarations"


async def test_plain_goods_by_sea_are_released_by_customs_and_maritime(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    created = await submit(client, trader, import_declaration())
    assert created["status"] == "submitted"
    assert agency_statuses(created) == {"customs": "pending", "maritime": "pending", "treasury": "pending"}

    await run()

    declaration = await fetch(client, trader, created["id"])
    assert declaration["status"] == "released"
    assert agency_statuses(declaration) == {"customs": "released", "maritime": "released", "treasury": "released"}
    timeline = (await client.get(f"{API}/{created['id']}/events", headers=trader)).json()
    kinds = [(e["kind"], e["status"]) for e in timeline]
    assert kinds[0] == ("submitted", "submitted")
    assert ("status_changed", "in_review") in kinds
    assert kinds[-1] == ("status_changed", "released")


async def test_each_agency_receives_only_what_it_needs(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, platform: Any
) -> None:
    created = await submit(client, trader, beef_import())
    await run()
    archive = (await client.get(f"{API}/{created['id']}/messages", headers=trader)).json()
    by_agency = {m["destination"]: m for m in archive["outbound"] if m["kind"] == "declaration"}
    assert set(by_agency) == {"customs", "inspection_quarantine", "commerce", "maritime", "treasury"}
    assert all(m["status"] == "delivered" and len(m["sha256"]) == 64 for m in by_agency.values())
    assert {m["sender"] for m in archive["inbound"]} >= {"customs", "inspection_quarantine", "commerce"}

    from sqlalchemy import select

    from singlewindow.simulators.models import SimulatorReceived

    async with platform.sessions() as session:
        received = {
            r.agency: r.body["payload"]["declaration"] for r in await session.scalars(select(SimulatorReceived))
        }
    assert "value" not in received["maritime"]["goods"][0]
    assert "currency" not in received["maritime"]
    assert received["commerce"]["goods"][0]["licence_number"] == "24-AL-000001"
    assert "bill_of_lading" not in received["commerce"]
    assert received["customs"]["goods"][0]["value"] == "120000.00"


async def test_inspection_by_two_agencies_is_one_joint_inspection_then_release(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, settings: Settings
) -> None:
    settings.simulator_inspection_delay_seconds = 0.5  # both agencies have ordered inspection before the first result
    created = await submit(client, trader, beef_import())
    await run()
    declaration = await fetch(client, trader, created["id"])
    assert declaration["status"] == "released"
    assert declaration["inspection"] == {
        "revision": 1,
        "status": "completed",
        "agencies": ["customs", "inspection_quarantine"],
        "results": {"customs": "passed", "inspection_quarantine": "passed"},
    }
    statuses = [
        e["status"]
        for e in (await client.get(f"{API}/{created['id']}/events", headers=trader)).json()
        if e["kind"] == "status_changed"
    ]
    assert (statuses[0], statuses[1], statuses[-1]) == ("in_review", "inspection", "released")
    # One agency's inspection may end before the other's begins (a loaded machine answers late),
    # so the status may go back to in_review in between; the inspection stays one joint record.
    assert set(statuses) == {"in_review", "inspection", "released"}


async def test_failed_inspection_rejects(client: httpx.AsyncClient, trader: dict[str, str], run: Any, app: Any) -> None:
    app.state.simulator_rules.root["inspection_quarantine"].inspection_result = "failed"
    created = await submit(client, trader, beef_import())
    await run()
    declaration = await fetch(client, trader, created["id"])
    assert declaration["status"] == "rejected"
    assert agency_statuses(declaration)["inspection_quarantine"] == "rejected"
    assert declaration["inspection"]["results"]["inspection_quarantine"] == "failed"


async def test_a_licence_the_agency_does_not_accept_is_rejected_with_the_agencys_reason(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, app: Any
) -> None:
    """The registry verified the licence at submission; the agency's own check can still refuse it."""
    app.state.simulator_rules.root["commerce"].valid_licences = ["24-AL-000002"]
    created = await submit(client, trader, beef_import())
    await run()
    declaration = await fetch(client, trader, created["id"])
    assert declaration["status"] == "rejected"
    commerce = next(a for a in declaration["agencies"] if a["agency"] == "commerce")
    assert commerce["status"] == "rejected"
    assert "licence 24-AL-000001 is not valid for HS 020230" in commerce["reason"]


async def test_amending_a_rejected_declaration_routes_the_new_revision(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, app: Any
) -> None:
    commerce_rules = app.state.simulator_rules.root["commerce"]
    accepted, commerce_rules.valid_licences = commerce_rules.valid_licences, []
    created = await submit(client, trader, beef_import())
    await run()
    assert (await fetch(client, trader, created["id"]))["status"] == "rejected"

    commerce_rules.valid_licences = accepted
    response = await client.put(f"{API}/{created['id']}", json=beef_import(), headers=trader)
    assert response.status_code == 200, response.text
    assert response.json()["revision"] == 2
    assert response.json()["status"] == "submitted"
    await run()

    declaration = await fetch(client, trader, created["id"])
    assert declaration["status"] == "released"
    assert declaration["revision"] == 2
    assert declaration["data"]["goods"][0]["licence_number"] == "24-AL-000001"
    archive = (await client.get(f"{API}/{created['id']}/messages", headers=trader)).json()
    amendments = {m["destination"] for m in archive["outbound"] if m["kind"] == "amendment"}
    assert amendments == {"customs", "inspection_quarantine", "commerce", "maritime", "treasury"}


async def test_amendment_that_drops_an_agency_withdraws_it(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    created = await submit(client, trader, beef_import())
    response = await client.put(f"{API}/{created['id']}", json=import_declaration(), headers=trader)
    assert response.status_code == 200, response.text
    await run()
    declaration = await fetch(client, trader, created["id"])
    assert agency_statuses(declaration) == {
        "commerce": "withdrawn",
        "customs": "released",
        "inspection_quarantine": "withdrawn",
        "maritime": "released",
        "treasury": "released",
    }
    assert declaration["status"] == "released"


async def test_cancel_before_release_tells_every_agency(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    created = await submit(client, trader, import_declaration())
    response = await client.post(f"{API}/{created['id']}/cancel", json={"reason": "wrong vessel"}, headers=trader)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    await run()
    declaration = await fetch(client, trader, created["id"])
    assert declaration["status"] == "cancelled"
    archive = (await client.get(f"{API}/{created['id']}/messages", headers=trader)).json()
    assert {m["destination"] for m in archive["outbound"] if m["kind"] == "withdrawal"} == {
        "customs",
        "maritime",
        "treasury",
    }
    assert all(i["outcome"].startswith("ignored") for i in archive["inbound"])


async def test_released_declarations_cannot_be_amended_or_cancelled(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    created = await submit(client, trader, import_declaration())
    await run()
    amend = await client.put(f"{API}/{created['id']}", json=import_declaration(), headers=trader)
    cancel = await client.post(f"{API}/{created['id']}/cancel", json={"reason": "late"}, headers=trader)
    assert amend.status_code == cancel.status_code == 409
    assert amend.headers["content-type"] == "application/problem+json"
    assert "released declaration cannot be amended" in amend.json()["detail"]


async def test_every_status_change_reaches_the_webhook_signed(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, webhooks: WebhookReceiver
) -> None:
    response = await client.post("/api/v1/webhooks", json={"url": "http://hooks.test/hook"}, headers=trader)
    assert response.status_code == 201, response.text
    secret = response.json()["secret"]
    created = await submit(client, trader, import_declaration())
    await run()
    statuses = [r.json()["payload"]["status"] for r in webhooks.received]
    assert sorted(statuses) == ["in_review", "released"]
    for delivery in webhooks.received:
        assert verify(secret, delivery.headers["sw-signature"], delivery.body, now=int(time.time()))
        assert not verify("another-secret-value", delivery.headers["sw-signature"], delivery.body, now=int(time.time()))
        assert delivery.json()["payload"]["declaration_id"] == created["id"]


async def test_a_webhook_that_fails_is_retried_until_it_acknowledges(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, webhooks: WebhookReceiver, network: InProcessNetwork
) -> None:
    await client.post("/api/v1/webhooks", json={"url": "http://hooks.test/hook"}, headers=trader)
    network.fail("/hook", times=3, status=500)
    await submit(client, trader, import_declaration())
    await run()
    assert sorted(r.json()["payload"]["status"] for r in webhooks.received) == ["in_review", "released"]
    assert network.calls.count("/hook") == 5
