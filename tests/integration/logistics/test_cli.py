"""`singlewindow logistics ...`: subscriptions, mismatch notices and departure permits from the command line."""

from pathlib import Path
from typing import Any

import httpx
from support.cli import Invoke
from support.documents import import_declaration, with_goods_field
from support.logistics import CONTAINER, Filer, manifest, vessel

CONSIGNEE = "91310000MA1FL8TQ36"
"""The demo trader, consignee of the documented manifest."""
OTHER = "914403001922038216"


async def test_an_operator_subscribes_a_party_lists_and_ends_the_subscription(
    cli: Invoke, filer: Filer, other_trader: dict[str, str]
) -> None:
    await filer.file("cargo_manifest", manifest())
    made = await cli("logistics", "subscribe", "container", "csqu 305438 3", "--party", CONSIGNEE)
    subscription_id, kind, number, state = made.output.split()[:4]
    assert (kind, number, state) == ("container", CONTAINER, "active")
    listed = await cli("logistics", "subscriptions", "--party", CONSIGNEE)
    assert listed.output.split()[:4] == [subscription_id, "container", CONTAINER, "active"]
    assert (await cli("logistics", "subscriptions", "--party", OTHER)).output == ""

    ended = await cli("logistics", "unsubscribe", subscription_id)
    assert ended.output.split()[3] == "ended"
    refused = await cli("logistics", "subscribe", "container", CONTAINER, "--party", OTHER, exit_code=1)
    assert "Not followed: no container CSQU3054383 that you carry, declare or receive" in refused.output
    misspelt = await cli("logistics", "subscribe", "container", "CSQU3054384", "--party", CONSIGNEE, exit_code=2)
    assert "check digit is 4, expected 3" in misspelt.output
    unknown = await cli("logistics", "subscribe", "bl", "X", "--party", "91310000MA1FL8TQ37", exit_code=1)
    assert "no enterprise with unified social credit code" in unknown.output


async def test_mismatch_notices_are_listed_for_both_parties_and_by_kind(
    cli: Invoke, client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, other_trader: dict[str, str]
) -> None:
    await filer.file("cargo_manifest", manifest(), other_trader)
    over = with_goods_field(import_declaration(), 0, gross_weight_kg="700", package_count=25)
    assert (await client.post("/api/v1/declarations", json=over, headers=trader)).status_code == 201

    mismatches = (await cli("logistics", "notices", "--kind", "manifest_mismatch")).output.splitlines()
    assert len(mismatches) == 2
    assert all("warning manifest_mismatch" in line and "40 packages declared, 35 on" in line for line in mismatches)
    carrier = (await cli("logistics", "notices", "--party", OTHER)).output
    assert "manifest_mismatch" in carrier
    assert "deadline_unchecked" in carrier
    assert "deadline_unchecked" not in (await cli("logistics", "notices", "--party", CONSIGNEE)).output


async def test_a_permit_is_listed_exported_and_the_export_verifies(
    cli: Invoke, filer: Filer, run: Any, tmp_path: Path, other_trader: dict[str, str]
) -> None:
    await filer.file("vessel_declaration", vessel("D"))
    await run()
    listed = (await cli("logistics", "permits", "--party", CONSIGNEE)).output.split()
    number = listed[0]
    assert number.startswith("DPCNSGH")
    assert "COSCO SHIPPING UNIVERSE" in " ".join(listed)
    assert (await cli("logistics", "permits", "--party", OTHER)).output == ""

    path = tmp_path / "permit.json"
    exported = await cli("logistics", "permit", number, "--out", str(path))
    assert f"/portal/permits/{number}?s=" in exported.output
    assert (await cli("logistics", "verify-permit", str(path))).output.startswith("VALID")
    path.write_text(path.read_text(encoding="utf-8").replace('"crew_count": 25', '"crew_count": 24'), "utf-8")
    assert "altered" in (await cli("logistics", "verify-permit", str(path), exit_code=1)).output
    assert "Unknown permit" in (await cli("logistics", "permit", "DPX", exit_code=1)).output
