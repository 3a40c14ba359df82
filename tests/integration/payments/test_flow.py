"""Submit an import → the treasury waits → pay through the simulated bank → treasury released → declaration released."""

from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select
from support.documents import beef_import, import_declaration

from singlewindow.app import Platform
from singlewindow.payments.bank import DEMO_ACCOUNT
from singlewindow.payments.models import SimulatedDebit
from singlewindow.payments.money import fen

DECLARATIONS = "/api/v1/declarations"
PAYMENTS = "/api/v1/payments"


async def _declaration(client: httpx.AsyncClient, headers: dict[str, str], declaration_id: str) -> dict[str, Any]:
    response = await client.get(f"{DECLARATIONS}/{declaration_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _task(declaration: dict[str, Any], agency: str) -> str:
    return str(next(a["status"] for a in declaration["agencies"] if a["agency"] == agency))


async def test_release_waits_for_payment_and_follows_it(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, pay: Any, run: Any
) -> None:
    imported = await submit_import()
    waiting = await _declaration(client, trader, imported.declaration_id)
    assert waiting["status"] == "in_review"
    assert _task(waiting, "customs") == "released"
    assert _task(waiting, "treasury") == "in_review"
    assert imported.order["status"] == "awaiting_payment"

    response = await pay(imported.order["id"])
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "pending"
    await run()

    released = await _declaration(client, trader, imported.declaration_id)
    assert released["status"] == "released"
    assert _task(released, "treasury") == "released"
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    assert detail["status"] == "paid"
    assert [p["status"] for p in detail["payments"]] == ["accepted"]
    assert detail["receipt"]["document"]["amount"] == detail["amount"]


async def test_the_example_is_assessed_line_by_line(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any
) -> None:
    """Laptops (MFN 0%) and cotton T-shirts (MFN 6%) from Germany, CIF, at the seeded EUR rate 7.8."""
    imported = await submit_import()
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    laptops, shirts = detail["assessment"]["items"]
    assert (laptops["customs_value"], laptops["duty"], laptops["vat"]) == ("1404000.00", "0.00", "182520.00")
    assert (shirts["customs_value"], shirts["duty"], shirts["vat"]) == ("70200.00", "4212.00", "9673.56")
    assert detail["amount"] == "196405.56"
    codes = [line["code"] for line in shirts["lines"]]
    assert codes == ["value", "freight_share", "insurance_share", "customs_value", "duty_mfn", "vat"]
    assert shirts["lines"][1]["formula"] == "0.00 (CIF price includes freight)"
    assert "9000.00 EUR × 7.8000 = 70200.00 CNY" in shirts["lines"][0]["formula"]
    notes = {n["code"] for n in detail["assessment"]["notes"]}
    assert {"freight_included", "insurance_included", "exchange_rate_stale"} <= notes


async def test_australian_beef_pays_mfn_without_proof_of_origin(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any
) -> None:
    imported = await submit_import(beef_import())
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    (beef,) = detail["assessment"]["items"]
    assert (beef["duty_column"], beef["agreement"], beef["duty_rate"]) == ("mfn", None, "12%")
    assert Decimal(beef["duty"]) == Decimal("120000.00") * Decimal("4.7") * Decimal("0.12")
    assert beef["preference_refused"] == "no certificate of origin was cited for this item"


async def test_a_fob_price_reaches_cif_with_the_declared_freight_and_insurance_rate(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any
) -> None:
    """Freight declared as a total in USD (运费 mark 3), insurance as the 0.3% rate (保费 mark 1)."""
    document = import_declaration(
        incoterm="FOB", freight={"amount": "1000.00", "currency": "USD"}, insurance={"rate_percent": "0.3"}
    )
    imported = await submit_import(document)
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    laptops, shirts = detail["assessment"]["items"]
    freight = fen(Decimal("1000.00") * Decimal("7.1"))
    lines = {line["code"]: line for line in shirts["lines"]}
    assert lines["freight_share"]["formula"].endswith("(declared freight, the remainder)")
    assert Decimal(lines["freight_share"]["amount"]) + Decimal(laptops["lines"][1]["amount"]) == freight
    value, share = Decimal(lines["value"]["amount"]), Decimal(lines["freight_share"]["amount"])
    insurance = fen((value + share) * Decimal("0.003"))
    assert lines["insurance_share"]["formula"] == f"({value} + {share}) × 0.3% = {insurance} (declared insurance rate)"
    assert Decimal(shirts["customs_value"]) == value + share + insurance
    notes = {n["code"]: n for n in detail["assessment"]["notes"]}
    assert notes["freight_declared"]["formula"].startswith("1000.00 USD × ")
    assert "insurance_rate" in notes


async def test_freight_or_insurance_half_declared_is_refused_by_name(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    document = import_declaration(
        freight={"amount": "10.00"}, insurance={"amount": "1.00", "currency": "USD", "rate_percent": "0.3"}
    )
    response = await client.post(DECLARATIONS, json=document, headers=trader)
    assert response.status_code == 422
    problems = {e["pointer"]: e["msg"] for e in response.json()["errors"]}
    assert "the freight needs an amount and its currency, or a rate" in problems["/freight"]
    assert "as an amount with its currency or as a rate, not both" in problems["/insurance"]


async def test_a_declined_payment_leaves_the_order_open_and_a_second_payment_settles_it(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, pay: Any, bank_account: Any, run: Any
) -> None:
    await bank_account("6222000000000999", behaviour="decline")
    imported = await submit_import()
    assert (await pay(imported.order["id"], account="6222000000000999")).status_code == 202
    await run()
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    assert detail["status"] == "awaiting_payment"
    assert detail["payments"][0]["status"] == "declined"
    assert (await _declaration(client, trader, imported.declaration_id))["status"] == "in_review"

    assert (await pay(imported.order["id"])).status_code == 202
    await run()
    assert (await _declaration(client, trader, imported.declaration_id))["status"] == "released"


async def test_insufficient_funds_decline(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, pay: Any, bank_account: Any, run: Any
) -> None:
    await bank_account("6222000000000111", balance="10.00")
    imported = await submit_import()
    await pay(imported.order["id"], account="6222000000000111")
    await run()
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    assert detail["payments"][0]["reason"] == "insufficient funds"


async def test_a_bank_that_times_out_fails_the_payment_after_the_retries(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, pay: Any, bank_account: Any, run: Any
) -> None:
    await bank_account("6222000000000777", behaviour="timeout")
    imported = await submit_import()
    await pay(imported.order["id"], account="6222000000000777")
    await run()
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    assert detail["status"] == "awaiting_payment"
    assert detail["payments"][0]["status"] == "failed"
    assert "did not answer" in detail["payments"][0]["reason"]
    assert (await _declaration(client, trader, imported.declaration_id))["status"] == "in_review"


async def test_paying_twice_never_takes_money_twice(
    client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, pay: Any, run: Any, platform: Platform
) -> None:
    imported = await submit_import()
    first = await pay(imported.order["id"], key="pay-once")
    replay = await pay(imported.order["id"], key="pay-once")
    assert (first.status_code, replay.status_code) == (202, 200)
    assert first.json()["id"] == replay.json()["id"]
    other_key_while_pending = await pay(imported.order["id"], key="pay-twice")
    assert other_key_while_pending.status_code == 409
    await run()
    settled = await pay(imported.order["id"], key="pay-after-settled")
    assert settled.status_code == 409
    assert settled.json()["title"] == "Payment order settled"
    await run()
    async with platform.sessions() as session:
        debits = list(await session.scalars(select(SimulatedDebit).where(SimulatedDebit.account == DEMO_ACCOUNT)))
    assert [d.amount for d in debits] == [Decimal(imported.order["amount"])]
