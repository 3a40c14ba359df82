"""The balance follows the declaration: reserved at submission, written off on release, given back on
cancellation or rejection, reserved afresh on amendment; the holder sees each use."""

from typing import Any

import httpx
from support.documents import beef_import
from support.exchange import fetch, submit
from support.licences import LICENCES, Issue, Read

API = "/api/v1/declarations"


async def uses(client: httpx.AsyncClient, headers: dict[str, str], number: str) -> list[tuple[int, str, str]]:
    response = await client.get(f"{LICENCES}/{number}/uses", headers=headers)
    assert response.status_code == 200, response.text
    return sorted((u["revision"], u["quantity"], u["state"]) for u in response.json())


async def test_submission_reserves_and_release_writes_off(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, line_of: Read
) -> None:
    created = await submit(client, trader, beef_import())
    beef = await line_of("24-AL-000001")
    assert (beef["quantity_reserved"], beef["quantity_used"], beef["quantity_available"]) == (
        "24000.0000",
        "0.0000",
        "976000.0000",
    )
    await run()
    assert (await fetch(client, trader, created["id"]))["status"] == "released"
    beef = await line_of("24-AL-000001")
    assert (beef["quantity_reserved"], beef["quantity_used"], beef["quantity_available"]) == (
        "0.0000",
        "24000.0000",
        "976000.0000",
    )
    assert await uses(client, trader, "24-AL-000001") == [(1, "24000.0000", "written_off")]


async def test_cancellation_gives_the_reservation_back(
    client: httpx.AsyncClient, trader: dict[str, str], line_of: Read
) -> None:
    created = await submit(client, trader, beef_import())
    response = await client.post(f"{API}/{created['id']}/cancel", json={"reason": "order cancelled"}, headers=trader)
    assert response.status_code == 200, response.text
    beef = await line_of("24-AL-000001")
    assert (beef["quantity_reserved"], beef["quantity_used"]) == ("0.0000", "0.0000")
    assert await uses(client, trader, "24-AL-000001") == [(1, "24000.0000", "released")]


async def test_rejection_gives_it_back_and_an_amendment_reserves_again(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, app: Any, issue: Issue, line_of: Read
) -> None:
    number = (await issue())["number"]
    commerce = app.state.simulator_rules.root["commerce"]
    commerce.valid_licences = []
    created = await submit(client, trader, beef_import(licence=number))
    await run()
    assert (await fetch(client, trader, created["id"]))["status"] == "rejected"
    assert (await line_of(number))["quantity_reserved"] == "0.0000"

    commerce.valid_licences = [number]
    smaller = beef_import(licence=number)
    smaller["goods"][0]["quantity"] = "20000"
    assert (await client.put(f"{API}/{created['id']}", json=smaller, headers=trader)).status_code == 200
    assert (await line_of(number))["quantity_reserved"] == "20000.0000"
    await run()
    line = await line_of(number)
    assert (line["quantity_reserved"], line["quantity_used"], line["quantity_available"]) == (
        "0.0000",
        "20000.0000",
        "4000.0000",
    )
    assert await uses(client, trader, number) == [(1, "24000.0000", "released"), (2, "20000.0000", "written_off")]


async def test_an_amendment_of_a_pending_declaration_replaces_its_reservation(
    client: httpx.AsyncClient, trader: dict[str, str], issue: Issue, line_of: Read
) -> None:
    number = (await issue())["number"]
    created = await submit(client, trader, beef_import(licence=number))
    smaller = beef_import(licence=number)
    smaller["goods"][0]["quantity"] = "1000"
    assert (await client.put(f"{API}/{created['id']}", json=smaller, headers=trader)).status_code == 200
    assert (await line_of(number))["quantity_reserved"] == "1000.0000"

    too_big = beef_import(licence=number)
    too_big["goods"][0]["quantity"] = "24000.0001"
    refused = await client.put(f"{API}/{created['id']}", json=too_big, headers=trader)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["type"] == "licence_balance"
    assert (await line_of(number))["quantity_reserved"] == "1000.0000"
    assert (await fetch(client, trader, created["id"]))["revision"] == 2
