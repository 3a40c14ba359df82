"""The trader's logistics page: track, subscribe, see notices and permits with their QR code."""

import uuid
from typing import Any

import httpx
from support.logistics import BILL, CONTAINER, Filer, manifest, vessel
from support.portal import Portal

from singlewindow.demo import DEMO_TRADER
from singlewindow.kit.clock import utcnow


async def test_a_trader_tracks_subscribes_and_sees_permits_in_the_portal(
    client: httpx.AsyncClient, filer: Filer, run: Any
) -> None:
    await filer.file("cargo_manifest", manifest())
    await filer.file("vessel_declaration", vessel("D"))
    await run()
    portal = Portal(client)
    await portal.login(DEMO_TRADER)

    page = await portal.get("/logistics", params={"number": CONTAINER})
    assert page.status_code == 200
    assert 'id="timeline"' in page.text
    assert "manifest_registered" in page.text
    assert "<svg" in page.text  # the permit's QR code
    assert "COSCO SHIPPING UNIVERSE" in page.text

    subscribed = await portal.post("/logistics/subscriptions", {"number": BILL})
    assert subscribed.status_code == 303
    listed = await portal.get("/logistics")
    assert f'href="/portal/logistics?number={BILL}"' in listed.text

    unknown = await portal.get("/logistics", params={"number": "TGHU1234567"})
    assert "您承运、申报或收货的货物中没有此编号。" in unknown.text
    misspelt = await portal.get("/logistics", params={"number": "TGHU1234564"})
    assert "check digit is 4, expected 7" in misspelt.text


async def test_the_permit_page_is_public_and_says_when_a_permit_is_not_valid(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, run: Any
) -> None:
    await filer.file("vessel_declaration", vessel("D"))
    await run()
    permit: Any = (await client.get("/api/v1/logistics/permits", headers=trader)).json()[0]
    valid = await client.get(permit["verify_url"].removeprefix("http://platform.test"))
    assert valid.status_code == 200
    assert 'id="verdict"' in valid.text
    assert "9795610" in valid.text
    forged = await client.get(f"/portal/permits/{permit['number']}", params={"s": uuid.uuid4().hex})
    assert "9795610" not in forged.text
    assert "not the one issued" in forged.text


async def test_a_subscribed_traders_dashboard_shows_each_new_event_until_marked_read(
    client: httpx.AsyncClient, filer: Filer, port_event: Any, other_trader: dict[str, str]
) -> None:
    await filer.file("cargo_manifest", manifest())
    portal = Portal(client)
    await portal.login(DEMO_TRADER)
    assert (await portal.post("/notifications/read", {})).status_code == 303  # the deadline warning, read
    assert 'id="notifications"' not in (await portal.get("/dashboard")).text

    await portal.post("/logistics/subscriptions", {"number": CONTAINER})
    await port_event("TERM-0101", {"event": "gate_out", "occurred_at": utcnow().isoformat(), "container": CONTAINER})
    dashboard = (await portal.get("/dashboard")).text
    items = dashboard.split('id="notifications"')[1].split("</ul>")[0].split("<li")[1:]
    assert len(items) == 2
    event, warning = sorted(items, key=lambda item: "gate_out，报告方：terminal" not in item)
    assert "gate_out，报告方：terminal · 已标记异常" in event
    assert f"container {CONTAINER} left the terminal (terminal) while its goods are not_declared" in warning
    assert f'href="/portal/logistics?number={CONTAINER}"' in event

    await portal.post("/notifications/read", {})
    assert 'id="notifications"' not in (await portal.get("/dashboard")).text
    other = Portal(client)
    await other.login("other-admin")
    assert 'id="notifications"' not in (await other.get("/dashboard")).text
