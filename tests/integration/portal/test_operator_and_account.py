"""Operators: exchange health and dead-letter replay. Everyone: password, API keys, webhooks."""

import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy import update
from support.documents import import_declaration
from support.portal import PASSWORD, Portal

from singlewindow import demo
from singlewindow.app import Platform
from singlewindow.exchange.models import OutboxMessage, OutboxStatus

Submit = Callable[[dict[str, Any]], Awaitable[str]]
Browser = Callable[[], Awaitable[Portal]]
Run = Callable[[], Awaitable[None]]


async def _operator(browser: Browser) -> Portal:
    portal = await browser()
    await portal.login(demo.DEMO_OPERATOR)
    return portal


async def test_exchange_health_per_counterparty(browser: Browser, submit: Submit, run: Run) -> None:
    await submit(import_declaration())
    await run()
    page = await (await _operator(browser)).get("/operations")
    health = page.text.split('id="health"')[1].split("</table>")[0]
    assert "海关" in health
    assert "海事" in health
    assert "simulators/customs/messages" in page.text


async def test_a_dead_letter_is_replayed_from_the_page(browser: Browser, submit: Submit, platform: Platform) -> None:
    await submit(import_declaration())
    async with platform.sessions() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.destination == "customs")
            .values(status=OutboxStatus.DEAD, last_error="HTTP 503 from customs")
        )
        await session.commit()
    operator = await _operator(browser)
    page = await operator.get("/operations/dead-letters")
    assert "HTTP 503 from customs" in page.text
    replay = page.text.split("/replay")[0].rsplit('action="/portal', 1)[1]
    response = await operator.post(f"{replay}/replay")
    assert response.status_code == 303
    assert "HTTP 503 from customs" not in (await operator.get("/operations/dead-letters")).text


async def test_a_trader_cannot_see_operations(trader_portal: Portal) -> None:
    assert (await trader_portal.get("/operations")).status_code == 403
    assert (await trader_portal.get("/operations/dead-letters")).status_code == 403


async def test_changing_the_password_needs_the_current_one(
    trader_portal: Portal, browser: Browser, client: httpx.AsyncClient
) -> None:
    await trader_portal.get("/account")
    new = "a much longer passphrase 2026"
    wrong = await trader_portal.post("/account/password", {"current": "wrong", "new": new, "confirm": new})
    assert wrong.status_code == 401
    differ = await trader_portal.post("/account/password", {"current": PASSWORD, "new": new, "confirm": new + "x"})
    assert differ.status_code == 422
    assert "两次输入的新密码不一致。" in differ.text
    changed = await trader_portal.post("/account/password", {"current": PASSWORD, "new": new, "confirm": new})
    assert changed.status_code == 303
    fresh = await browser()
    await fresh.login(demo.DEMO_TRADER, new)


async def test_api_keys_are_created_once_shown_and_revoked(trader_portal: Portal, client: httpx.AsyncClient) -> None:
    await trader_portal.get("/account")
    created = await trader_portal.post("/account/api-keys", {"name": "erp"})
    key = created.text.split('id="new-key">')[1].split("<")[0]
    assert (await client.get("/api/v1/declarations", headers={"X-API-Key": key})).status_code == 200
    key_id = re.search(r"/account/api-keys/([0-9a-f-]{36})/revoke", created.text).group(1)  # type: ignore[union-attr]
    await trader_portal.post(f"/account/api-keys/{key_id}/revoke")
    assert (await client.get("/api/v1/declarations", headers={"X-API-Key": key})).status_code == 401
    assert "erp" in (await trader_portal.get("/account")).text


async def test_webhooks_are_added_and_removed(trader_portal: Portal) -> None:
    await trader_portal.get("/account")
    bad = await trader_portal.post("/account/webhooks", {"url": "ftp://nope"})
    assert bad.status_code == 422
    added = await trader_portal.post("/account/webhooks", {"url": "https://erp.example/hooks"})
    assert 'id="new-secret"' in added.text
    assert "https://erp.example/hooks" in added.text
    hook_id = added.text.split("/remove")[0].rsplit("/webhooks/", 1)[1]
    await trader_portal.post(f"/account/webhooks/{hook_id}/remove")
    assert "https://erp.example/hooks" not in (await trader_portal.get("/account")).text


async def test_a_declarant_sees_the_webhooks_but_cannot_remove_them(
    trader_portal: Portal, browser: Browser, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    await trader_portal.get("/account")
    added = await trader_portal.post("/account/webhooks", {"url": "https://erp.example/hooks"})
    hook_id = re.search(r"/account/webhooks/([0-9a-f-]{36})/remove", added.text).group(1)  # type: ignore[union-attr]
    user = {"username": "declarant-3", "password": PASSWORD, "roles": ["declarant"]}
    assert (await client.post("/api/v1/users", json=user, headers=trader)).status_code == 201
    declarant = await browser()
    await declarant.login("declarant-3")
    account = await declarant.get("/account")
    assert account.status_code == 200
    assert "https://erp.example/hooks" in account.text
    assert "/remove" not in account.text
    assert 'id="key-name"' not in account.text  # API keys are the administrator's
    refused = await declarant.post(f"/account/webhooks/{hook_id}/remove")
    assert refused.status_code == 403
    assert "https://erp.example/hooks" in (await trader_portal.get("/account")).text
