"""Data sharing in a real browser: an officer publishes a data class, another queries what the demo granted.

Both new pages are also checked with axe-core like the main pages (``test_accessibility.py``).
"""

from pathlib import Path

import pytest
from e2e.test_accessibility import violations
from playwright.async_api import Browser, Page, expect
from support.browser import sign_in
from support.portal import Server

pytestmark = pytest.mark.e2e
SQLITE_ONLY = pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
async def test_an_officer_publishes_and_another_queries_its_grant(
    browser: Browser, page: Page, server: Server, screenshots: Path
) -> None:
    await sign_in(page, server, "officer-customs")
    await page.goto(f"{server.url}/portal/sharing/publish")
    assert await violations(page) == []
    await page.fill("#code", "customs.released-exports")
    await page.fill("#name_zh", "已放行出口报关单")
    await page.fill("#name_en", "Released export declarations")
    await page.check("input[name=source][value=released_declarations]")
    await page.check("input[name=document_type][value=cargo_declaration]")
    for element in ("SW0001", "SW0018"):
        await page.check(f"input[name=element][value={element}]")
    await page.screenshot(path=screenshots / "sharing-publish.png", full_page=True)
    await page.click("#publish-form button.primary")
    await expect(page.locator('[id="class-customs.released-exports"]')).to_contain_text("已放行出口报关单")

    context = await browser.new_context(viewport={"width": 1100, "height": 760}, locale="zh-CN")
    quarantine = await context.new_page()
    await sign_in(quarantine, server, "officer-inspection_quarantine")
    await quarantine.goto(f"{server.url}/portal/sharing/requests")
    await quarantine.click("#held-grants >> text=查询数据")
    await expect(quarantine.locator("h1")).to_contain_text("共享数据")
    await expect(quarantine.locator("#enterprise-filter")).to_have_count(1)
    assert await violations(quarantine) == []
    await quarantine.screenshot(path=screenshots / "sharing-records.png", full_page=True)
    await context.close()

    await page.goto(f"{server.url}/portal/sharing/log")
    await expect(page.locator("#access-log")).to_contain_text("已提供")
