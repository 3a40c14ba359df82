"""Lockout, TOTP, the password policy, signing out everywhere and OAuth2 client credentials."""

import httpx
import pyotp
from argon2 import PasswordHasher
from support.accounts import sign_in
from support.documents import import_declaration

from singlewindow.app import Platform
from singlewindow.demo import DEMO_TRADER
from singlewindow.identity import repository as identities

PASSWORD = "correct horse battery"


def bearer(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        assert (await sign_in(client, DEMO_TRADER, "not the password")).status_code == 401
    locked = await sign_in(client, DEMO_TRADER, PASSWORD)
    assert locked.status_code == 401
    assert locked.json()["title"] == "Account locked"
    assert "locked until" in locked.json()["detail"]


async def test_a_success_resets_the_failure_count(client: httpx.AsyncClient) -> None:
    for _ in range(4):
        await sign_in(client, DEMO_TRADER, "not the password")
    bearer(await sign_in(client, DEMO_TRADER, PASSWORD))
    for _ in range(4):
        await sign_in(client, DEMO_TRADER, "not the password")
    bearer(await sign_in(client, DEMO_TRADER, PASSWORD))


async def test_a_hash_made_at_another_cost_is_upgraded_at_the_next_sign_in(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    costly = PasswordHasher(time_cost=2, memory_cost=16, parallelism=2).hash(PASSWORD)
    async with platform.sessions() as session:
        user = await identities.user_by_username(session, DEMO_TRADER)
        assert user is not None
        user.password_hash = costly
        await session.commit()
    bearer(await sign_in(client, DEMO_TRADER, PASSWORD))
    async with platform.sessions() as session:
        upgraded = await identities.user_by_username(session, DEMO_TRADER)
    assert upgraded is not None
    assert upgraded.password_hash != costly
    assert "m=8,t=1,p=1" in upgraded.password_hash, "rehashed at the deployment's cost"
    bearer(await sign_in(client, DEMO_TRADER, PASSWORD))


async def test_once_totp_is_enrolled_sign_in_needs_the_code(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    enrolment = await client.post("/api/v1/me/totp", headers=trader)
    assert enrolment.status_code == 200
    secret = enrolment.json()["secret"]
    assert enrolment.json()["otpauth_uri"].startswith("otpauth://totp/")
    wrong = await client.post("/api/v1/me/totp/confirm", json={"code": "000000"}, headers=trader)
    assert wrong.status_code == 401
    confirmed = await client.post("/api/v1/me/totp/confirm", json={"code": pyotp.TOTP(secret).now()}, headers=trader)
    assert confirmed.json()["totp_enabled"] is True

    without = await sign_in(client, DEMO_TRADER, PASSWORD)
    assert without.status_code == 401
    assert "one-time code" in without.json()["detail"]
    bearer(await sign_in(client, DEMO_TRADER, PASSWORD, otp=pyotp.TOTP(secret).now()))


async def test_common_and_short_passwords_are_refused_at_registration(client: httpx.AsyncClient) -> None:
    body = {
        "name": "宁波样例贸易有限公司",
        "uscc": "9144030071526726XG",
        "roles": ["importer"],
        "admin": {"username": "ningbo-admin", "password": "Password123"},
    }
    common = await client.post("/api/v1/enterprises", json=body)
    assert common.status_code == 422
    assert common.json()["errors"][0]["loc"] == "$.admin.password"
    assert "commonly used" in common.json()["errors"][0]["msg"]
    body["admin"] = {"username": "ningbo-admin", "password": "short"}
    assert (await client.post("/api/v1/enterprises", json=body)).status_code == 422
    body["admin"] = {"username": "ningbo-admin", "password": "x" * 64 + " a passphrase without classes"}
    assert (await client.post("/api/v1/enterprises", json=body)).status_code == 201


async def test_signing_out_everywhere_revokes_every_earlier_token(client: httpx.AsyncClient) -> None:
    first, second = (
        bearer(await sign_in(client, DEMO_TRADER, PASSWORD)),
        bearer(await sign_in(client, DEMO_TRADER, PASSWORD)),
    )
    assert (await client.post("/api/v1/me/sessions/revoke", headers=first)).status_code == 204
    for old in (first, second):
        refused = await client.get("/api/v1/me", headers=old)
        assert refused.status_code == 401
        assert "revoked" in refused.json()["detail"]
    fresh = bearer(await sign_in(client, DEMO_TRADER, PASSWORD))
    assert (await client.get("/api/v1/me", headers=fresh)).status_code == 200


async def test_an_administrator_adds_a_viewer_and_can_revoke_their_sessions(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    created = await client.post(
        "/api/v1/users", json={"username": "demo-viewer", "password": PASSWORD, "roles": ["viewer"]}, headers=trader
    )
    assert created.status_code == 201, created.text
    viewer = bearer(await sign_in(client, "demo-viewer", PASSWORD))
    me = (await client.get("/api/v1/me", headers=viewer)).json()
    assert "declaration:read" in me["permissions"]
    assert "declaration:submit" not in me["permissions"]
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=viewer)).status_code == 403
    revoked = await client.post(f"/api/v1/users/{created.json()['id']}/sessions/revoke", headers=trader)
    assert revoked.status_code == 200
    assert (await client.get("/api/v1/me", headers=viewer)).status_code == 401


async def test_client_credentials_give_a_token_narrowed_to_its_scopes(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    created = (await client.post("/api/v1/api-keys", json={"name": "ERP"}, headers=trader)).json()
    form = {"grant_type": "client_credentials", "client_id": created["id"], "client_secret": created["key"]}
    narrowed = await client.post("/api/v1/auth/token", data={**form, "scope": "declaration:read"})
    assert narrowed.json()["scope"] == "declaration:read"
    reader = bearer(narrowed)
    assert (await client.get("/api/v1/declarations", headers=reader)).status_code == 200
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=reader)).status_code == 403

    beyond = await client.post("/api/v1/auth/token", data={**form, "scope": "routing:manage"})
    assert beyond.status_code == 403
    wrong_id = await client.post("/api/v1/auth/token", data={**form, "client_id": trader["Authorization"][-36:]})
    assert wrong_id.status_code == 401

    full = bearer(await client.post("/api/v1/auth/token", data=form))
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=full)).status_code == 201
    assert (await client.delete(f"/api/v1/api-keys/{created['id']}", headers=trader)).status_code == 200
    assert (await client.get("/api/v1/declarations", headers=full)).status_code == 401
