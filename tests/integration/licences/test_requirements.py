"""The requirement rules (licences/data/licence-requirements.csv) demand a quarantine permit for live cattle and a
dual-use licence for potassium permanganate: goods under them must cite one of that kind, issued by its agency."""

from typing import Any

import httpx
from support.documents import import_declaration
from support.licences import LICENCES, licence_body
from support.trade_documents import export_declaration

API = "/api/v1/declarations"
CATTLE = {
    "hs_code": "010229", "description": "Live cattle for slaughter", "quantity": "40", "unit": "C62",
    "gross_weight_kg": "24000", "net_weight_kg": "24000", "value": "60000.00", "origin_country": "AU",
}  # fmt: skip
PERMANGANATE = {
    "hs_code": "284161", "description": "Potassium permanganate", "quantity": "5000", "unit": "KGM",
    "gross_weight_kg": "5200", "net_weight_kg": "5000", "value": "9000.00", "origin_country": "CN",
}  # fmt: skip


def cattle_import(**item: Any) -> dict[str, Any]:
    return import_declaration(reference="CATTLE-0001", goods=[{**CATTLE, **item}])


def permanganate_export(**item: Any) -> dict[str, Any]:
    return export_declaration(reference="KMNO4-0001", goods=[{**PERMANGANATE, **item}])


async def _issued(client: httpx.AsyncClient, headers: dict[str, str], **changes: Any) -> str:
    response = await client.post(LICENCES, json=licence_body(**changes), headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["number"])


async def _refused(client: httpx.AsyncClient, trader: dict[str, str], document: dict[str, Any]) -> tuple[str, str]:
    response = await client.post(API, json=document, headers=trader)
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["pointer"] == "/goods/0/licence_number"
    return error["type"], error["msg"]


async def test_live_cattle_need_an_entry_quarantine_permit(
    client: httpx.AsyncClient, trader: dict[str, str], agency: Any
) -> None:
    assert await _refused(client, trader, cattle_import()) == (
        "licence_required",
        "HS 010229 needs a licence: Entry animal and plant quarantine permit; give its number in licence_number",
    )
    commerce = (await agency("commerce")).headers
    cattle_line = {"hs_code": "0102", "description": "Live cattle", "quantity": "100", "unit": "C62"}
    automatic = await _issued(client, commerce, goods=[cattle_line])
    kind, msg = await _refused(client, trader, cattle_import(licence_number=automatic))
    assert kind == "licence_kind"
    assert "this needs Entry animal and plant quarantine permit" in msg

    quarantine = (await agency("inspection_quarantine")).headers
    permit = await _issued(client, quarantine, kind="quarantine_permit", goods=[cattle_line])
    assert "-QP-" in permit
    accepted = await client.post(API, json=cattle_import(licence_number=permit), headers=trader)
    assert accepted.status_code == 201, accepted.text
    line = (await client.get(f"{LICENCES}/{permit}", headers=trader)).json()["goods"][0]
    assert line["quantity_reserved"] == "40.0000"


async def test_potassium_permanganate_needs_a_dual_use_licence_to_leave(
    client: httpx.AsyncClient, trader: dict[str, str], agency: Any
) -> None:
    kind, msg = await _refused(client, trader, permanganate_export())
    assert (kind, msg) == (
        "licence_required",
        "HS 284161 needs a licence: Dual-use items and technologies import/export licence; "
        "give its number in licence_number",
    )
    commerce = (await agency("commerce")).headers
    line = {"hs_code": "284161", "description": "Potassium permanganate", "quantity": "20000", "unit": "KGM"}
    dual_use = await _issued(client, commerce, kind="dual_use_licence", goods=[line])
    accepted = await client.post(API, json=permanganate_export(licence_number=dual_use), headers=trader)
    assert accepted.status_code == 201, accepted.text
