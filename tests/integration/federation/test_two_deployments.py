"""Register once, use everywhere: two deployments side by side on loopback, each with its own
database and signing key. B trusts A; A does not trust B."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from support.processes import ApiServer, eventually, free_port, platform_env

from singlewindow.demo import DEMO_TRADER, DEMO_TRADER_USCC

PASSWORD = "federation demo passphrase"
NEW_USCC = "9144030071526726XG"
CACHE_SECONDS = 1.0


@dataclass
class Deployment:
    server: ApiServer
    client: httpx.AsyncClient

    @property
    def issuer(self) -> str:
        return self.server.base_url

    async def token(self, username: str, password: str = PASSWORD) -> str:
        response = await self.client.post("/api/v1/auth/token", data={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    async def me(self, token: str) -> httpx.Response:
        return await self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def deployment(name: str, root: Path, port: int, trusted: dict[str, str]) -> ApiServer:
    data = root / name
    data.mkdir()
    env = platform_env(
        f"sqlite+aiosqlite:///{data / 'singlewindow.db'}",
        f"http://127.0.0.1:{port}",
        SW_DATA_DIR=str(data),
        SW_DEMO_PASSWORD=PASSWORD,
        SW_TRUSTED_ISSUERS=json.dumps(trusted),
        SW_FEDERATION_CACHE_SECONDS=str(CACHE_SECONDS),
    )
    args = ["demo", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data)]
    return ApiServer(name, args, env, root / f"{name}.log", port=port)


@pytest.fixture(scope="module")
async def pair(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Deployment, Deployment]]:
    """Started once for the module: each start migrates, seeds and hashes passwords (seconds, not millis)."""
    tmp_path = tmp_path_factory.mktemp("federation")
    port_a, port_b = free_port(), free_port()
    a_url = f"http://127.0.0.1:{port_a}"
    servers = [
        deployment("a", tmp_path, port_a, {}),
        deployment("b", tmp_path, port_b, {a_url: f"{a_url}/.well-known/jwks.json"}),
    ]
    clients = [httpx.AsyncClient(base_url=s.base_url, timeout=10) for s in servers]
    try:
        await asyncio.gather(*(server.start() for server in servers))
        yield Deployment(servers[0], clients[0]), Deployment(servers[1], clients[1])
    finally:
        for client in clients:
            await client.aclose()
        for server in servers:
            await server.stop()


async def test_a_user_registered_at_a_signs_in_at_b_without_registering_again(
    pair: tuple[Deployment, Deployment],
) -> None:
    a, b = pair
    keys_a = (await a.client.get("/.well-known/jwks.json")).json()["keys"]
    keys_b = (await b.client.get("/.well-known/jwks.json")).json()["keys"]
    assert (keys_a[0]["kty"], keys_a[0]["crv"], keys_a[0]["alg"]) == ("OKP", "Ed25519", "EdDSA")
    assert keys_a[0]["kid"] != keys_b[0]["kid"]

    registered = await a.client.post(
        "/api/v1/enterprises",
        json={
            "name": "宁波样例贸易有限公司 Ningbo Sample Trading Co., Ltd.",
            "uscc": NEW_USCC,
            "roles": ["importer"],
            "admin": {"username": "ningbo-admin", "password": PASSWORD},
        },
    )
    assert registered.status_code == 201
    token = await a.token("ningbo-admin")
    at_b = await b.me(token)
    assert at_b.status_code == 200, at_b.text
    assert at_b.json()["party"]["uscc"] == NEW_USCC
    assert at_b.json()["issuer"] == a.issuer
    assert at_b.json()["roles"] == ["admin", "declarant"]
    assert (
        await b.client.post("/api/v1/auth/token", data={"username": "ningbo-admin", "password": PASSWORD})
    ).status_code == 401

    trader_from_a = await a.token(DEMO_TRADER)
    trader_at_b = (await b.me(trader_from_a)).json()
    local = (await b.me(await b.token(DEMO_TRADER))).json()
    assert trader_at_b["party"]["id"] == local["party"]["id"]
    assert trader_at_b["party"]["uscc"] == DEMO_TRADER_USCC

    refused = await a.me(await b.token(DEMO_TRADER))
    assert refused.status_code == 401
    assert "not trusted" in refused.json()["detail"]


async def test_revocation_at_a_takes_effect_at_b_within_the_cache_bound(
    pair: tuple[Deployment, Deployment],
) -> None:
    a, b = pair
    token = await a.token(DEMO_TRADER)
    assert (await b.me(token)).status_code == 200
    revoked = await a.client.post("/api/v1/me/sessions/revoke", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 204
    assert (await a.me(token)).status_code == 401

    async def refused_at_b() -> bool:
        return (await b.me(token)).status_code == 401

    await eventually(refused_at_b, within=CACHE_SECONDS + 10, what="B refuses the token A revoked")
    assert "revoked at the deployment that issued it" in (await b.me(token)).json()["detail"]
    assert (await b.me(await a.token(DEMO_TRADER))).status_code == 200
