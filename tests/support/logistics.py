"""Logistics documents and a publisher of declaration events, as the core flow publishes them.

Cargo declarations go through the real API. Manifests and vessel declarations are published
as ``DeclarationSubmitted`` events until every document type is submittable through the core
flow; the handlers cannot tell the difference.
"""

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from singlewindow.app import Platform
from singlewindow.declarations.events import AgencyDecided, DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.demo import DEMO_TRADER_USCC
from singlewindow.identity import service as identity
from singlewindow.kit import events
from singlewindow.kit.clock import utcnow

BILL = "HLCUHAM2411001"
CONTAINER = "CSQU3054383"
IMO, VOYAGE = "9795610", "043E"
CARRIER_USCC = "914403001922038216"
"""The ``other_trader`` fixture's enterprise, acting as the carrier."""


def manifest(**changes: Any) -> dict[str, Any]:
    """The carrier's manifest for the documented import (35 packages, 960.5 kg in CSQU3054383)."""
    document: dict[str, Any] = {
        "vessel_name": "COSCO SHIPPING UNIVERSE",
        "imo_number": IMO,
        "voyage_number": VOYAGE,
        "transport_mode": "1",
        "port_of_loading": "DEHAM",
        "port_of_discharge": "CNSGH",
        "consignments": [
            {
                "bill_of_lading": BILL,
                "consignor": {"name": "Hamburger Maschinenbau GmbH", "country": "DE"},
                "consignee": {"name": "上海示范进出口有限公司", "country": "CN", "uscc": DEMO_TRADER_USCC},
                "notify_party": {"name": "上海示范进出口有限公司", "country": "CN"},
                "containers": [{"number": CONTAINER, "size_type": "22G1", "seal": "DE4451123"}],
                "goods": [
                    {"description": "Laptops", "package_count": 20, "package_type": "CT", "gross_weight_kg": "640.5"},
                    {"description": "T-shirts", "package_count": 15, "package_type": "CT", "gross_weight_kg": "320"},
                ],
            }
        ],
    }
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


@dataclass
class Publisher:
    """Publishes declaration events in one committed transaction each, as the declarations context does."""

    platform: Platform

    async def party(self, uscc: str = DEMO_TRADER_USCC) -> uuid.UUID:
        async with self.platform.sessions() as session:
            return (await identity.enterprise_by_uscc(session, uscc)).id

    async def publish(self, event: object) -> None:
        async with self.platform.sessions() as session:
            await events.publish(session, event)
            await session.commit()

    async def submitted(
        self,
        document_type: str,
        data: dict[str, Any],
        *,
        party_id: uuid.UUID | None = None,
        declaration_id: uuid.UUID | None = None,
        revision: int = 1,
        at: datetime | None = None,
    ) -> uuid.UUID:
        declaration_id = declaration_id or uuid.uuid4()
        kind = data.get("movement", "manifest")
        await self.publish(
            DeclarationSubmitted(
                declaration_id,
                party_id or await self.party(),
                document_type,
                kind,
                f"REF-{declaration_id.hex[:8]}",
                revision,
                data,
                ("customs",),
                at or utcnow(),
            )
        )
        return declaration_id

    async def released_vessel(self, declaration_id: uuid.UUID, agencies: tuple[str, ...]) -> None:
        """Every agency releases the vessel declaration, and it consolidates to released."""
        for agency in agencies:
            await self.publish(
                AgencyDecided(declaration_id, "vessel_declaration", agency, "release", "released", 1, utcnow())
            )
        await self.publish(
            DeclarationStatusChanged(
                declaration_id, await self.party(), "REF", "in_review", "released", 1, utcnow(), "vessel_declaration"
            )
        )
