"""Idempotency-Key: a repeat returns the first result; a different body under one key is refused."""

import asyncio
from typing import Any

import httpx
from sqlalchemy import func, select
from support.documents import import_declaration

from singlewindow.app import Platform
from singlewindow.declarations.models import Declaration
from singlewindow.exchange.models import OutboxMessage

API = "/api/v1/declarations"


async def count(platform: Platform, model: Any) -> int:
    async with platform.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_the_same_key_replays_the_stored_response_once(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, run: Any
) -> None:
    headers = {**trader, "Idempotency-Key": "order-7731"}
    first = await client.post(API, json=import_declaration(), headers=headers)
    await run()  # the declaration moves on; the replay still shows what the first answer said
    second = await client.post(API, json=import_declaration(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert second.content == first.content
    assert second.headers["location"] == first.headers["location"]
    current = await client.get(f"{API}/{first.json()['id']}", headers=trader)
    assert current.json()["status"] != first.json()["status"]
    assert await count(platform, Declaration) == 1
    assert await count(platform, OutboxMessage) == 3  # customs, maritime, treasury


async def test_the_same_key_with_another_body_is_refused(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform
) -> None:
    headers = {**trader, "Idempotency-Key": "order-7732"}
    await client.post(API, json=import_declaration(), headers=headers)
    response = await client.post(API, json=import_declaration(reference="CHANGED"), headers=headers)
    assert response.status_code == 422
    assert "different body" in response.json()["detail"]
    assert await count(platform, Declaration) == 1


async def test_keys_are_per_enterprise(
    client: httpx.AsyncClient, trader: dict[str, str], other_trader: dict[str, str], platform: Platform
) -> None:
    a = await client.post(API, json=import_declaration(), headers={**trader, "Idempotency-Key": "k-1"})
    b = await client.post(API, json=import_declaration(), headers={**other_trader, "Idempotency-Key": "k-1"})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


async def test_concurrent_requests_with_one_key_make_one_declaration(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform
) -> None:
    headers = {**trader, "Idempotency-Key": "race-1"}
    responses = await asyncio.gather(*(client.post(API, json=import_declaration(), headers=headers) for _ in range(4)))
    firsts = [r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers]
    assert len(firsts) == 1, "one request made the declaration; the others lost the race (409) or replayed it"
    assert {r.status_code for r in responses} <= {201, 409}
    assert {r.content for r in responses if r.status_code == 201} == {firsts[0].content}
    assert await count(platform, Declaration) == 1
