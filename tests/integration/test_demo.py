"""What a demo user meets after ``singlewindow demo``: an export already released with its purchase invoices, so an
export tax refund is pre-filled at once, and an import that waits for its duties and is released once they are paid."""

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from support.documents import import_declaration
from support.portal import Portal

from singlewindow import demo
from singlewindow.app import Platform
from singlewindow.payments.bank import DEMO_ACCOUNT
from singlewindow.refunds.models import PurchaseInvoice
from singlewindow.settings import Settings

PASSWORD = "correct horse battery"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """As ``singlewindow demo`` runs: release waits for the duties (the setting's default)."""
    return settings.model_copy(update={"payments_auto_guarantee": Settings().payments_auto_guarantee})


@pytest.fixture
async def portal(app: FastAPI) -> AsyncIterator[Portal]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://platform.test") as client:
        yield Portal(client)


async def _seed_history(platform: Platform, settings: Settings) -> None:
    async with platform.sessions() as session:
        await demo.seed(
            session, password=PASSWORD, public_url=settings.public_url, simulators_enabled=True, history=True
        )
        await session.commit()


async def test_right_after_the_demo_starts_a_refund_application_is_prefilled(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, settings: Settings, run: Any
) -> None:
    await _seed_history(platform, settings)
    await _seed_history(platform, settings)  # every start seeds again, and adds nothing twice
    await run()

    (export,) = (await client.get("/api/v1/refunds/exports", headers=trader)).json()
    assert (export["reference"], export["status"]) == ("DEMO-EXP-0001", "released")
    async with platform.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(PurchaseInvoice)) == 3
    prefill = await client.post("/api/v1/refunds/prefill", json={"export": "DEMO-EXP-0001"}, headers=trader)
    assert prefill.status_code == 200, prefill.text
    assert [g["vat_invoice_number"] for g in prefill.json()["document"]["goods"]] == [
        "04411230",
        "04411231",
        "04411232",
    ]
    assert Decimal(prefill.json()["total_refund"]) == Decimal("55200.00")
    submitted = await client.post(
        "/api/v1/declarations/export_tax_refund_application", json=prefill.json()["document"], headers=trader
    )
    assert submitted.status_code == 201, submitted.text


async def test_the_demo_import_waits_for_its_duties_and_is_released_when_they_are_paid(
    client: httpx.AsyncClient, trader: dict[str, str], portal: Portal, run: Any
) -> None:
    assert Settings().payments_auto_guarantee is False
    submitted = await client.post("/api/v1/declarations", json=import_declaration(), headers=trader)
    declaration_id = submitted.json()["id"]
    await run()
    waiting = (await client.get(f"/api/v1/declarations/{declaration_id}", headers=trader)).json()
    assert waiting["status"] == "in_review"
    assert {a["agency"]: a["status"] for a in waiting["agencies"]} == {
        "customs": "released",
        "maritime": "released",
        "treasury": "in_review",
    }
    await portal.login(demo.DEMO_TRADER)
    page = await portal.get(f"/declarations/{declaration_id}")
    assert 'id="pay-duties"' in page.text

    (order,) = (await client.get(f"/api/v1/payments/declarations/{declaration_id}/orders", headers=trader)).json()
    paid = await client.post(
        f"/api/v1/payments/orders/{order['id']}/pay",
        json={"payer_account": DEMO_ACCOUNT},
        headers={**trader, "Idempotency-Key": "demo-pay-1"},
    )
    assert paid.status_code == 202, paid.text
    await run()
    released = (await client.get(f"/api/v1/declarations/{declaration_id}", headers=trader)).json()
    assert released["status"] == "released"
    page = await portal.get(f"/declarations/{declaration_id}")
    assert 'id="pay-duties"' not in page.text


async def test_after_the_demo_an_officer_queries_the_data_customs_granted(
    client: httpx.AsyncClient, agency: Any, portal: Portal, platform: Platform, settings: Settings, run: Any
) -> None:
    for _ in range(2):  # every start seeds again, and adds nothing twice
        async with platform.sessions() as session:
            await demo.seed(
                session,
                password=PASSWORD,
                public_url=settings.public_url,
                simulators_enabled=True,
                officers=True,
                history=True,
            )
            await session.commit()
    await run()

    quarantine = (await agency("inspection_quarantine")).headers
    classes = (await client.get("/api/v1/sharing/data-classes", headers=quarantine)).json()
    assert {c["source"] for c in classes} == {
        "released_declarations",
        "enterprise_credit",
        "risk_findings",
        "container_events",
    }
    (held,) = (await client.get("/api/v1/sharing/grants", headers=quarantine)).json()
    assert (held["data_class"], held["live"]) == ("customs.released-cargo", True)
    await portal.login("officer-inspection_quarantine", PASSWORD)
    page = await portal.get("/sharing/customs.released-cargo/records")
    assert page.status_code == 200, page.text
    assert "共 1 条记录" in page.text
    assert "export" in page.text
