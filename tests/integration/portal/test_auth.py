"""Signing in and out, the cookie session, CSRF, security headers and the language switch."""

import html
from collections.abc import Awaitable, Callable

import httpx
from support.portal import PASSWORD, Portal

from singlewindow import demo

Browser = Callable[[], Awaitable[Portal]]


async def test_pages_are_chinese_by_default_and_english_one_click_away(browser: Browser) -> None:
    portal = await browser()
    page = await portal.get("/login")
    assert '<html lang="zh-CN">' in page.text
    assert "<h1>登录</h1>" in page.text
    switched = await portal.client.get("/portal/lang/en?next=/portal/login", follow_redirects=True)
    assert '<html lang="en">' in switched.text
    assert "<h1>Sign in</h1>" in switched.text


async def test_sign_in_sets_a_hardened_session_cookie_and_lands_on_the_desk(browser: Browser) -> None:
    portal = await browser()
    response = await portal.login(demo.DEMO_TRADER)
    assert response.headers["location"] == "/portal/dashboard"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/portal" in cookie  # the API never receives it
    assert "secure" not in cookie  # the test platform is served over http
    dashboard = await portal.get("/dashboard")
    assert dashboard.status_code == 200
    assert html.escape(demo.DEMO_TRADER_NAME, quote=False) in dashboard.text


async def test_a_wrong_password_is_refused_on_the_page(browser: Browser) -> None:
    portal = await browser()
    await portal.get("/login")
    response = await portal.post("/login", {"username": demo.DEMO_TRADER, "password": "not the password"})
    assert response.status_code == 401
    assert "用户名或密码错误。" in response.text
    assert (await portal.client.get("/portal/dashboard")).status_code == 303


async def test_a_page_behind_sign_in_sends_to_the_login_and_back(browser: Browser) -> None:
    portal = await browser()
    response = await portal.client.get("/portal/declarations?status=released")
    assert response.status_code == 303
    assert response.headers["location"] == "/portal/login?next=/portal/declarations%3Fstatus%3Dreleased"
    await portal.get("/login")
    signed_in = await portal.post(
        "/login", {"username": demo.DEMO_TRADER, "password": PASSWORD, "next": "/portal/declarations?status=released"}
    )
    assert signed_in.headers["location"] == "/portal/declarations?status=released"


async def test_next_never_leaves_the_portal(browser: Browser) -> None:
    portal = await browser()
    await portal.get("/login")
    response = await portal.post(
        "/login", {"username": demo.DEMO_TRADER, "password": PASSWORD, "next": "//evil.example/steal"}
    )
    assert response.headers["location"] == "/portal/dashboard"


async def test_a_post_without_the_session_csrf_token_changes_nothing(trader_portal: Portal) -> None:
    forged = await trader_portal.client.post("/portal/account/api-keys", data={"name": "forged", "csrf_token": "x"})
    assert forged.status_code == 403
    missing = await trader_portal.client.post("/portal/account/api-keys", data={"name": "forged"})
    assert missing.status_code == 403
    account = await trader_portal.get("/account")
    assert "forged" not in account.text


async def test_htmx_sends_the_token_in_a_header(trader_portal: Portal) -> None:
    response = await trader_portal.client.post(
        "/portal/declarations/validate",
        data={"_field": "currency", "currency": "XXQ"},
        headers={"X-CSRF-Token": trader_portal.csrf, "HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "XXQ" in response.text


async def test_every_page_carries_the_security_headers(browser: Browser) -> None:
    portal = await browser()
    response = await portal.get("/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers  # the tests' public URL is plain http


async def test_static_assets_stay_cacheable_and_keep_the_other_headers(browser: Browser) -> None:
    portal = await browser()
    for path, caching in (("/static/portal.css", None), ("/theme.css", "max-age=300")):
        response = await portal.get(path)
        assert response.status_code == 200
        assert response.headers.get("cache-control") == caching, path
        assert response.headers["x-content-type-options"] == "nosniff"
    theme = (await portal.get("/theme.css")).text
    assert "--primary: #a4161a;" in theme
    assert "--on-primary: #ffffff;" in theme


async def test_sign_out_ends_the_session(trader_portal: Portal) -> None:
    response = await trader_portal.post("/logout")
    assert response.status_code == 303
    assert (await trader_portal.client.get("/portal/dashboard")).status_code == 303


async def test_the_root_and_the_portal_home_lead_to_the_right_desk(client: httpx.AsyncClient, browser: Browser) -> None:
    assert (await client.get("/")).headers["location"] == "/portal/"
    portal = await browser()
    await portal.login(demo.DEMO_OPERATOR)
    assert (await portal.client.get("/portal/")).headers["location"] == "/portal/operations"
