"""Accessibility in a real browser: axe-core finds no serious or critical violation on the main pages,
and the declaration form is filled and submitted with the keyboard alone.

axe-core is vendored in ``tests/e2e/vendor`` (see its README): it is a test tool, never served.
"""

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect
from support.browser import sign_in
from support.documents import import_declaration
from support.portal import PORTAL_ONLY_AGENCY, Server
from support.processes import free_port

from singlewindow import demo
from singlewindow.portal.forms import to_form

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = frozenset({"serious", "critical"})


async def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it stands (injected past the page's CSP)."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE + "\n;undefined")
    result: dict[str, Any] = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", RULES
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def _report(found: list[dict[str, Any]]) -> str:
    return "; ".join(f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in found)


async def _check(page: Page, url: str, checked: dict[str, str]) -> None:
    await page.goto(url)
    await page.wait_for_load_state("networkidle")
    found = await violations(page)
    if found:
        checked[url] = _report(found)


async def test_the_main_pages_have_no_serious_or_critical_accessibility_violation(
    browser: Browser, page: Page, server: Server, screenshots: Path
) -> None:
    base = f"{server.url}/portal"
    problems: dict[str, str] = {}
    await _check(page, f"{base}/login", problems)
    await page.evaluate("document.querySelector('#username').removeAttribute('id')")  # orphan its label
    assert "label" in {v["id"] for v in await violations(page)}, "the check finds a real violation"
    await _check(page, f"{base}/catalogue/code-lists/locode?q=上海", problems)
    await page.screenshot(path=screenshots / "catalogue-code-list.png")
    await _check(page, f"{base}/catalogue/document-types/vessel_declaration", problems)
    await page.screenshot(path=screenshots / "catalogue-document-type.png", full_page=True)
    await _check(page, f"{base}/catalogue/elements?q=weight", problems)

    await sign_in(page, server, demo.DEMO_TRADER)
    await page.goto(f"{base}/account")
    await page.fill("#hook-url", f"http://127.0.0.1:{free_port()}/hook")  # nothing listens: delivery fails
    await page.click("#hook-url ~ button")
    document = import_declaration(reference="A11Y-0001", containers=[])
    document["goods"] = document["goods"][:1]
    await page.goto(f"{base}/declarations/new")
    for name, value in to_form(document).items():
        field = "#f-" + name.replace(".", "-")
        await (page.select_option(field, value) if name == "type" else page.fill(field, value))
    await page.click("#submit")
    await page.wait_for_url("**/portal/declarations/*")
    detail = page.url
    for path in ("/dashboard", "/declarations/new", "/declarations", "/documents", "/account", "/payments"):
        await _check(page, base + path, problems)
    await _check(page, detail, problems)
    await page.goto(f"{base}/dashboard")
    await expect(page.locator("#undelivered")).to_contain_text("declaration.status_changed")
    await expect(page.locator("#undelivered")).to_contain_text("127.0.0.1")
    await page.screenshot(path=screenshots / "dashboard-notifications.png", full_page=True)

    officer_context = await browser.new_context(viewport={"width": 1100, "height": 760}, locale="zh-CN")
    officer = await officer_context.new_page()
    await sign_in(officer, server, f"officer-{PORTAL_ONLY_AGENCY}")
    await _check(officer, f"{base}/queue", problems)
    await _check(officer, f"{base}/queue/{detail.rsplit('/', 1)[1]}", problems)
    await officer_context.close()
    await sign_in(page, server, demo.DEMO_OPERATOR)
    await _check(page, f"{base}/operations", problems)
    await _check(page, f"{base}/operations/dead-letters", problems)
    assert not problems, problems


async def _tab_until(page: Page, selector: str, limit: int = 200) -> list[str]:
    """Press Tab until ``selector`` has the focus; the names (or ids) of what took the focus on the way."""
    seen: list[str] = []
    for _ in range(limit):
        await page.keyboard.press("Tab")
        focused: str = await page.evaluate(
            "() => { const e = document.activeElement; return e.name || e.id || e.textContent.trim(); }"
        )
        seen.append(focused)
        if await page.evaluate("s => document.activeElement.matches(s)", selector):
            return seen
    raise AssertionError(f"{selector} never took the focus; the focus went through {seen}")


async def test_the_declaration_form_is_filled_and_submitted_with_the_keyboard_alone(page: Page, server: Server) -> None:
    await sign_in(page, server, demo.DEMO_TRADER)
    await page.goto(f"{server.url}/portal/declarations/new")
    await page.keyboard.press("Tab")
    await expect(page.locator("a.skip")).to_be_focused()
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focus is visible"
    await page.keyboard.press("Enter")
    await expect(page.locator("#main")).to_be_focused()

    order = await _tab_until(page, "#f-type")
    assert "username" not in order
    document = import_declaration(reference="KEYBOARD-0001", containers=[])
    document["goods"] = document["goods"][:1]
    values = to_form(document)
    for _ in range(["import", "export"].index(document["type"]) + 1):
        await page.keyboard.press("ArrowDown")  # the first option is the empty one
    in_form_order: list[str] = await page.evaluate(
        "names => Array.from(document.querySelectorAll('#declaration-form input[name], #declaration-form select'))"
        ".map(e => e.name).filter(n => names.includes(n))",
        list(values),
    )
    typed = ["type"]
    while len(typed) < len(in_form_order):
        await page.keyboard.press("Tab")
        name: str = await page.evaluate("document.activeElement.name || ''")
        if name in values and name not in typed:
            await page.keyboard.type(values[name])
            typed.append(name)
    assert typed == in_form_order, "the focus follows the form's own order and reaches every field"
    await expect(page.locator("#f-type")).to_have_value(document["type"])
    await _tab_until(page, "#submit")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/portal/declarations/*")
    await expect(page.locator(".flash")).to_have_text("申报已提交。")
    await expect(page.locator("h1")).to_contain_text("KEYBOARD-0001")
