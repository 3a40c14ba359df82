"""Signing in with a one-time code, and portal sessions that end when identity revokes the user's sessions."""

from collections.abc import Awaitable, Callable

import httpx
import pyotp
import pytest
from support.portal import PASSWORD, Portal

from singlewindow import demo
from singlewindow.app import Platform
from singlewindow.identity import repository as identities
from singlewindow.settings import Settings

Browser = Callable[[], Awaitable[Portal]]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A lockout threshold of 3, to show the portal uses the deployment's policy, not a default."""
    return settings.model_copy(update={"lockout_threshold": 3})


@pytest.fixture
async def totp_secret(client: httpx.AsyncClient, trader: dict[str, str]) -> str:
    """The demo trader enrols TOTP through the API; returns the secret its authenticator app holds."""
    secret = str((await client.post("/api/v1/me/totp", headers=trader)).json()["secret"])
    confirmed = await client.post("/api/v1/me/totp/confirm", json={"code": pyotp.TOTP(secret).now()}, headers=trader)
    assert confirmed.status_code == 200, confirmed.text
    return secret


async def _sign_in(portal: Portal, otp: str | None = None, password: str = PASSWORD) -> httpx.Response:
    await portal.get("/login")
    form = {"username": demo.DEMO_TRADER, "password": password}
    return await portal.post("/login", {**form, "otp": otp} if otp is not None else form)


async def _failed_logins(platform: Platform) -> int:
    async with platform.sessions() as session:
        user = await identities.user_by_username(session, demo.DEMO_TRADER)
        assert user is not None
        return user.failed_logins


async def test_an_enrolled_user_is_asked_for_the_code_and_signs_in_with_it(
    browser: Browser, totp_secret: str, platform: Platform
) -> None:
    portal = await browser()
    asked = await _sign_in(portal)
    assert asked.status_code == 401
    assert "此账户已启用动态验证码" in asked.text
    assert 'id="otp"' in asked.text
    assert 'autocomplete="one-time-code"' in asked.text
    assert f'value="{demo.DEMO_TRADER}"' in asked.text  # the username stays
    assert (await portal.client.get("/portal/dashboard")).status_code == 303

    signed_in = await _sign_in(portal, pyotp.TOTP(totp_secret).now())
    assert signed_in.status_code == 303, signed_in.text
    assert signed_in.headers["location"] == "/portal/dashboard"
    assert (await portal.get("/dashboard")).status_code == 200
    assert await _failed_logins(platform) == 0  # a success resets the count


async def test_wrong_codes_count_toward_lockout_as_on_the_api(
    browser: Browser, totp_secret: str, platform: Platform, client: httpx.AsyncClient
) -> None:
    portal = await browser()
    wrong = await _sign_in(portal, "000000" if pyotp.TOTP(totp_secret).now() != "000000" else "111111")
    assert wrong.status_code == 401
    assert "动态验证码错误或已过期。" in wrong.text
    assert 'id="otp"' in wrong.text
    assert await _failed_logins(platform) == 1

    malformed = await _sign_in(portal, "12a456")
    assert malformed.status_code == 422
    assert "动态验证码是身份验证器应用显示的 6 位数字。" in malformed.text
    assert await _failed_logins(platform) == 1  # refused before it is checked, as the API's 422

    await _sign_in(portal, "999999" if pyotp.TOTP(totp_secret).now() != "999999" else "888888")
    await _sign_in(portal)  # the third failure (a missing code) locks, as SW_LOCKOUT_THRESHOLD=3 says
    locked = await _sign_in(portal, pyotp.TOTP(totp_secret).now())
    assert locked.status_code == 401
    assert "登录失败次数过多" in locked.text
    api = await client.post(
        "/api/v1/auth/token",
        data={"username": demo.DEMO_TRADER, "password": PASSWORD, "otp": pyotp.TOTP(totp_secret).now()},
    )
    assert api.status_code == 401
    assert api.json()["title"] == "Account locked"


async def test_the_code_step_is_translated(browser: Browser, totp_secret: str) -> None:
    portal = await browser()
    await portal.client.get("/portal/lang/en")
    asked = await _sign_in(portal)
    assert "This account uses a one-time code" in asked.text
    assert '<label for="otp">One-time code</label>' in asked.text


async def test_a_user_without_totp_signs_in_with_the_password_alone(browser: Browser) -> None:
    portal = await browser()
    response = await _sign_in(portal)
    assert response.status_code == 303
    assert 'id="otp"' not in (await portal.get("/login")).text


async def test_signing_out_everywhere_ends_every_portal_session_and_token(
    browser: Browser, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    first, second = await browser(), await browser()
    await first.login(demo.DEMO_TRADER)
    await second.login(demo.DEMO_TRADER)
    await first.get("/account")
    ended = await first.post("/account/sessions/revoke")
    assert ended.status_code == 303
    assert ended.headers["location"] == "/portal/login"
    assert "您已退出所有会话。" in (await first.get("/login")).text

    stale = await second.client.get("/portal/declarations")
    assert stale.status_code == 303
    assert stale.headers["location"] == "/portal/login?next=/portal/declarations"
    assert "会话已结束" in (await second.get("/login")).text
    assert (await client.get("/api/v1/me", headers=trader)).status_code == 401
    await second.login(demo.DEMO_TRADER)  # signing in again works


async def test_a_new_password_ends_the_other_sessions_but_not_this_one(browser: Browser) -> None:
    here, elsewhere = await browser(), await browser()
    await here.login(demo.DEMO_TRADER)
    await elsewhere.login(demo.DEMO_TRADER)
    await here.get("/account")
    new = "a different long passphrase"
    changed = await here.post("/account/password", {"current": PASSWORD, "new": new, "confirm": new})
    assert changed.status_code == 303
    assert (await here.get("/dashboard")).status_code == 200
    assert (await elsewhere.client.get("/portal/dashboard")).status_code == 303


async def test_an_administrator_revoking_a_users_sessions_ends_the_portal_session(
    browser: Browser, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    created = await client.post(
        "/api/v1/users", json={"username": "declarant-1", "password": PASSWORD, "roles": ["declarant"]}, headers=trader
    )
    assert created.status_code == 201, created.text
    declarant = await browser()
    await declarant.login("declarant-1")
    assert (await declarant.get("/dashboard")).status_code == 200
    revoked = await client.post(f"/api/v1/users/{created.json()['id']}/sessions/revoke", headers=trader)
    assert revoked.status_code == 200
    assert (await declarant.client.get("/portal/dashboard")).status_code == 303


async def test_htmx_requests_of_an_ended_session_are_sent_to_the_login(
    browser: Browser, client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    portal = await browser()
    await portal.login(demo.DEMO_TRADER)
    await client.post("/api/v1/me/sessions/revoke", headers=trader)
    htmx = {"HX-Request": "true", "HX-Current-URL": "http://platform.test/portal/declarations/new"}
    response = await portal.client.get("/portal/codes/countries?q=CN", headers=htmx)
    assert response.headers["HX-Redirect"] == "/portal/login?next=/portal/declarations/new"  # back to the page
