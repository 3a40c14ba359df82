"""Licences in the portal: the holder's balances and usage, the issuing officer's issue and revoke."""

from collections.abc import Awaitable, Callable
from typing import Any

from support.documents import beef_import
from support.portal import Portal

from singlewindow.demo import DEMO_TRADER_USCC
from singlewindow.kit.clock import utcnow
from singlewindow.portal.forms import to_form

Browser = Callable[[], Awaitable[Portal]]
Officer = Callable[[str], Awaitable[str]]


async def officer_portal(browser: Browser, officer: Officer, code: str) -> Portal:
    portal = await browser()
    await portal.login(await officer(code))
    return portal


async def test_the_holder_sees_balances_and_each_use(
    trader_portal: Portal, submit: Callable[[dict[str, Any]], Awaitable[str]]
) -> None:
    listing = await trader_portal.get("/licences")
    assert listing.status_code == 200
    assert "24-AL-000001" in listing.text
    assert "自动进口许可证" in listing.text
    assert "HS 0202: 1000000 KGM" in listing.text
    untouched = await trader_portal.get("/licences/24-AL-000001")
    assert "尚未使用。" in untouched.text

    await submit(beef_import())
    page = await trader_portal.get("/licences/24-AL-000001")
    row = page.text.split('data-line="1" data-dimension="quantity"')[1].split("</tr>")[0]
    assert "<td>24000</td><td>976000</td>" in row
    assert "BEEF-0001" in page.text
    assert 'data-status="reserved">已预扣' in page.text
    assert "吊销原因" not in page.text
    await trader_portal.get("/lang/en")
    assert "Usage history" in (await trader_portal.get("/licences/24-AL-000001")).text


async def test_a_declaration_without_its_licence_shows_the_refusal_at_the_field(trader_portal: Portal) -> None:
    form = [*to_form(beef_import(licence=None)).items(), ("action", "submit")]
    response = await trader_portal.post("/declarations/new", form)
    assert response.status_code == 422
    slot = response.text.split('id="e-goods-0-licence_number"')[1].split("</p>")[0]
    assert "HS 020230 needs a licence: Automatic import licence (condition 7)" in slot


async def test_the_issuing_officer_issues_and_revokes(browser: Browser, officer: Officer) -> None:
    commerce = await officer_portal(browser, officer, "commerce")
    form = await commerce.get("/licences/new")
    assert 'value="automatic_import_licence"' in form.text
    issued = await commerce.post(
        "/licences/new",
        {
            "kind": "automatic_import_licence",
            "holder_uscc": DEMO_TRADER_USCC,
            "valid_from": "2026-01-01",
            "valid_until": "2035-12-31",
            "hs_code": "1001",
            "description": "Wheat",
            "quantity": "500",
            "unit": "TNE",
        },
    )
    assert issued.status_code == 303, issued.text
    number = f"{utcnow():%y}-AL-000001"
    assert issued.headers["location"] == f"/portal/licences/{number}"
    page = await commerce.get(f"/licences/{number}")
    assert "许可证已签发。" in page.text
    assert "吊销原因" in page.text
    revoked = await commerce.post(f"/licences/{number}/revoke", {"reason": "surrendered"})
    assert revoked.status_code == 303
    page = await commerce.get(f"/licences/{number}")
    assert 'data-status="revoked"' in page.text
    assert "surrendered" in page.text
    assert number in (await commerce.get("/licences")).text


async def test_a_bad_form_is_shown_again_with_its_problems(browser: Browser, officer: Officer) -> None:
    commerce = await officer_portal(browser, officer, "commerce")
    await commerce.get("/licences/new")
    fields = {
        "kind": "automatic_import_licence",
        "holder_uscc": DEMO_TRADER_USCC,
        "valid_from": "2026-01-01",
        "valid_until": "2035-12-31",
        "hs_code": "1001",
        "description": "Wheat",
        "quantity": "5",
    }
    no_unit = await commerce.post("/licences/new", fields)
    assert no_unit.status_code == 422
    assert "goods[0]: a quantity needs its unit, and a unit its quantity" in no_unit.text
    backwards = await commerce.post("/licences/new", {**fields, "unit": "TNE", "valid_until": "2025-01-01"})
    assert backwards.status_code == 422
    assert "valid_until is before valid_from" in backwards.text
    assert 'value="2025-01-01"' in backwards.text


async def test_another_agencys_officer_cannot_issue(browser: Browser, officer: Officer, trader_portal: Portal) -> None:
    customs = await officer_portal(browser, officer, "customs")
    form = await customs.get("/licences/new")
    assert 'value="automatic_import_licence"' not in form.text
    refused = await customs.post(
        "/licences/new",
        {
            "kind": "automatic_import_licence",
            "holder_uscc": DEMO_TRADER_USCC,
            "valid_from": "2026-01-01",
            "valid_until": "2035-12-31",
            "hs_code": "1001",
            "description": "Wheat",
            "quantity": "5",
            "unit": "TNE",
        },
    )
    assert refused.status_code == 403
    assert (await trader_portal.get("/licences/new")).status_code == 403
