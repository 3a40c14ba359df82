"""Manifests register bills of lading; cargo declarations match them, are reported or refused; releases write off."""

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from support.documents import import_declaration, with_goods_field
from support.logistics import BILL, CONTAINER, Filer, consignment, manifest, mode_manifest, vehicle
from support.network import WebhookReceiver

from singlewindow.app import Platform
from singlewindow.kit.clock import utcnow
from singlewindow.logistics.models import Manifest

LOGISTICS = "/api/v1/logistics"


async def declare(client: httpx.AsyncClient, headers: dict[str, str], document: dict[str, Any]) -> httpx.Response:
    return await client.post("/api/v1/declarations", json=document, headers=headers)


async def notices(client: httpx.AsyncClient, headers: dict[str, str]) -> list[tuple[str, str]]:
    return [(n["severity"], n["kind"]) for n in (await client.get(f"{LOGISTICS}/notices", headers=headers)).json()]


async def test_a_matching_declaration_declares_the_bill_and_its_release_writes_it_off_and_tells_the_terminal(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, run: Any
) -> None:
    await filer.file("cargo_manifest", manifest())
    registered = (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()
    assert (registered["status"], registered["package_count"], Decimal(registered["gross_weight_kg"])) == (
        "registered",
        35,
        Decimal("960.5"),
    )
    assert registered["containers"] == {CONTAINER: "expected"}

    created = await declare(client, trader, import_declaration())
    assert created.status_code == 201, created.text
    assert (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()["status"] == "declared"
    await run()

    bill = (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()
    assert (bill["status"], bill["clearance"], bill["declaration_id"]) == (
        "written_off",
        "released",
        created.json()["id"],
    )
    container = (await client.get(f"{LOGISTICS}/containers/{CONTAINER}", headers=trader)).json()
    assert (container["location"], container["clearance"]) == ("gated_out", "released")
    sources = {(e["source"], e["kind"]) for e in container["timeline"]}
    assert {
        ("carrier", "manifest_registered"),
        ("declarant", "declaration_submitted"),
        ("agency:customs", "agency_decision"),
        ("agency:maritime", "agency_decision"),
        ("platform", "release_instruction"),
        ("terminal", "gate_out"),
    } <= sources
    assert not any(e["flagged"] for e in container["timeline"])
    assert ("warning", "deadline_unchecked") in await notices(client, trader)


async def test_quantities_within_tolerance_match_and_over_it_are_reported_to_declarant_and_carrier(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    other_trader: dict[str, str],
    filer: Filer,
    webhooks: WebhookReceiver,
    run: Any,
) -> None:
    await client.post("/api/v1/webhooks", json={"url": "http://hooks.test/hook"}, headers=other_trader)
    await filer.file("cargo_manifest", manifest(), other_trader)
    within = with_goods_field(import_declaration(), 0, gross_weight_kg="655")  # 974.5 kg: +1.46 %, tolerance 2 %
    assert (await declare(client, trader, within)).status_code == 201
    timeline = (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()["timeline"]
    assert timeline[-1]["detail"]["match"] == "matched"
    assert await notices(client, other_trader) == [("warning", "deadline_unchecked")]

    over = with_goods_field(import_declaration(reference="DEMO-IMP-0002"), 0, gross_weight_kg="700", package_count=25)
    assert (await declare(client, trader, over)).status_code == 201
    timeline = (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()["timeline"]
    assert timeline[-1]["flagged"]
    assert timeline[-1]["detail"]["match"] == "mismatch"
    problems = " ".join(timeline[-1]["detail"]["problems"])
    assert "40 packages declared, 35 on the manifest" in problems
    assert "gross weight 1020 kg declared, 960.5 kg" in problems
    assert ("warning", "manifest_mismatch") in await notices(client, trader)
    assert ("warning", "manifest_mismatch") in await notices(client, other_trader)
    await run()
    pushed = [r.json()["payload"] for r in webhooks.received if r.json()["kind"] == "logistics.notice"]
    assert {p["kind"] for p in pushed} == {"deadline_unchecked", "manifest_mismatch"}


async def test_a_bill_of_lading_on_no_manifest_per_matching_mode(
    client: httpx.AsyncClient, trader: dict[str, str], reconfigure: Any
) -> None:
    reconfigure(manifest_matching="off")
    assert (await declare(client, trader, import_declaration(reference="OFF"))).status_code == 201
    assert await notices(client, trader) == []

    reconfigure(manifest_matching="report")
    assert (await declare(client, trader, import_declaration(reference="REPORT"))).status_code == 201
    assert await notices(client, trader) == [("info", "manifest_missing")]

    reconfigure(manifest_matching="enforce")
    refused = await declare(client, trader, import_declaration(reference="ENFORCE"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == "$.bill_of_lading"
    assert "not on any registered manifest" in refused.json()["errors"][0]["msg"]
    listed = (await client.get("/api/v1/declarations", headers=trader)).json()
    assert sorted(d["reference"] for d in listed["items"]) == ["OFF", "REPORT"]


async def test_enforce_refuses_a_mismatch_and_accepts_a_match(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, reconfigure: Any
) -> None:
    reconfigure(manifest_matching="enforce")
    await filer.file("cargo_manifest", manifest())
    over = with_goods_field(import_declaration(), 1, gross_weight_kg="400")
    refused = await declare(client, trader, over)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == "$.bill_of_lading"
    assert "gross weight" in refused.json()["errors"][0]["msg"]
    assert (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()["status"] == "registered"
    assert (await declare(client, trader, import_declaration())).status_code == 201


async def test_a_declaration_filed_before_its_manifest_is_matched_when_the_manifest_arrives(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer
) -> None:
    assert (await declare(client, trader, import_declaration())).status_code == 201
    await filer.file("cargo_manifest", manifest())
    bill = (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()
    assert bill["status"] == "declared"
    assert bill["timeline"][-1]["kind"] == "declaration_matched"
    assert bill["timeline"][-1]["detail"]["match"] == "matched"


@pytest.mark.parametrize(
    ("mode", "hours", "field", "journey"),
    [
        ("1", 24, "voyage_number", "voyage"),
        ("2", 2, "train_number", "train"),
        ("3", 1, "plate_number", "vehicle"),
        ("4", 4, "flight_number", "flight"),
    ],
)
async def test_a_manifest_late_for_its_modes_deadline_is_refused_and_one_in_time_accepted(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    filer: Filer,
    platform: Platform,
    mode: str,
    hours: int,
    field: str,
    journey: str,
) -> None:
    soon = (utcnow() + timedelta(hours=hours - 0.25)).replace(microsecond=0)
    arrival_id = await filer.file("vessel_declaration", vehicle(mode, "A", estimated_arrival=soon.isoformat()))
    refused = await filer.attempt("cargo_manifest", mode_manifest(mode))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == f"$.{field}"
    assert f"due {hours} h before the {journey}'s ETA" in refused.json()["errors"][0]["msg"]
    assert (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).status_code == 404
    assert [d["type"] for d in (await client.get("/api/v1/declarations", headers=trader)).json()["items"]] == ["A"]

    later = soon + timedelta(hours=1)
    await filer.amend(arrival_id, vehicle(mode, "A", estimated_arrival=later.isoformat()))
    manifest_id = await filer.file("cargo_manifest", mode_manifest(mode))
    async with platform.sessions() as session:
        stored = await session.get(Manifest, uuid.UUID(manifest_id))
    assert stored is not None
    assert (stored.estimated_arrival, stored.transport_mode) == (later, mode)
    assert await notices(client, trader) == []


async def test_a_manifest_is_measured_against_its_own_journey_only(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer
) -> None:
    soon = (utcnow() + timedelta(hours=1)).isoformat()
    await filer.file("vessel_declaration", vehicle("4", "A", estimated_arrival=soon))
    await filer.file("cargo_manifest", mode_manifest("4", flight_number="CA933"))
    bill = (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()
    assert (bill["transport_mode"], bill["journey"]) == ("4", "4:CA933")
    assert [e["kind"] for e in bill["timeline"]] == ["manifest_registered", "deadline_unchecked"]
    assert bill["timeline"][0]["detail"] == {"mode": "4", "flight_number": "CA933"}
    assert await notices(client, trader) == [("warning", "deadline_unchecked")]


async def test_an_amendment_replaces_the_bills_of_lading(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer
) -> None:
    first = manifest(consignments=[consignment("COSU0000000001", "TGHU1234567"), consignment("COSU0000000002")])
    manifest_id = await filer.file("cargo_manifest", first)
    second = manifest(consignments=[consignment("COSU0000000001", "TGHU1234567", "250"), consignment("COSU0000000003")])
    await filer.amend(manifest_id, second)

    kept = (await client.get(f"{LOGISTICS}/bills-of-lading/COSU0000000001", headers=trader)).json()
    assert Decimal(kept["gross_weight_kg"]) == Decimal(250)
    assert [e["kind"] for e in kept["timeline"]][:2] == ["manifest_registered", "deadline_unchecked"]
    assert "manifest_amended" in [e["kind"] for e in kept["timeline"]]
    assert (await client.get(f"{LOGISTICS}/bills-of-lading/COSU0000000003", headers=trader)).json()["status"]
    removed = (await client.get(f"{LOGISTICS}/bills-of-lading/COSU0000000002", headers=trader)).json()
    assert removed["status"] is None


async def test_a_bill_of_lading_on_another_manifest_is_refused(filer: Filer) -> None:
    await filer.file("cargo_manifest", manifest())
    refused = await filer.attempt("cargo_manifest", manifest(voyage_number="044E"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == "$.consignments[0].bill_of_lading"
