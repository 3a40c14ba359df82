"""Export tax refund: released exports and purchase invoices pre-fill the application in one call; the
submission is checked against them; the tax bureau's release and refund amount come back."""

from decimal import Decimal
from typing import Any

import httpx
from support.trade_documents import export_declaration

from singlewindow.demo import DEMO_TRADER_USCC

REFUND = "/api/v1/declarations/export_tax_refund_application"
INVOICES = [
    {"number": "04411230", "issued_on": "2026-11-02", "supplier": "深圳示范电脑有限公司", "hs_code": "8471300000",
     "amount": "300000.00", "vat_amount": "39000.00"},
    {"number": "04411231", "issued_on": "2026-11-03", "supplier": "宁德示范电池有限公司", "hs_code": "850760",
     "amount": "180000.00", "vat_amount": "23400.00"},
    {"number": "04411232", "issued_on": "2026-11-04", "supplier": "河南示范铝业有限公司", "hs_code": "760611",
     "amount": "100000.00", "vat_amount": "13000.00"},
]  # fmt: skip


async def released_export(client: httpx.AsyncClient, trader: dict[str, str], run: Any, **changes: Any) -> str:
    submitted = await client.post("/api/v1/declarations", json=export_declaration(**changes), headers=trader)
    assert submitted.status_code == 201, submitted.text
    await run()
    declaration = await client.get(f"/api/v1/declarations/{submitted.json()['id']}", headers=trader)
    assert declaration.json()["status"] == "released"
    return str(submitted.json()["id"])


async def record_invoices(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    for invoice in INVOICES:
        recorded = await client.post("/api/v1/refunds/invoices", json=invoice, headers=trader)
        assert recorded.status_code == 201, recorded.text


async def test_one_call_prefills_the_application_from_the_released_export_and_invoices(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    export_id = await released_export(client, trader, run)
    await record_invoices(client, trader)

    prefill = await client.post("/api/v1/refunds/prefill", json={"export": "DEMO-EXP-0001"}, headers=trader)

    assert prefill.status_code == 200, prefill.text
    result = prefill.json()
    exports = (await client.get("/api/v1/refunds/exports", headers=trader)).json()
    assert [(e["declaration_id"], e["status"]) for e in exports] == [(export_id, "released")]
    document = result["document"]
    assert document["export_declaration_number"] == exports[0]["entry_number"]
    assert len(document["export_declaration_number"]) == 18
    assert document["exporter"]["uscc"] == DEMO_TRADER_USCC
    assert [(g["hs_code"], g["vat_invoice_number"], g["refund_rate"]) for g in document["goods"]] == [
        ("847130", "04411230", "13.00"),
        ("850760", "04411231", "9.00"),
        ("760611", "04411232", "0.00"),
    ]
    assert [Decimal(line["refund"]) for line in result["lines"]] == [Decimal("39000.00"), Decimal("16200.00"), 0]
    assert Decimal(result["total_refund"]) == Decimal("55200.00")
    assert "2024 No. 15" in result["lines"][1]["rate_source"]
    assert result["lines"][1]["explanation"].startswith("item 2 HS 850760: invoice 04411231 taxable CNY 180000.00")
    assert result["skipped"] == []


async def test_what_cannot_be_claimed_is_said_not_guessed(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    submitted = await client.post("/api/v1/declarations", json=export_declaration(), headers=trader)
    early = await client.post("/api/v1/refunds/prefill", json={"export": submitted.json()["id"]}, headers=trader)
    assert early.status_code == 422
    assert "only released exports" in early.json()["detail"]
    await run()
    nothing = await client.post("/api/v1/refunds/prefill", json={"export": "DEMO-EXP-0001"}, headers=trader)
    assert nothing.status_code == 422
    assert nothing.json()["title"] == "Nothing to claim"

    await client.post("/api/v1/refunds/invoices", json=INVOICES[0], headers=trader)
    partial = (await client.post("/api/v1/refunds/prefill", json={"export": "DEMO-EXP-0001"}, headers=trader)).json()
    assert [g["hs_code"] for g in partial["document"]["goods"]] == ["847130"]
    assert len(partial["skipped"]) == 2
    assert "no unclaimed purchase invoice" in partial["skipped"][0]
    unknown = await client.post("/api/v1/refunds/prefill", json={"export": "NO-SUCH-EXPORT"}, headers=trader)
    assert unknown.status_code == 404


async def test_invoices_are_checked_and_kept_per_enterprise(
    client: httpx.AsyncClient, trader: dict[str, str], other_trader: dict[str, str]
) -> None:
    await record_invoices(client, trader)
    again = await client.post("/api/v1/refunds/invoices", json=INVOICES[0], headers=trader)
    assert again.status_code == 409
    wrong = {**INVOICES[0], "number": "04411299", "vat_amount": "300000.01"}
    refused = await client.post("/api/v1/refunds/invoices", json=wrong, headers=trader)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["msg"].startswith("vat_amount is larger")
    assert len((await client.get("/api/v1/refunds/invoices", headers=trader)).json()) == 3
    assert (await client.get("/api/v1/refunds/invoices", headers=other_trader)).json() == []
    same_number = await client.post("/api/v1/refunds/invoices", json=INVOICES[0], headers=other_trader)
    assert same_number.status_code == 201


async def test_the_reviewed_application_goes_to_tax_and_the_refund_comes_back(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    await released_export(client, trader, run)
    await record_invoices(client, trader)
    prefill = (await client.post("/api/v1/refunds/prefill", json={"export": "DEMO-EXP-0001"}, headers=trader)).json()

    submitted = await client.post(prefill["submit_to"], json=prefill["document"], headers=trader)

    assert submitted.status_code == 201, submitted.text
    assert {a["agency"] for a in submitted.json()["agencies"]} == {"tax"}
    (application,) = (await client.get("/api/v1/refunds/applications", headers=trader)).json()
    assert (application["status"], application["claimed_amount"], application["approved_amount"]) == (
        "submitted",
        "55200.00",
        None,
    )
    await run()
    (application,) = (await client.get("/api/v1/refunds/applications", headers=trader)).json()
    assert (application["status"], application["approved_amount"]) == ("released", "55200.00")
    invoices = (await client.get("/api/v1/refunds/invoices", headers=trader)).json()
    assert {i["claimed_by"] for i in invoices} == {submitted.json()["id"]}


async def test_a_submission_the_export_and_invoices_do_not_support_is_refused_whole(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    await released_export(client, trader, run)
    await record_invoices(client, trader)
    prefill = (await client.post("/api/v1/refunds/prefill", json={"export": "DEMO-EXP-0001"}, headers=trader)).json()
    document = prefill["document"]

    higher = {**document, "goods": [document["goods"][0], {**document["goods"][1], "refund_rate": "13.00"}]}
    refused = await client.post(REFUND, json=higher, headers=trader)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["loc"] == "$.goods[1].refund_rate"
    assert "is 9%" in refused.json()["errors"][0]["msg"]
    pending = await client.post("/api/v1/declarations", json=export_declaration(reference="EXP-2"), headers=trader)
    number = (await client.get("/api/v1/refunds/exports", headers=trader)).json()[0]["entry_number"]
    unreleased = await client.post(REFUND, json={**document, "export_declaration_number": number}, headers=trader)
    assert pending.status_code == 201
    assert unreleased.json()["errors"][0] == {
        "loc": "$.export_declaration_number",
        "pointer": "/export_declaration_number",
        "msg": "export EXP-2 is submitted",
        "type": "value_error",
    }
    assert (await client.get("/api/v1/refunds/applications", headers=trader)).json() == []
    assert {i["claimed_by"] for i in (await client.get("/api/v1/refunds/invoices", headers=trader)).json()} == {None}

    assert (await client.post(REFUND, json=document, headers=trader)).status_code == 201
    twice = await client.post(REFUND, json={**document, "reference": "TR-AGAIN"}, headers=trader)
    assert twice.status_code == 422
    assert twice.json()["errors"][0]["loc"] == "$.goods[0].vat_invoice_number"


async def test_the_cli_records_invoices_and_prefills(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, cli: Any, tmp_path: Any
) -> None:
    await released_export(client, trader, run)
    invoice = INVOICES[1]
    await cli("refunds", "invoice-add", DEMO_TRADER_USCC, invoice["number"], invoice["issued_on"], invoice["supplier"],
              invoice["hs_code"], invoice["amount"], invoice["vat_amount"])  # fmt: skip
    assert "04411231" in (await cli("refunds", "invoices", DEMO_TRADER_USCC)).output
    entry = (await cli("refunds", "exports", DEMO_TRADER_USCC)).output.split()[0]
    output = tmp_path / "application.json"
    prefilled = await cli("refunds", "prefill", DEMO_TRADER_USCC, entry, "--output", str(output))
    assert "total refund CNY 16200.00" in prefilled.output
    assert "skipped item 1 HS 847130" in prefilled.output
    assert '"vat_invoice_number": "04411231"' in output.read_text(encoding="utf-8")
    await cli("refunds", "prefill", DEMO_TRADER_USCC, "NO-SUCH-EXPORT", exit_code=1)


async def test_an_export_declared_elsewhere_goes_to_the_bureau_unchecked(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any
) -> None:
    await released_export(client, trader, run)
    await record_invoices(client, trader)
    prefill = (await client.post("/api/v1/refunds/prefill", json={"export": "DEMO-EXP-0001"}, headers=trader)).json()
    elsewhere = {**prefill["document"], "export_declaration_number": "222920261000123456"}

    submitted = await client.post(REFUND, json=elsewhere, headers=trader)

    assert submitted.status_code == 201, submitted.text
    await run()
    (application,) = (await client.get("/api/v1/refunds/applications", headers=trader)).json()
    assert (application["export_declaration_id"], application["claimed_amount"], application["lines"]) == (
        None,
        None,
        [],
    )
    assert (application["status"], application["approved_amount"]) == ("released", "55200.00")
    assert {i["claimed_by"] for i in (await client.get("/api/v1/refunds/invoices", headers=trader)).json()} == {None}
