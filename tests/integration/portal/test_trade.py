"""Portal pages for certificates of origin (the public verification page) and export tax refunds."""

from typing import Any

import httpx
from support.portal import Portal
from support.trade_documents import export_declaration, origin_application


async def test_anyone_verifies_a_certificate_on_its_public_page(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, browser: Any, trader_portal: Portal
) -> None:
    applied = await client.post(
        "/api/v1/declarations/origin_certificate_application", json=origin_application(), headers=trader
    )
    assert applied.status_code == 201, applied.text
    await run()
    listing = await trader_portal.get("/origin")
    number = listing.text.split("/origin/verify/")[1].split('"')[0]
    assert f"/origin/certificates/{number}.xml" in listing.text

    anonymous: Portal = await browser()
    page = await anonymous.get(f"/origin/verify/{number}")
    assert page.status_code == 200
    assert 'data-valid="true"' in page.text
    assert "真实有效" in page.text
    assert "<svg" in page.text
    assert "深圳示范电脑有限公司 Shenzhen Demo Computer Co., Ltd., 广东省深圳市南山区科技园" in page.text
    missing = await anonymous.get("/origin/verify/CN-RCEP-2026-999999")
    assert missing.status_code == 404
    assert 'data-valid="false"' in missing.text


async def test_a_trader_records_an_invoice_and_sees_the_refund_explained(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, trader_portal: Portal
) -> None:
    export = await client.post("/api/v1/declarations", json=export_declaration(), headers=trader)
    await run()
    invoice = {"number": "04411230", "issued_on": "2026-11-02", "supplier": "深圳示范电脑有限公司",
               "hs_code": "847130", "amount": "300000.00", "vat_amount": "39000.00"}  # fmt: skip
    recorded = await trader_portal.post("/refunds/invoices", invoice)
    assert recorded.status_code == 303
    page = await trader_portal.get("/refunds")
    assert "04411230" in page.text
    assert f"/refunds/prefill/{export.json()['id']}" in page.text
    bad = await trader_portal.post("/refunds/invoices", {**invoice, "number": "04411231", "amount": "ten"})
    assert bad.status_code == 422

    prefill = await trader_portal.get(f"/refunds/prefill/{export.json()['id']}")
    assert prefill.status_code == 200
    assert '<td class="num" id="total-refund">39000.00</td>' in prefill.text
    assert "2019 No. 39" in prefill.text

    submitted = await trader_portal.post(f"/refunds/prefill/{export.json()['id']}/submit")
    assert submitted.status_code == 303, submitted.text
    detail = await trader_portal.get(submitted.headers["location"].removeprefix("/portal"))
    assert "退税申报已提交税务机关" in detail.text
    await run()
    page = await trader_portal.get("/refunds")
    assert '<td class="num">39000.00</td><td class="num">39000.00</td>' in page.text
    again = await trader_portal.post(f"/refunds/prefill/{export.json()['id']}/submit")
    assert again.status_code == 422


async def test_a_trader_applies_for_a_certificate_for_a_released_export(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, trader_portal: Portal
) -> None:
    export = await client.post("/api/v1/declarations", json=export_declaration(), headers=trader)
    await run()
    page = await trader_portal.get("/origin")
    assert f'<option value="{export.json()["id"]}">DEMO-EXP-0001 → TH</option>' in page.text
    form = {"export_id": export.json()["id"], "agreement": "RCEP", "invoice_number": "SDIE-2026-1188",
            "invoice_date": "2026-11-20"}  # fmt: skip
    refused = await trader_portal.post("/origin/apply", form)
    assert refused.status_code == 422
    assert "origin_criterion" in refused.text

    half = await trader_portal.post("/origin/apply", {**form, "origin_criterion": "ctc", "producer_name": "X Co"})
    assert half.status_code == 422
    assert "producer" in half.text
    producer = {"producer_name": "河南示范铝业有限公司", "producer_address": "河南省郑州市", "producer_country": "cn"}
    applied = await trader_portal.post("/origin/apply", {**form, "origin_criterion": "ctc", **producer})
    assert applied.status_code == 303, applied.text
    await run()
    (certificate,) = (await client.get("/api/v1/origin/certificates", headers=trader)).json()
    verified = (await client.get(f"/api/v1/origin/certificates/{certificate['number']}/verify")).json()
    assert verified["valid"] is True
    assert [(g["hs_code"], g["origin_criterion"]) for g in verified["certificate"]["goods"]] == [
        ("847130", "CTC"),
        ("850760", "CTC"),
        ("760611", "CTC"),
    ]
    assert verified["certificate"]["exporter"]["identifier"] == "91310000MA1FL8TQ36"
    assert verified["certificate"]["producer"] == {
        "name": "河南示范铝业有限公司",
        "address": "河南省郑州市",
        "country": "CN",
    }
    page = await trader_portal.get(f"/origin/verify/{certificate['number']}")
    assert "河南示范铝业有限公司, 河南省郑州市 (CN)" in page.text
