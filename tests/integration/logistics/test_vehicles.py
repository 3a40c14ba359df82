"""Vessels, trains, road vehicles and aircraft: one declaration, each agency's view of it, one permit per departure."""

import json
from typing import Any

import httpx
import pytest
from support.documents import sample
from support.exchange import outbox
from support.logistics import BILL, Filer, manifest, vehicle
from support.portal import Portal

from singlewindow.app import Platform
from singlewindow.demo import DEMO_TRADER

LOGISTICS = "/api/v1/logistics"


async def agency_views(platform: Platform, declaration_id: str) -> dict[str, dict[str, Any]]:
    messages = await outbox(platform, subject_id=declaration_id)
    return {m.destination: json.loads(m.body)["payload"]["declaration"] for m in messages if m.kind == "declaration"}


async def permit_of(client: httpx.AsyncClient, trader: dict[str, str], declaration_id: str) -> dict[str, Any]:
    permits = (await client.get(f"{LOGISTICS}/permits", headers=trader)).json()
    found = [p for p in permits if p["declaration_id"] == declaration_id]
    assert len(found) == 1, permits
    return found[0]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("mode", "named"),
    [
        ("2", {"mode": "2", "kind": "rail", "train_number": "X8024"}),
        ("3", {"mode": "3", "kind": "road", "plate_number": "粤B12345", "vehicle_country": "CN"}),
        ("4", {"mode": "4", "kind": "air", "aircraft_registration": "B-2482", "flight_number": "CA931"}),
    ],
)
async def test_a_released_departure_of_a_train_truck_or_aircraft_gets_a_permit_naming_it(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, run: Any, mode: str, named: dict[str, str]
) -> None:
    declaration_id = await filer.file("vessel_declaration", vehicle(mode, "D"))
    await run()
    declaration = (await client.get(f"/api/v1/declarations/{declaration_id}", headers=trader)).json()
    reference = {"2": "X8024", "3": "粤B12345", "4": "CA931"}[mode]
    assert (declaration["status"], declaration["reference"]) == ("released", reference)
    permit = await permit_of(client, trader, declaration_id)
    document = permit["signed"]["permit"]
    assert document["means_of_transport"] == named
    assert document["cleared_by"] == ["border_control", "customs", "inspection_quarantine", "maritime"]
    assert (await client.post(f"{LOGISTICS}/permits/verify", json=permit["signed"])).json()["valid"] is True


async def test_a_declaration_with_another_modes_identity_is_refused_naming_the_fields(filer: Filer) -> None:
    refused = await filer.attempt("vessel_declaration", vehicle("4", train_number="X8024", aircraft_registration=None))
    assert refused.status_code == 422
    assert {(e["loc"], e["msg"]) for e in refused.json()["errors"]} == {
        ("$.train_number", "not used because transport_mode is '4'"),
        ("$.aircraft_registration", "required because transport_mode is '4'"),
    }


async def test_each_agency_receives_its_part_of_the_dangerous_goods_and_ships_stores(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, platform: Platform, run: Any
) -> None:
    document = sample("vessel_declaration", movement="D", estimated_departure="2026-03-02T06:00:00+08:00")
    document |= {"next_port_of_call": "SGSIN"}
    declaration_id = await filer.file("vessel_declaration", document)
    views = await agency_views(platform, declaration_id)
    assert views["maritime"]["dangerous_goods"] == document["dangerous_goods"]
    assert views["customs"]["dangerous_goods"] == [{"seq": 1, **document["dangerous_goods"][0]}]
    assert [s["description"] for s in views["customs"]["ships_stores"]] == ["Fuel oil (bunkers)", "Spirits"]
    assert views["inspection_quarantine"]["dangerous_goods"] == [
        {"seq": 1, "un_number": "1203", "hazard_class": "3", "quantity": "12000", "unit": "KGM"}
    ]
    assert "ships_stores" not in views["inspection_quarantine"]
    assert "dangerous_goods" not in views["border_control"]
    assert views["border_control"]["transport_mode"] == "1"

    await run()
    permit = await permit_of(client, trader, declaration_id)
    assert permit["signed"]["permit"]["dangerous_goods"] == [
        {"un_number": "1203", "hazard_class": "3", "packing_group": "II", "quantity": "12000", "unit": "KGM"}
    ]
    assert permit["signed"]["permit"]["ships_stores_items"] == 2
    page = await client.get(permit["verify_url"].removeprefix("http://platform.test"))
    assert "UN1203" in page.text


async def test_the_notify_party_reaches_customs_and_shows_on_the_bill_of_lading(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, platform: Platform
) -> None:
    manifest_id = await filer.file("cargo_manifest", manifest())
    notify = manifest()["consignments"][0]["notify_party"]
    views = await agency_views(platform, manifest_id)
    assert views["customs"]["consignments"][0]["notify_party"] == notify
    assert "notify_party" not in views["maritime"]["consignments"][0]
    bill = (await client.get(f"{LOGISTICS}/bills-of-lading/{BILL}", headers=trader)).json()
    assert bill["notify_party"] == notify
    assert (bill["transport_mode"], bill["journey"]) == ("1", "1:9795610:051E")

    portal = Portal(client)
    await portal.login(DEMO_TRADER)
    page = await portal.get("/logistics", params={"number": BILL})
    assert 'id="notify-party"' in page.text
    assert "上海示范国际货运代理有限公司" in page.text
