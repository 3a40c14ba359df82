"""Customs brokers in the portal: who acts for whom, delegating from the account page, declaring for a client."""

import html
import re
from typing import Any

import httpx
from support.documents import import_declaration
from support.portal import BROKER_NAME, BROKER_USCC, Portal

from singlewindow import demo
from singlewindow.portal.forms import to_form

NOT_A_BROKER_USCC = "9144030071526726XG"
"""A well-formed code no enterprise is registered under."""


def _declaration_form(document: dict[str, Any], on_behalf_of: str) -> list[tuple[str, str]]:
    return [*to_form(document).items(), ("on_behalf_of", on_behalf_of), ("action", "submit")]


async def _delegate(trader_portal: Portal) -> None:
    await trader_portal.get("/account")
    response = await trader_portal.post("/account/delegations", {"broker_uscc": BROKER_USCC.lower()})
    assert response.status_code == 303, response.text


def _section(page: httpx.Response, table: str) -> str:
    return page.text.split(f'id="{table}"')[1].split("</table>")[0]


async def test_a_client_delegates_on_the_account_page_and_both_sides_see_it(
    trader_portal: Portal, broker_portal: Portal
) -> None:
    await trader_portal.get("/account")
    malformed = await trader_portal.post("/account/delegations", {"broker_uscc": "91310000MA1FL8TQ37"})
    assert malformed.status_code == 422
    assert "check character" in malformed.text
    unknown = await trader_portal.post("/account/delegations", {"broker_uscc": NOT_A_BROKER_USCC})
    assert unknown.status_code == 404
    assert "no customs broker" in unknown.text
    await _delegate(trader_portal)

    brokers = _section(await trader_portal.get("/account"), "brokers")
    assert html.escape(BROKER_NAME, quote=False) in brokers
    assert BROKER_USCC in brokers
    assert "直至本企业撤销" in brokers  # valid until the client revokes it
    dashboard = await trader_portal.get("/dashboard")
    assert html.escape(BROKER_NAME, quote=False) in dashboard.text.split('id="dashboard-brokers"')[1]

    account = await broker_portal.get("/account")
    clients = _section(account, "clients")
    assert html.escape(demo.DEMO_TRADER_NAME, quote=False) in clients
    assert demo.DEMO_TRADER_USCC in clients
    assert "以委托企业名义提交、修改和撤销申报" in account.text  # the scope, in words
    chooser = (await broker_portal.get("/dashboard")).text.split('id="choose-client"')[1].split("</form>")[0]
    assert f'value="{demo.DEMO_TRADER_USCC}"' in chooser


async def test_a_broker_declares_for_its_client_from_the_form(
    trader_portal: Portal, broker_portal: Portal, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    assert 'id="on-behalf-of"' not in (await broker_portal.get("/declarations/new")).text  # no client yet
    await _delegate(trader_portal)
    form = await broker_portal.get("/declarations/new")
    assert f'<option value="{demo.DEMO_TRADER_USCC}">' in form.text.split('id="on-behalf-of"')[1]

    submitted = await broker_portal.post(
        "/declarations/new", _declaration_form(import_declaration(), demo.DEMO_TRADER_USCC)
    )
    assert submitted.status_code == 303, submitted.text
    path = submitted.headers["location"].removeprefix("/portal")
    page = await broker_portal.get(path)
    assert page.status_code == 200
    banner = page.text.split('id="acting-for"')[1].split("</div>")[0]
    assert html.escape(demo.DEMO_TRADER_NAME, quote=False) in banner
    assert demo.DEMO_TRADER_USCC in banner

    declaration_id = path.rsplit("/", 1)[1]
    owned = await client.get(f"/api/v1/declarations/{declaration_id}", headers=trader)
    assert owned.status_code == 200  # the declaration is the client's
    assert declaration_id in (await trader_portal.get("/declarations")).text
    account = await broker_portal.get("/account")  # the broker's own account, also while acting
    assert account.status_code == 200
    assert "代表委托企业" not in _section(account, "clients")  # acting for it now: no button to switch to it

    back = await broker_portal.post("/acting-for", {"uscc": ""})
    assert back.status_code == 303
    assert (await broker_portal.get(path)).status_code == 404  # its own enterprise does not see the client's data
    assert 'id="acting-for"' not in (await broker_portal.get("/dashboard")).text


async def test_without_a_delegation_the_client_cannot_be_chosen(
    broker_portal: Portal, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    await broker_portal.get("/declarations/new")
    refused = await broker_portal.post(
        "/declarations/new", _declaration_form(import_declaration(), demo.DEMO_TRADER_USCC)
    )
    assert refused.status_code == 403
    switched = await broker_portal.post("/acting-for", {"uscc": demo.DEMO_TRADER_USCC})
    assert switched.status_code == 403
    assert (await client.get("/api/v1/declarations", headers=trader)).json()["total"] == 0


async def test_a_revoked_delegation_ends_acting_at_the_next_request(
    trader_portal: Portal, broker_portal: Portal
) -> None:
    await _delegate(trader_portal)
    await broker_portal.get("/dashboard")
    assert (await broker_portal.post("/acting-for", {"uscc": demo.DEMO_TRADER_USCC})).status_code == 303
    acting = await broker_portal.get("/dashboard")
    assert html.escape(demo.DEMO_TRADER_NAME, quote=False) in acting.text.split('id="acting-for"')[1]

    brokers = _section(await trader_portal.get("/account"), "brokers")
    delegation_id = re.search(r"/account/delegations/([0-9a-f-]{36})/revoke", brokers).group(1)  # type: ignore[union-attr]
    assert (await trader_portal.post(f"/account/delegations/{delegation_id}/revoke")).status_code == 303

    after = await broker_portal.get("/dashboard")
    assert 'id="acting-for"' not in after.text
    assert "委托企业已撤销委托" in after.text
    assert "已撤销" in _section(await trader_portal.get("/account"), "brokers")
    assert 'id="choose-client"' not in after.text  # no active client left to choose


async def test_a_finance_user_has_an_account_page_without_what_it_may_not_see(
    trader_portal: Portal, broker_portal: Portal, browser: Any, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    await _delegate(trader_portal)
    created = await client.post(
        "/api/v1/users",
        json={"username": "finance-1", "password": "another long passphrase", "roles": ["finance"]},
        headers=trader,
    )
    assert created.status_code == 201, created.text
    finance = await browser()
    await finance.login("finance-1", "another long passphrase")
    account = await finance.get("/account")
    assert account.status_code == 200  # the password can be changed by everyone
    assert 'id="pw-new"' in account.text
    for hidden in ('id="brokers"', 'id="key-name"', 'id="hook-url"'):
        assert hidden not in account.text
