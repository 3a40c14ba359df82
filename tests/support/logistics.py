"""Logistics documents (the documented import's manifest, the demo vessel's movements) and filing them."""

import copy
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from singlewindow.kit.clock import utcnow
from support.documents import EXAMPLES

BILL = "HLCUHAM2411001"
CONTAINER = "CSQU3054383"
IMO, VOYAGE = "9795610", "051E"
MANIFEST = EXAMPLES / "cargo-manifest.json"
CARRIER_USCC = "914403001922038216"
"""The ``other_trader`` fixture's enterprise, acting as the carrier."""


def manifest(**changes: Any) -> dict[str, Any]:
    """docs/examples/cargo-manifest.json: the carrier's manifest for the documented import (35 packages, 960.5 kg)."""
    document: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    document.update(changes)
    return document


def consignment(bill: str, container: str | None = None, weight: str = "100") -> dict[str, Any]:
    first: dict[str, Any] = copy.deepcopy(manifest()["consignments"][0])
    first["bill_of_lading"] = bill
    first["containers"] = [{"number": container, "size_type": "45G1"}] if container else []
    first["goods"] = [
        {"description": "Machine parts", "package_count": 4, "package_type": "PK", "gross_weight_kg": weight}
    ]
    return first


def vessel(movement: str = "D", **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "movement": movement,
        "transport_mode": "1",
        "vessel_name": "COSCO SHIPPING UNIVERSE",
        "imo_number": IMO,
        "call_sign": "VRQK8",
        "flag_state": "HK",
        "voyage_number": VOYAGE,
        "port_of_call": "CNSGH",
        "gross_tonnage": "215553.00",
        "crew_count": 25,
        "passenger_count": 0,
    }
    if movement == "A":
        document |= {"estimated_arrival": (utcnow() + timedelta(hours=48)).isoformat(), "last_port_of_call": "DEHAM"}
    else:
        document |= {"estimated_departure": (utcnow() + timedelta(hours=6)).isoformat(), "next_port_of_call": "SGSIN"}
    document.update(changes)
    return document


IDENTITIES: dict[str, dict[str, str]] = {
    "1": {
        "vessel_name": "COSCO SHIPPING UNIVERSE",
        "imo_number": IMO,
        "call_sign": "VRQK8",
        "flag_state": "HK",
        "voyage_number": VOYAGE,
        "gross_tonnage": "215553.00",
    },
    "2": {"train_number": "X8024"},
    "3": {"plate_number": "粤B12345", "vehicle_country": "CN"},
    "4": {"aircraft_registration": "B-2482", "flight_number": "CA931"},
}
"""How each mode names its means of transport: a vessel, a China-Europe train, a Guangdong truck, an Air China 747."""
PORTS = {"1": ("CNSGH", "DEHAM", "SGSIN"), "2": ("CNXIA", "DEDUI", "KZDOS"), "3": ("CNHUG", "HKHKG", "HKHKG")}
PORTS["4"] = ("CNPVG", "DEFRA", "DEFRA")
"""Port of call, last port, next port (UN/LOCODE) per mode."""


def vehicle(mode: str, movement: str = "D", **changes: Any) -> dict[str, Any]:
    """A declaration of the means of transport of ``mode`` (UN/ECE Rec 19: 1 sea, 2 rail, 3 road, 4 air)."""
    call, last, following = PORTS[mode]
    document: dict[str, Any] = {
        "movement": movement,
        "transport_mode": mode,
        **IDENTITIES[mode],
        "port_of_call": call,
        "crew_count": 2,
        "passenger_count": 0,
    }
    if movement == "A":
        document |= {"estimated_arrival": (utcnow() + timedelta(hours=48)).isoformat(), "last_port_of_call": last}
    else:
        document |= {"estimated_departure": (utcnow() + timedelta(hours=6)).isoformat(), "next_port_of_call": following}
    document.update(changes)
    return document


def mode_manifest(mode: str, **changes: Any) -> dict[str, Any]:
    """The documented manifest, carried by ``mode``'s means of transport instead of the vessel."""
    document = manifest(transport_mode=mode)
    for name in IDENTITIES["1"]:
        document.pop(name, None)
    identity = {k: v for k, v in IDENTITIES[mode].items() if k not in {"call_sign", "flag_state", "gross_tonnage"}}
    document.update(identity)
    document.update(changes)
    return document


@dataclass
class Filer:
    """Files documents through the API as their declarant would (the trader unless told otherwise)."""

    client: httpx.AsyncClient
    trader: dict[str, str]

    async def attempt(
        self, document_type: str, data: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/declarations/{document_type}", json=data, headers=headers or self.trader
        )

    async def file(self, document_type: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> str:
        response = await self.attempt(document_type, data, headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def amend(self, declaration_id: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        response = await self.client.put(
            f"/api/v1/declarations/{declaration_id}", json=data, headers=headers or self.trader
        )
        assert response.status_code == 200, response.text
