"""The portal in a real browser: a trader declares, an officer inspects, the language switches."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, FilePayload, Page, expect
from support.browser import sign_in
from support.documents import import_declaration
from support.portal import PORTAL_ONLY_AGENCY, Server

from singlewindow import demo
from singlewindow.portal.forms import to_form

pytestmark = pytest.mark.e2e
SQLITE_ONLY = pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)
WRONG_USCC = "91310000MA1FL8TQ37"
"""The demo trader's code with its GB 32100 check character changed."""


def _one_item_by_sea() -> dict[str, Any]:
    document = import_declaration(reference="E2E-SEA-0001", containers=[])
    document["goods"] = document["goods"][:1]
    return document


def _by_road() -> dict[str, Any]:
    return {**_one_item_by_sea(), "reference": "E2E-ROAD-0001", "transport_mode": "3"}


def _input(name: str) -> str:
    return "#f-" + name.replace(".", "-")


async def fill_form(page: Page, document: dict[str, Any]) -> None:
    for name, value in to_form(document).items():
        if name == "type":
            await page.select_option(_input(name), value)
        else:
            await page.fill(_input(name), value)


async def _released(page: Page) -> None:
    await expect(page.locator("#h-status .badge")).to_have_attribute("data-status", "released", timeout=30_000)


async def test_trader_fixes_an_inline_error_submits_and_sees_the_release(
    page: Page, server: Server, screenshots: Path
) -> None:
    await page.goto(f"{server.url}/portal/login")
    await page.screenshot(path=screenshots / "login.png")
    await sign_in(page, server, demo.DEMO_TRADER)
    await expect(page.locator("h1")).to_have_text("工作台")
    await page.click("nav.main-nav >> text=新建申报")
    document = _one_item_by_sea()
    await fill_form(page, {k: v for k, v in document.items() if k not in ("port_of_discharge",)})

    await page.locator(_input("port_of_discharge")).press_sequentially("CNSG")
    await expect(page.locator("#dl-port_of_discharge option[value=CNSGH]")).to_have_count(1)
    await page.fill(_input("port_of_discharge"), "CNSGH")

    await page.fill(_input("consignee.uscc"), WRONG_USCC)
    await page.locator(_input("consignee.uscc")).press("Tab")
    error = page.locator("#e-consignee-uscc")
    await expect(error).to_contain_text("not a valid unified social credit code")
    await error.scroll_into_view_if_needed()
    await page.screenshot(path=screenshots / "declaration-form-inline-error.png")

    await page.fill(_input("consignee.uscc"), demo.DEMO_TRADER_USCC)
    await page.locator(_input("consignee.uscc")).press("Tab")
    await expect(error).to_be_empty()

    await page.click("#submit")
    await page.wait_for_url("**/portal/declarations/*")
    await expect(page.locator(".flash")).to_have_text("申报已提交。")
    await _released(page)
    await page.reload()
    await expect(page.locator("table.messages code").first).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    await expect(page.locator("ol.timeline")).to_contain_text("海关: 放行")
    await page.screenshot(path=screenshots / "declaration-released.png", full_page=True)

    await page.click("nav.main-nav >> text=工作台")
    await expect(page.locator("#h-recent + .scroll")).to_contain_text("E2E-SEA-0001")
    await page.screenshot(path=screenshots / "dashboard.png")


async def _upload(page: Page, document: dict[str, Any]) -> None:
    await page.click("details.upload summary")
    payload = json.dumps(document, ensure_ascii=False).encode()
    upload: FilePayload = {"name": "road.json", "mimeType": "application/json", "buffer": payload}
    await page.set_input_files("#upload-file", files=[upload])
    await page.click("details.upload button")
    await expect(page.locator(_input("reference"))).to_have_value(document["reference"])
    await page.click("#submit")
    await page.wait_for_url("**/portal/declarations/*")


@SQLITE_ONLY
async def test_officer_requires_inspection_then_records_the_result(
    browser: Browser, page: Page, server: Server, screenshots: Path
) -> None:
    await sign_in(page, server, demo.DEMO_TRADER)
    await page.goto(f"{server.url}/portal/declarations/new")
    await _upload(page, _by_road())
    declaration_url = page.url

    officer_context = await browser.new_context(viewport={"width": 1100, "height": 760})
    officer = await officer_context.new_page()
    await sign_in(officer, server, f"officer-{PORTAL_ONLY_AGENCY}")
    await expect(officer.locator("h1")).to_contain_text("待办任务")
    await officer.click("text=E2E-ROAD-0001")
    received = officer.locator("#received-goods")
    await expect(received.locator("th[data-field=gross_weight_kg]")).to_have_count(1)
    await expect(received.locator("th[data-field=value]")).to_have_count(0)
    await expect(received).not_to_contain_text("180000")
    await officer.check("input[value=inspect]")
    await officer.click("#decide")
    await expect(officer.locator("#h-task .badge")).to_have_attribute("data-status", "inspection")
    await officer.screenshot(path=screenshots / "officer-task.png", full_page=True)
    await officer.check("input[value=inspection_passed]")
    await officer.click("#decide")
    await expect(officer.locator("#h-task .badge")).to_have_attribute("data-status", "released")
    await officer.goto(f"{server.url}/portal/queue")
    await officer.screenshot(path=screenshots / "officer-queue.png")
    await officer_context.close()

    await page.goto(declaration_url)
    await _released(page)
    await expect(page.locator("#status-panel")).to_contain_text("联合查验")
    await expect(page.locator("ol.timeline")).to_contain_text("边检: 查验通过")

    await sign_in(page, server, demo.DEMO_OPERATOR)
    await expect(page.locator("#health")).to_contain_text("边检")
    await page.screenshot(path=screenshots / "operations.png")


@SQLITE_ONLY
async def test_the_english_switch_translates_the_page(page: Page, server: Server, screenshots: Path) -> None:
    await page.goto(f"{server.url}/portal/login")
    await expect(page.locator("h1")).to_have_text("登录")
    await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    await page.click("#lang-en")
    await expect(page.locator("h1")).to_have_text("Sign in")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await sign_in(page, server, demo.DEMO_TRADER)
    await expect(page.locator("h1")).to_have_text("Dashboard")
    await page.goto(f"{server.url}/portal/declarations/new")
    await expect(page.locator("label[for=f-port_of_loading]")).to_contain_text("Port of loading")
    await page.screenshot(path=screenshots / "declaration-form-en.png")
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(f"{server.url}/portal/dashboard")
    await page.screenshot(path=screenshots / "dashboard-phone-en.png")
    await page.click("#lang-zh_CN")
    await expect(page.locator("h1")).to_have_text("工作台")
