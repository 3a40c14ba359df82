"""The trader's payment pages (zh-CN and en) and the public port-charge pages, driven like a browser."""

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from support.portal import Portal

from singlewindow import demo


@pytest.fixture
async def portal(app: FastAPI) -> AsyncIterator[Portal]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://platform.test") as client:
        yield Portal(client)


async def test_the_trader_sees_each_figure_explained_and_pays_from_the_page(
    portal: Portal, submit_import: Any, run: Any
) -> None:
    imported = await submit_import()
    await portal.login(demo.DEMO_TRADER)
    listing = await portal.get("/payments")
    assert imported.order["id"] in listing.text
    page = await portal.get(f"/payments/{imported.order['id']}")
    assert "9000.00 EUR × 7.8000 = 70200.00 CNY" in page.text
    assert "进口环节增值税" in page.text  # zh-CN is the default language
    key = re.search(r'name="payment_key" value="([^"]+)"', page.text)
    assert key is not None
    form = {"payer_account": demo_account(page.text), "payment_key": key.group(1)}
    first = await portal.post(f"/payments/{imported.order['id']}/pay", form)
    again = await portal.post(f"/payments/{imported.order['id']}/pay", form)  # the form sent twice pays once
    assert first.status_code == again.status_code == 303
    await run()
    settled = await portal.get(f"/payments/{imported.order['id']}")
    assert 'data-status="paid"' in settled.text
    assert settled.text.count('data-status="accepted"') == 1
    assert "电子缴款凭证" in settled.text


def demo_account(html: str) -> str:
    found = re.search(r'id="payer-account" name="payer_account"[^>]* value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


async def test_a_guarantee_from_the_page_releases(
    portal: Portal, submit_import: Any, run: Any, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    imported = await submit_import()
    await portal.login(demo.DEMO_TRADER)
    await portal.get(f"/payments/{imported.order['id']}")
    response = await portal.post(f"/payments/{imported.order['id']}/guarantee", {"reference_number": "BG-2025-0001"})
    assert response.status_code == 303
    await run()
    declaration = (await client.get(f"/api/v1/declarations/{imported.declaration_id}", headers=trader)).json()
    assert declaration["status"] == "released"


async def test_port_charges_are_public_searchable_and_compared_in_english(portal: Portal) -> None:
    await portal.get("/lang/en?next=/portal/port-charges")
    page = await portal.get("/port-charges", params={"service": "terminal_handling", "compare": "terminal_handling"})
    assert page.status_code == 200
    assert "Terminal handling charge" in page.text
    assert "Comparison across ports" in page.text
    assert "illustrative" in page.text
    rows = page.text.split('id="comparison"')[1]
    assert rows.count("<tr><td>CN") == 5


async def test_the_dashboard_lists_the_orders_awaiting_payment(portal: Portal, submit_import: Any, run: Any) -> None:
    imported = await submit_import()
    await portal.login(demo.DEMO_TRADER)
    unpaid = (await portal.get("/dashboard")).text.split('id="h-unpaid"')[1].split("</section>")[0]
    assert f'href="/portal/payments/{imported.order["id"]}"' in unpaid
    assert 'data-status="awaiting_payment"' in unpaid
    page = await portal.get(f"/payments/{imported.order['id']}")
    await portal.post(f"/payments/{imported.order['id']}/guarantee", {"reference_number": "BG-2025-0001"})
    await run()
    settled = (await portal.get("/dashboard")).text.split('id="h-unpaid"')[1].split("</section>")[0]
    assert imported.order["id"] not in settled
    assert page.status_code == 200
    documents = (await portal.get(f"/declarations/{imported.declaration_id}")).text.split('id="h-documents"')[1]
    assert f'href="/portal/payments/{imported.order["id"]}"' in documents.split("</section>")[0]
