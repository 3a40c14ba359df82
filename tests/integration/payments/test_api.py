"""Payments over the API: receipts that verify, tenancy, guarantees, amendments, rates, port charges, bad input."""

import asyncio
import base64
import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from support.documents import beef_import, import_declaration

from singlewindow.app import Platform
from singlewindow.kit.db import is_sqlite
from singlewindow.payments.receipts import verify

PAYMENTS = "/api/v1/payments"
DECLARATIONS = "/api/v1/declarations"


async def test_the_receipt_verifies_against_the_published_key(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, pay: Any, run: Any
) -> None:
    imported = await submit_import()
    await pay(imported.order["id"])
    await run()
    order = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    receipt = (await client.get(f"{PAYMENTS}/receipts/{order['receipt']['number']}", headers=trader)).json()
    jwks = (await client.get("/.well-known/jwks.json")).json()
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == receipt["key_id"]]
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "=="))
    assert verify(receipt["document"], receipt["signature"], public)
    assert not verify({**receipt["document"], "amount": "0.01"}, receipt["signature"], public)


async def test_another_enterprise_sees_nothing(
    client: httpx.AsyncClient, other_trader: dict[str, str], submit_import: Any, pay: Any
) -> None:
    imported = await submit_import()
    assert (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=other_trader)).status_code == 404
    assert (await client.get(f"{PAYMENTS}/orders", headers=other_trader)).json() == []
    response = await client.post(
        f"{PAYMENTS}/orders/{imported.order['id']}/pay",
        json={"payer_account": "6222020200112233"},
        headers={**other_trader, "Idempotency-Key": "x"},
    )
    assert response.status_code == 404


async def test_bad_input_is_a_problem_naming_the_field_and_changes_nothing(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any
) -> None:
    imported = await submit_import()
    response = await client.post(
        f"{PAYMENTS}/orders/{imported.order['id']}/pay",
        json={"payer_account": "no spaces allowed"},
        headers={**trader, "Idempotency-Key": "k1"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(e["loc"].endswith("payer_account") for e in response.json()["errors"])
    missing_key = await client.post(
        f"{PAYMENTS}/orders/{imported.order['id']}/pay", json={"payer_account": "6222020200112233"}, headers=trader
    )
    assert missing_key.status_code == 422
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    assert detail["payments"] == []


async def test_an_amendment_cancels_the_unpaid_order_and_opens_one_for_the_new_revision(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, pay: Any, run: Any
) -> None:
    imported = await submit_import()
    amended = import_declaration()
    amended["goods"][1]["value"] = "18000.00"
    response = await client.put(f"{DECLARATIONS}/{imported.declaration_id}", json=amended, headers=trader)
    assert response.status_code == 200, response.text
    await run()
    orders = (await client.get(f"{PAYMENTS}/declarations/{imported.declaration_id}/orders", headers=trader)).json()
    assert [(o["revision"], o["status"]) for o in orders] == [(1, "cancelled"), (2, "awaiting_payment")]
    assert Decimal(orders[1]["amount"]) > Decimal(orders[0]["amount"])
    stale = await pay(orders[0]["id"])
    assert stale.status_code == 409
    assert (await pay(orders[1]["id"])).status_code == 202
    await run()
    declaration = (await client.get(f"{DECLARATIONS}/{imported.declaration_id}", headers=trader)).json()
    assert (declaration["status"], declaration["revision"]) == ("released", 2)


async def test_an_amendment_after_payment_asks_only_for_the_difference(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, pay: Any, run: Any, app: Any
) -> None:
    """Commerce rejects the beef (its licence) after the duties are paid; the amended value owes the rest."""
    commerce = app.state.simulator_rules.root["commerce"]
    accepted, commerce.valid_licences = commerce.valid_licences, []
    imported = await submit_import(beef_import())
    await pay(imported.order["id"])
    await run()
    rejected = (await client.get(f"{DECLARATIONS}/{imported.declaration_id}", headers=trader)).json()
    assert rejected["status"] == "rejected"
    commerce.valid_licences = accepted
    amended = beef_import()
    amended["goods"][0]["value"] = "130000.00"
    response = await client.put(f"{DECLARATIONS}/{imported.declaration_id}", json=amended, headers=trader)
    assert response.status_code == 200, response.text
    await run()
    orders = (await client.get(f"{PAYMENTS}/declarations/{imported.declaration_id}/orders", headers=trader)).json()
    assert [o["status"] for o in orders] == ["paid", "awaiting_payment"]
    assert orders[1]["credited"] == imported.order["amount"] == "124531.20"
    assert orders[1]["amount"] == "10377.60"  # 134908.80 assessed on 130000 AUD, less 124531.20 paid


async def test_an_import_outside_the_tariff_is_rejected_by_the_treasury_with_the_reason(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    document = import_declaration()
    document["goods"][0]["hs_code"] = "010121"
    created = (await client.post(DECLARATIONS, json=document, headers=trader)).json()
    await run()
    declaration = (await client.get(f"{DECLARATIONS}/{created['id']}", headers=trader)).json()
    treasury = next(a for a in declaration["agencies"] if a["agency"] == "treasury")
    assert (declaration["status"], treasury["status"]) == ("rejected", "rejected")
    assert "010121 is not in the tariff" in treasury["reason"]


async def test_operators_load_rates_and_the_next_assessment_uses_them(
    client: httpx.AsyncClient, operator: dict[str, str], trader: dict[str, str], submit_import: Any
) -> None:
    from singlewindow.kit.clock import utcnow
    from singlewindow.payments.rates import china_day, month_of

    month = month_of(china_day(utcnow()))
    body = {"rate": "7.6543", "source": "PBOC central parity (test)"}
    response = await client.put(f"{PAYMENTS}/rates/EUR/{month}", json=body, headers=operator)
    assert response.status_code == 200, response.text
    assert (await client.put(f"{PAYMENTS}/rates/EUR/{month}", json=body, headers=trader)).status_code == 403
    assert (await client.put(f"{PAYMENTS}/rates/XYZ/{month}", json=body, headers=operator)).status_code == 422
    public = (await client.get(f"{PAYMENTS}/rates", params={"month": month})).json()
    assert public[0]["rate"] == "7.6543"
    imported = await submit_import()
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    notes = {n["code"]: n for n in detail["assessment"]["notes"]}
    assert "1 EUR = 7.6543 CNY" in notes["exchange_rate"]["formula"]


async def test_port_charges_are_public_searchable_and_compared(
    client: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    everything = (await client.get(f"{PAYMENTS}/port-charges")).json()
    assert len(everything) == 25
    assert all(c["illustrative"] for c in everything)
    shanghai = (await client.get(f"{PAYMENTS}/port-charges", params={"port": "CNSGH"})).json()
    assert {c["port"] for c in shanghai} == {"CNSGH"}
    by_text = (await client.get(f"{PAYMENTS}/port-charges", params={"q": "拖轮"})).json()
    assert {c["service_code"] for c in by_text} == {"tug_assistance"}
    (comparison,) = (await client.get(f"{PAYMENTS}/port-charges/compare/terminal_handling")).json()
    standards = [Decimal(c["standard"]) for c in comparison["charges"]]
    assert standards == sorted(standards)
    assert Decimal(comparison["lowest"]) == standards[0]
    published = {
        "port": "CNTXG",
        "operator": "天津港股份有限公司 Tianjin Port Holdings Co., Ltd.",
        "service_code": "terminal_handling",
        "service_zh": "港口作业包干费（集装箱装卸）",
        "service_en": "Terminal handling charge (container, all-in)",
        "unit": "per 20ft container",
        "standard": "1.00",
        "pricing": "market",
        "source": "test",
        "effective_from": "2025-06-01",
    }
    assert (await client.put(f"{PAYMENTS}/port-charges", json=published, headers=operator)).status_code == 200
    (again,) = (await client.get(f"{PAYMENTS}/port-charges/compare/terminal_handling")).json()
    assert again["charges"][0]["port"] == "CNTXG"
    assert again["lowest"] == "1.00"
    assert len(again["charges"]) == 5
    bad_port = await client.put(f"{PAYMENTS}/port-charges", json={**published, "port": "QQ999"}, headers=operator)
    assert bad_port.status_code == 422
    assert (await client.get(f"{PAYMENTS}/port-charges/compare/nothing")).status_code == 404


async def test_the_tariff_is_public(client: httpx.AsyncClient) -> None:
    line = (await client.get(f"{PAYMENTS}/tariff/0202300090")).json()
    assert (line["tariff_line"], line["mfn"]["ad_valorem"], line["vat"]) == ("020230", "12", "9")
    assert (await client.get(f"{PAYMENTS}/tariff/999999")).status_code == 422


async def test_two_concurrent_payments_of_one_order_take_the_money_once(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, pay: Any, run: Any, platform: Platform
) -> None:
    """Two requests with different keys at the same moment: the order row lock lets one start the bank instruction."""
    if is_sqlite(platform.settings.database_url):
        pytest.skip("SQLite runs one writer at a time (BEGIN IMMEDIATE): there is no concurrency to test")
    imported = await submit_import()
    responses = await asyncio.gather(*(pay(imported.order["id"], key=f"concurrent-{n}") for n in range(6)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [202, 409, 409, 409, 409, 409], [r.text for r in responses]
    await run()
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    assert detail["status"] == "paid"
    assert [p["status"] for p in detail["payments"]] == ["accepted"]
    again = await asyncio.gather(*(pay(imported.order["id"], key=str(uuid.uuid4())) for _ in range(3)))
    assert {r.status_code for r in again} == {409}
