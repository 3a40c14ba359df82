"""With SW_TOTP_REQUIRED, an administrator without a second factor may only enrol one."""

import httpx
import pyotp
import pytest
from support.accounts import sign_in
from support.documents import import_declaration

from singlewindow.demo import DEMO_TRADER
from singlewindow.settings import Settings

PASSWORD = "correct horse battery"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"totp_required": True})


async def test_an_unenrolled_administrator_gets_a_token_that_can_only_enrol(client: httpx.AsyncClient) -> None:
    limited = await sign_in(client, DEMO_TRADER, PASSWORD)
    assert limited.json()["scope"] == "profile:read account:manage"
    headers = {"Authorization": f"Bearer {limited.json()['access_token']}"}
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=headers)).status_code == 403

    secret = (await client.post("/api/v1/me/totp", headers=headers)).json()["secret"]
    code = pyotp.TOTP(secret).now()
    assert (await client.post("/api/v1/me/totp/confirm", json={"code": code}, headers=headers)).status_code == 200

    full = await sign_in(client, DEMO_TRADER, PASSWORD, otp=pyotp.TOTP(secret).now())
    assert full.json()["scope"] is None
    headers = {"Authorization": f"Bearer {full.json()['access_token']}"}
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=headers)).status_code == 201
