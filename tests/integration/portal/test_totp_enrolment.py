"""Setting up TOTP on the account page, and SW_TOTP_REQUIRED holding portal sessions to enrolment as it holds tokens."""

import re
from collections.abc import Awaitable, Callable

import pyotp
import pytest
from support.portal import PASSWORD, Portal

from singlewindow import demo
from singlewindow.app import Platform
from singlewindow.identity import repository as identities
from singlewindow.identity import service as identity
from singlewindow.settings import Settings

Browser = Callable[[], Awaitable[Portal]]
_SECRET = re.compile(r'id="totp-secret">([A-Z2-7]+)<')


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"totp_required": True})


async def _enrol(portal: Portal) -> str:
    await portal.get("/account")
    started = await portal.post("/account/totp")
    assert started.status_code == 200
    assert 'src="data:image/svg+xml' in started.text.split('id="totp-qr"')[0].rsplit("<img", 1)[1]
    found = _SECRET.search(started.text)
    assert found is not None
    return found.group(1)


async def test_a_trader_sets_up_totp_and_then_signs_in_with_a_code(browser: Browser, trader_portal: Portal) -> None:
    secret = await _enrol(trader_portal)
    malformed = await trader_portal.post("/account/totp/confirm", {"code": "12345"})
    assert malformed.status_code == 422
    wrong_code = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    wrong = await trader_portal.post("/account/totp/confirm", {"code": wrong_code})
    assert wrong.status_code == 401
    assert "验证码与密钥不符" in wrong.text
    confirmed = await trader_portal.post("/account/totp/confirm", {"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 303
    account = await trader_portal.get("/account")
    assert "两步登录已启用" in account.text
    assert 'id="totp-begin"' not in account.text

    fresh = await browser()
    await fresh.get("/login")
    asked = await fresh.post("/login", {"username": demo.DEMO_TRADER, "password": PASSWORD})
    assert 'id="otp"' in asked.text
    signed_in = await fresh.post(
        "/login", {"username": demo.DEMO_TRADER, "password": PASSWORD, "otp": pyotp.TOTP(secret).now()}
    )
    assert signed_in.status_code == 303


async def test_an_administrator_must_enrol_before_anything_else_when_required(trader_portal: Portal) -> None:
    held = await trader_portal.client.get("/portal/declarations")
    assert held.status_code == 303
    assert held.headers["location"] == "/portal/account#h-totp"
    account = await trader_portal.get("/account")
    assert account.status_code == 200
    assert "本平台要求您的角色启用两步登录" in account.text
    secret = await _enrol(trader_portal)
    await trader_portal.post("/account/totp/confirm", {"code": pyotp.TOTP(secret).now()})
    assert (await trader_portal.get("/declarations")).status_code == 200


async def test_a_declarant_is_not_held_to_enrolment(browser: Browser, platform: Platform) -> None:
    async with platform.sessions() as session:
        party = await identities.party_by_uscc(session, demo.DEMO_TRADER_USCC)
        assert party is not None
        await identity.add_user(session, party, "declarant-2", PASSWORD, ["declarant"])
        await session.commit()
    declarant = await browser()
    await declarant.login("declarant-2")
    assert (await declarant.get("/declarations")).status_code == 200
