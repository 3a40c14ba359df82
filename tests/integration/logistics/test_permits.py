"""A released departure gets one signed permit; anyone verifies it; an altered copy fails."""

import base64
import copy
from typing import Any

import httpx
from support.logistics import Filer, vessel

from singlewindow.kit.signatures import b64url, canonical_json

LOGISTICS = "/api/v1/logistics"
AGENCIES = ("maritime", "border_control", "customs", "inspection_quarantine")


async def issued(client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, run: Any) -> dict[str, Any]:
    """A departure declared through the API, answered by the four simulated agencies."""
    declaration_id = await filer.file("vessel_declaration", vessel("D"))
    await run()
    declaration = (await client.get(f"/api/v1/declarations/{declaration_id}", headers=trader)).json()
    assert declaration["status"] == "released"
    assert sorted(a["agency"] for a in declaration["agencies"]) == sorted(AGENCIES)
    permits = (await client.get(f"{LOGISTICS}/permits", headers=trader)).json()
    assert [p["declaration_id"] for p in permits] == [declaration_id]
    return permits[0]  # type: ignore[no-any-return]


async def test_a_released_departure_gets_a_permit_that_verifies_and_an_altered_copy_does_not(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, run: Any
) -> None:
    permit = await issued(client, trader, filer, run)
    document = permit["signed"]["permit"]
    assert document["means_of_transport"] == {
        "mode": "1",
        "kind": "sea",
        "vessel_name": "COSCO SHIPPING UNIVERSE",
        "imo_number": "9795610",
        "call_sign": "VRQK8",
        "flag_state": "HK",
        "gross_tonnage": "215553.00",
        "voyage_number": "051E",
    }
    assert document["cleared_by"] == sorted(AGENCIES)
    assert (document["next_port_of_call"], document["crew_count"]) == ("SGSIN", 25)

    verified = await client.post(f"{LOGISTICS}/permits/verify", json=permit["signed"])
    assert verified.status_code == 200
    assert (verified.json()["valid"], verified.json()["number"]) == (True, permit["number"])

    tampered = copy.deepcopy(permit["signed"])
    tampered["permit"]["crew_count"] = 24
    refused = (await client.post(f"{LOGISTICS}/permits/verify", json=tampered)).json()
    assert refused["valid"] is False
    assert "altered" in refused["reason"]
    forged = copy.deepcopy(permit["signed"])
    raw = bytearray(base64.urlsafe_b64decode(forged["signature"]["value"] + "=="))
    raw[0] ^= 1
    forged["signature"]["value"] = b64url(bytes(raw))
    assert (await client.post(f"{LOGISTICS}/permits/verify", json=forged)).json()["valid"] is False


async def test_the_qr_code_leads_to_a_public_verification_of_the_permit(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, run: Any
) -> None:
    permit = await issued(client, trader, filer, run)
    assert permit["verify_url"].startswith(f"http://platform.test/portal/permits/{permit['number']}?s=")
    signature = permit["signed"]["signature"]["value"]
    qr = await client.get(f"{LOGISTICS}/permits/{permit['id']}/qr.svg", headers=trader)
    assert qr.headers["content-type"] == "image/svg+xml"
    assert qr.text.startswith("<svg")

    public = await client.get(f"{LOGISTICS}/permits/{permit['number']}/verification", params={"s": signature})
    assert public.json()["valid"] is True
    assert public.json()["permit"]["means_of_transport"]["imo_number"] == "9795610"
    wrong = await client.get(f"{LOGISTICS}/permits/{permit['number']}/verification", params={"s": "x" + signature})
    assert wrong.json()["valid"] is False
    page = await client.get(f"/portal/permits/{permit['number']}", params={"s": signature})
    assert page.status_code == 200
    assert "COSCO SHIPPING UNIVERSE" in page.text
    assert "9795610" in page.text


async def test_the_public_key_verifies_a_permit_offline(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, run: Any
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    permit = await issued(client, trader, filer, run)
    jwk = (await client.get(f"{LOGISTICS}/permits/public-key")).json()
    assert jwk["kid"] == permit["signed"]["signature"]["kid"]
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "=="))
    value = permit["signed"]["signature"]["value"]
    public.verify(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), canonical_json(permit["signed"]["permit"]))


async def test_an_arrival_gets_no_permit_and_another_party_cannot_see_one(
    client: httpx.AsyncClient, trader: dict[str, str], filer: Filer, other_trader: dict[str, str], run: Any
) -> None:
    await filer.file("vessel_declaration", vessel("A"))
    await run()
    assert (await client.get(f"{LOGISTICS}/permits", headers=trader)).json() == []
    permit = await issued(client, trader, filer, run)
    assert (await client.get(f"{LOGISTICS}/permits/{permit['id']}", headers=other_trader)).status_code == 404
    assert (await client.get(f"{LOGISTICS}/permits", headers=other_trader)).json() == []
