"""Port events through the exchange, one timeline with the agencies', who may see it, and subscriptions."""

from datetime import timedelta
from typing import Any

import httpx
from support.documents import import_declaration
from support.logistics import BILL, CONTAINER, IMO, VOYAGE, Filer, manifest
from support.network import WebhookReceiver

from singlewindow.kit.clock import utcnow

LOGISTICS = "/api/v1/logistics"


def at(minutes: int) -> str:
    return (utcnow() + timedelta(minutes=minutes)).isoformat()


async def track(client: httpx.AsyncClient, headers: dict[str, str], number: str = CONTAINER) -> Any:
    response = await client.get(f"{LOGISTICS}/containers/{number}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_port_event_sent_twice_is_applied_once(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, port_event: Any
) -> None:
    await filer.file("cargo_manifest", manifest())
    payload = {"event": "container_discharged", "occurred_at": at(0), "container": CONTAINER, "location": "CNSGH"}
    first = await port_event("TERM-0001", payload)
    again = await port_event("TERM-0001", payload)
    assert first.status_code == again.status_code == 202
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert again.json()["outcome"] == first.json()["outcome"] == f"recorded container_discharged of {CONTAINER}"
    container = await track(client, trader)
    assert container["location"] == "in_terminal"
    assert [e["kind"] for e in container["timeline"]].count("container_discharged") == 1


async def test_bad_port_events_are_refused_naming_the_field(port_event: Any) -> None:
    wrong_digit = await port_event("TERM-0002", {"event": "gate_in", "occurred_at": at(0), "container": "CSQU3054384"})
    assert wrong_digit.status_code == 422
    assert wrong_digit.json()["errors"][0]["loc"] == "$.payload.container"
    assert "check digit is 4, expected 3" in wrong_digit.json()["errors"][0]["msg"]
    no_voyage = await port_event("TERM-0003", {"event": "vessel_berthed", "occurred_at": at(0), "voyage_number": "1"})
    assert no_voyage.status_code == 422


async def test_the_timeline_joins_carrier_terminal_and_agencies_and_a_late_message_does_not_move_it_back(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, port_event: Any, run: Any
) -> None:
    await filer.file("cargo_manifest", manifest())
    berthed_at = utcnow()
    berthed = {
        "event": "vessel_berthed",
        "occurred_at": berthed_at.isoformat(),
        "imo_number": IMO,
        "voyage_number": VOYAGE,
    }
    assert "1 containers moved" in (await port_event("TERM-0010", berthed)).json()["outcome"]
    assert (await track(client, trader))["location"] == "arrived"
    declared = await client.post("/api/v1/declarations", json=import_declaration(), headers=trader)
    await run(simulators=True)
    late = (berthed_at + timedelta(seconds=1)).isoformat()
    discharged_late = {"event": "container_discharged", "occurred_at": late, "container": CONTAINER}
    outcome = (await port_event("TERM-0011", discharged_late)).json()["outcome"]
    assert outcome.endswith("(out of sequence: status kept)")

    container = await track(client, trader)
    assert (container["location"], container["clearance"]) == ("gated_out", "released")
    kinds = [(e["source"], e["kind"]) for e in container["timeline"]]
    assert kinds[:2] == [("carrier", "manifest_registered"), ("terminal", "vessel_berthed")]
    assert ("agency:customs", "agency_decision") in kinds
    assert ("terminal", "gate_out") in kinds
    bill = (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()
    assert {e["declaration_id"] for e in bill["timeline"] if e["source"].startswith("agency:")} == {
        declared.json()["id"]
    }


async def test_a_gate_out_before_release_is_flagged_and_told_to_declarant_and_carrier(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    other_trader: dict[str, str],
    filer: Filer,
    port_event: Any,
) -> None:
    await filer.file("cargo_manifest", manifest(), other_trader)
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=trader)).status_code == 201
    await port_event("TERM-0020", {"event": "container_discharged", "occurred_at": at(0), "container": CONTAINER})
    gate_out = await port_event("TERM-0021", {"event": "gate_out", "occurred_at": at(5), "container": CONTAINER})
    assert gate_out.json()["outcome"].endswith("FLAGGED: not released")

    container = await track(client, trader)
    flagged = [e for e in container["timeline"] if e["flagged"]]
    assert [(e["kind"], e["detail"]["clearance"]) for e in flagged] == [("gate_out", "declared")]
    for party in (trader, other_trader):
        kinds = [n["kind"] for n in (await client.get(f"{LOGISTICS}/notices", headers=party)).json()]
        assert "gate_out_before_release" in kinds


async def test_only_parties_with_a_stake_see_a_container(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    other_trader: dict[str, str],
    operator: dict[str, str],
    filer: Filer,
) -> None:
    await filer.file("cargo_manifest", manifest())
    assert (await client.get(f"{LOGISTICS}/containers/{CONTAINER}", headers=other_trader)).status_code == 404
    assert (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=other_trader)).status_code == 404
    assert (await client.get(f"{LOGISTICS}/containers/{CONTAINER}", headers=operator)).status_code == 200
    assert (await client.get(f"{LOGISTICS}/containers/{CONTAINER}")).status_code == 401
    bad = await client.get(f"{LOGISTICS}/containers/CSQU3054384", headers=trader)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == "$.number"


async def test_a_subscription_pushes_each_new_event_to_the_webhook(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    filer: Filer,
    port_event: Any,
    webhooks: WebhookReceiver,
    run: Any,
) -> None:
    await filer.file("cargo_manifest", manifest())
    await client.post("/api/v1/webhooks", json={"url": "http://hooks.test/hook"}, headers=trader)
    created = await client.post(f"{LOGISTICS}/subscriptions", json={"container": "csqu 305438 3"}, headers=trader)
    assert created.status_code == 201, created.text
    assert created.json()["number"] == CONTAINER
    await port_event("TERM-0030", {"event": "container_discharged", "occurred_at": at(0), "container": CONTAINER})
    await run(simulators=False)
    pushed = [r.json()["payload"] for r in webhooks.received if r.json()["kind"] == "logistics.event"]
    assert [(p["subject"]["number"], p["kind"], p["source"]) for p in pushed] == [
        (CONTAINER, "container_discharged", "terminal")
    ]

    listed = (await client.get(f"{LOGISTICS}/subscriptions", headers=trader)).json()
    gone = await client.delete(f"{LOGISTICS}/subscriptions/{listed[0]['id']}", headers=trader)
    assert gone.status_code == 204
    await port_event("TERM-0031", {"event": "gate_out", "occurred_at": at(1), "container": CONTAINER})
    await run(simulators=False)
    assert len([r for r in webhooks.received if r.json()["kind"] == "logistics.event"]) == 1
    both = {"container": CONTAINER, "bill_of_lading": BILL}
    assert (await client.post(f"{LOGISTICS}/subscriptions", json=both, headers=trader)).status_code == 422


async def test_tracking_from_the_command_line(
    cli: Any, client: httpx.AsyncClient, trader: dict[str, str], filer: Filer
) -> None:
    await filer.file("cargo_manifest", manifest())
    container = (await cli("logistics", "track", "container", CONTAINER)).output
    assert f"{CONTAINER}  expected  not_declared  {BILL}" in container
    assert "manifest_registered" in container
    bill = (await cli("logistics", "track", "bl", BILL)).output
    assert "registered" in bill
    assert "check digit" in (await cli("logistics", "track", "container", "CSQU3054384", exit_code=2)).output


async def test_an_event_for_a_container_no_manifest_announced_starts_its_timeline(
    client: httpx.AsyncClient, trader: dict[str, str], port_event: Any
) -> None:
    payload = {"event": "gate_in", "occurred_at": at(0), "container": CONTAINER, "location": "CNSGH"}
    response = await port_event("TERM-0900", payload)
    assert response.status_code == 202, response.text
    assert response.json()["outcome"] == f"recorded gate_in of {CONTAINER}"
