"""Accounts in a real browser: a second factor at sign-in, and a customs broker declaring for its client."""

import json
from pathlib import Path

import httpx
import pyotp
import pytest
from playwright.async_api import FilePayload, Page, expect
from support.documents import import_declaration
from support.portal import BROKER_NAME, BROKER_USCC, PASSWORD, Server

from singlewindow import demo

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)]


async def _register_broker(server: Server) -> None:
    registration = {
        "name": BROKER_NAME,
        "uscc": BROKER_USCC,
        "roles": ["customs_broker"],
        "admin": {"username": "broker-admin", "password": PASSWORD},
    }
    async with httpx.AsyncClient(base_url=server.url) as api:
        assert (await api.post("/api/v1/enterprises", json=registration)).status_code == 201


async def _password_step(page: Page, server: Server, username: str) -> None:
    await page.goto(f"{server.url}/portal/login")
    await page.fill("#username", username)
    await page.fill("#password", PASSWORD)
    await page.click("form button.primary")


async def test_a_trader_sets_up_totp_and_signs_in_with_the_one_time_code(
    page: Page, server: Server, screenshots: Path
) -> None:
    await _password_step(page, server, demo.DEMO_TRADER)
    await page.goto(f"{server.url}/portal/account")
    await page.click("#totp-begin")
    await expect(page.locator("#totp-qr")).to_be_visible()
    secret = await page.locator("#totp-secret").inner_text()
    await page.locator("#h-totp").scroll_into_view_if_needed()
    await page.screenshot(path=screenshots / "account-totp-setup.png")
    await page.fill("#totp-code", pyotp.TOTP(secret).now())
    await page.click("#h-totp ~ form button.primary")
    await expect(page.locator("#totp-status")).to_contain_text("已启用")
    await page.click("nav.main-nav button.link")  # sign out

    await _password_step(page, server, demo.DEMO_TRADER)
    await expect(page.locator("#login-error")).to_contain_text("此账户已启用动态验证码")
    await expect(page.locator("#password")).to_be_focused()
    await expect(page.locator("#username")).to_have_value(demo.DEMO_TRADER)
    await page.fill("#password", PASSWORD)
    await page.fill("#otp", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    await page.click("form button.primary")
    await expect(page.locator("#login-error")).to_have_text("动态验证码错误或已过期。")
    await page.fill("#password", PASSWORD)
    await page.fill("#otp", pyotp.TOTP(secret).now())
    await page.screenshot(path=screenshots / "login-one-time-code.png")
    await page.click("form button.primary")
    await expect(page.locator("h1")).to_have_text("工作台")


async def test_a_broker_sees_its_client_and_declares_in_its_name(page: Page, server: Server, screenshots: Path) -> None:
    await _register_broker(server)
    await _password_step(page, server, demo.DEMO_TRADER)
    await page.goto(f"{server.url}/portal/account")
    await page.fill("#broker-uscc", BROKER_USCC)
    await page.click("#h-brokers ~ form button")
    await expect(page.locator(".flash")).to_have_text("已委托。")
    await expect(page.locator("#brokers")).to_contain_text(BROKER_USCC)
    await page.click("nav.main-nav button.link")  # sign out

    await _password_step(page, server, "broker-admin")
    await expect(page.locator("#choose-client")).to_contain_text(demo.DEMO_TRADER_USCC)
    await page.goto(f"{server.url}/portal/account")
    await expect(page.locator("#clients")).to_contain_text(demo.DEMO_TRADER_USCC)
    await page.locator("#h-clients").scroll_into_view_if_needed()
    await page.screenshot(path=screenshots / "broker-account.png")

    await page.goto(f"{server.url}/portal/declarations/new")
    document = {**import_declaration(reference="E2E-BROKER-0001", containers=[])}
    document["goods"] = document["goods"][:1]
    await page.click("details.upload summary")
    upload: FilePayload = {
        "name": "client.json",
        "mimeType": "application/json",
        "buffer": json.dumps(document, ensure_ascii=False).encode(),
    }
    await page.set_input_files("#upload-file", files=[upload])
    await page.click("details.upload button")
    await page.select_option("#on-behalf-of", demo.DEMO_TRADER_USCC)
    await page.click("#submit")
    await page.wait_for_url("**/portal/declarations/*")
    await expect(page.locator("#acting-for")).to_contain_text(demo.DEMO_TRADER_USCC)
    await expect(page.locator("#acting-for")).to_contain_text("上海示范进出口有限公司")
    await expect(page.locator("h1")).to_contain_text("E2E-BROKER-0001")
    await page.screenshot(path=screenshots / "broker-declaration.png")

    await page.click("#acting-for button")
    await expect(page.locator("#acting-for")).to_have_count(0)
    await expect(page.locator("#dashboard-acting-for")).to_have_text(BROKER_NAME)
