"""Port events and payment reach the clearance-time analysis live: arrival, payment and gate-out are counted."""

from datetime import timedelta
from typing import Any

import httpx
from support.documents import import_declaration
from support.logistics import IMO, VOYAGE, Filer, manifest

from singlewindow.kit.clock import utcnow

CLEARANCE = "/api/v1/analytics/clearance-times"
FROM_PORT_AND_BANK = {
    "arrival_to_submission",
    "decision_to_payment",
    "payment_to_release",
    "release_to_gate_out",
    "arrival_to_release",
    "arrival_to_gate_out",
}


async def counted(client: httpx.AsyncClient, operator: dict[str, str]) -> dict[str, int]:
    response = await client.get(CLEARANCE, headers=operator)
    assert response.status_code == 200, response.text
    return {row["interval"]: row["count"] for row in response.json()["rows"] if row["count"]}


def berthed(minutes: int) -> dict[str, Any]:
    when = (utcnow() + timedelta(minutes=minutes)).isoformat()
    return {"event": "vessel_berthed", "occurred_at": when, "imo_number": IMO, "voyage_number": VOYAGE}


async def test_goods_that_arrived_before_their_declaration_count_every_step_to_gate_out(
    client: httpx.AsyncClient, operator: dict[str, str], filer: Filer, port_event: Any, run: Any
) -> None:
    await filer.file("cargo_manifest", manifest())
    assert (await port_event("TERM-0100", berthed(-90))).status_code == 202
    declared = await client.post("/api/v1/declarations", json=import_declaration(), headers=filer.trader)
    assert declared.status_code == 201, declared.text
    await run(simulators=True)

    intervals = await counted(client, operator)
    assert {name: intervals.get(name) for name in FROM_PORT_AND_BANK} == dict.fromkeys(FROM_PORT_AND_BANK, 1)


async def test_a_berthing_after_the_declaration_is_its_arrival_and_a_repeat_counts_once(
    client: httpx.AsyncClient, operator: dict[str, str], filer: Filer, port_event: Any
) -> None:
    await filer.file("cargo_manifest", manifest())
    declared = await client.post("/api/v1/declarations", json=import_declaration(), headers=filer.trader)
    assert declared.status_code == 201, declared.text
    assert "arrival_to_submission" not in await counted(client, operator)

    await port_event("TERM-0200", berthed(30))
    await port_event("TERM-0201", berthed(45))
    assert (await counted(client, operator))["arrival_to_submission"] == 1
