"""Registering an enterprise, signing in, API keys for machine clients."""

import httpx
import pytest
from support.documents import import_declaration

from singlewindow.demo import DEMO_TRADER

PASSWORD = "another long password"


def registration(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "宁波样例贸易有限公司 Ningbo Sample Trading Co., Ltd.",
        "uscc": "9144030071526726XG",
        "customs_code": "3302A12345",
        "address": "宁波市北仑区 Beilun, Ningbo",
        "roles": ["importer", "exporter"],
        "admin": {"username": "ningbo-admin", "password": PASSWORD},
    }
    body.update(changes)
    return body


async def test_register_then_sign_in_and_see_oneself(client: httpx.AsyncClient) -> None:
    created = await client.post("/api/v1/enterprises", json=registration())
    assert created.status_code == 201, created.text
    assert created.json()["uscc"] == "9144030071526726XG"
    token = await client.post("/api/v1/auth/token", data={"username": "ningbo-admin", "password": PASSWORD})
    assert token.status_code == 200
    assert token.json()["token_type"] == "bearer"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert me.json()["party"]["name"].startswith("宁波样例")
    assert me.json()["roles"] == ["admin", "declarant"]


@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        ("9144030071526726XA", "check character is 'A', expected 'G'"),
        ("91440300715267", "must be 18 characters"),
        ("9144030071526726IO", "outside GB 32100-2015: IO"),
    ],
)
async def test_an_invalid_credit_code_is_refused_with_the_reason(
    client: httpx.AsyncClient, uscc: str, message: str
) -> None:
    response = await client.post("/api/v1/enterprises", json=registration(uscc=uscc))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["loc"] == "$.uscc"
    assert message in errors[0]["msg"]


async def test_a_duplicate_credit_code_is_refused(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/v1/enterprises", json=registration())).status_code == 201
    again = await client.post(
        "/api/v1/enterprises", json=registration(admin={"username": "someone-else", "password": PASSWORD})
    )
    assert again.status_code == 409
    assert "already registered" in again.json()["detail"]


async def test_a_wrong_password_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/token", data={"username": DEMO_TRADER, "password": "wrong password"})
    assert response.status_code == 401
    unknown = await client.post("/api/v1/auth/token", data={"username": "nobody", "password": "wrong password"})
    assert unknown.status_code == 401


async def test_an_api_key_declares_until_revoked(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    created = await client.post("/api/v1/api-keys", json={"name": "ERP system"}, headers=trader)
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("sw_")
    listed = (await client.get("/api/v1/api-keys", headers=trader)).json()
    assert [k["name"] for k in listed] == ["ERP system"]
    assert "key" not in listed[0]
    machine = {"X-API-Key": key}
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=machine)).status_code == 201
    revoked = await client.delete(f"/api/v1/api-keys/{created.json()['id']}", headers=trader)
    assert revoked.json()["revoked_at"] is not None
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=machine)).status_code == 401


async def test_only_an_administrator_creates_api_keys(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    viewer_key = await client.post("/api/v1/api-keys", json={"name": "viewer", "roles": ["viewer"]}, headers=trader)
    viewer = {"X-API-Key": viewer_key.json()["key"]}
    assert (await client.post("/api/v1/api-keys", json={"name": "x"}, headers=viewer)).status_code == 403
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=viewer)).status_code == 403
