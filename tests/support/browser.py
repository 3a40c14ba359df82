"""Steps the browser tests share."""

from playwright.async_api import Page, expect

from support.portal import PASSWORD, Server


async def sign_in(page: Page, server: Server, username: str) -> None:
    """Through the portal's login form, as a person would, and check that it took."""
    await page.goto(f"{server.url}/portal/login")
    await page.fill("#username", username)
    await page.fill("#password", PASSWORD)
    await page.click("form button.primary")
    await page.wait_for_load_state("networkidle")
    await expect(page.locator("#login-error")).to_have_count(0)
