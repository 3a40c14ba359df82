"""``singlewindow identity`` and ``singlewindow qualifications`` against the test database."""

import json
from typing import Any

import httpx
from support.accounts import sign_in

from singlewindow.demo import DEMO_TRADER, DEMO_TRADER_USCC

PASSWORD = "correct horse battery"


async def test_jwks_is_what_the_deployment_publishes(cli: Any, client: httpx.AsyncClient) -> None:
    printed = json.loads((await cli("identity", "jwks")).output)
    assert printed == (await client.get("/.well-known/jwks.json")).json()


async def test_unlock_lifts_a_lockout(cli: Any, client: httpx.AsyncClient) -> None:
    for _ in range(5):
        await sign_in(client, DEMO_TRADER, "not the password")
    assert (await sign_in(client, DEMO_TRADER, PASSWORD)).status_code == 401
    assert "unlocked demo-trader" in (await cli("identity", "unlock", DEMO_TRADER)).output
    assert (await sign_in(client, DEMO_TRADER, PASSWORD)).status_code == 200


async def test_revoke_sessions_ends_every_token(cli: Any, client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    await cli("identity", "revoke-sessions", DEMO_TRADER)
    assert (await client.get("/api/v1/me", headers=trader)).status_code == 401


async def test_the_mail_log_shows_the_verification_mail(cli: Any, client: httpx.AsyncClient) -> None:
    body = {
        "name": "宁波样例贸易有限公司",
        "uscc": "9144030071526726XG",
        "contact_email": "trade@example.cn",
        "roles": ["importer"],
        "admin": {"username": "ningbo-admin", "password": PASSWORD},
    }
    assert (await client.post("/api/v1/enterprises", json=body)).status_code == 201
    output = (await cli("identity", "mail", "--to", "trade@example.cn")).output
    assert "to trade@example.cn" in output
    assert "token: " in output


async def test_qualifications_list_and_grant(cli: Any, client: httpx.AsyncClient) -> None:
    assert "customs_registration" in (await cli("qualifications", "list", DEMO_TRADER_USCC)).output
    await cli("qualifications", "grant", DEMO_TRADER_USCC, "carrier_agent")
    listed = (await cli("qualifications", "list", DEMO_TRADER_USCC)).output
    assert "carrier_agent" in listed
    assert listed.count("granted") == 2
