"""The per-process lookup cache: a change made here counts at once, one made by another node within the TTL.

"Another node" is played by SQL sent straight to the database on its own connection, which
this process's ORM never sees, exactly as it never sees another process's changes.
"""

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text
from support.clock import ManualClock, lookup_caches_on

from singlewindow import demo
from singlewindow.app import Platform
from singlewindow.identity import service as identity
from singlewindow.identity.models import CreditLevel

TTL = 3.0


@pytest.fixture
def clock(app: object) -> Iterator[ManualClock]:
    """The lookup caches on a clock that moves only when the test says (after the app set them up)."""
    clock = ManualClock()
    with lookup_caches_on(clock, TTL):
        yield clock


async def elsewhere(platform: Platform, sql: str, **params: object) -> None:
    async with platform.engine.begin() as connection:
        await connection.execute(text(sql), params)


async def me(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    return (await client.get("/api/v1/me", headers=headers)).status_code


async def test_signing_out_here_refuses_the_old_token_at_once(
    client: httpx.AsyncClient, trader: dict[str, str], clock: ManualClock
) -> None:
    assert await me(client, trader) == 200
    assert (await client.post("/api/v1/me/sessions/revoke", headers=trader)).status_code == 204
    assert await me(client, trader) == 401


async def test_a_revoked_api_key_is_refused_at_once(
    client: httpx.AsyncClient, trader: dict[str, str], clock: ManualClock
) -> None:
    created = (await client.post("/api/v1/api-keys", json={"name": "erp", "roles": ["viewer"]}, headers=trader)).json()
    key = {"X-API-Key": created["key"]}
    assert await me(client, key) == 200
    assert (await client.delete(f"/api/v1/api-keys/{created['id']}", headers=trader)).status_code == 200
    assert await me(client, key) == 401


async def test_a_revocation_made_by_another_node_counts_here_within_the_ttl(
    client: httpx.AsyncClient, platform: Platform, trader: dict[str, str], clock: ManualClock
) -> None:
    assert await me(client, trader) == 200
    await elsewhere(
        platform, "UPDATE users SET token_version = token_version + 1 WHERE username = :name", name=demo.DEMO_TRADER
    )
    clock.advance(TTL - 0.01)
    assert await me(client, trader) == 200, "still cached: the bound is the TTL, not zero"
    clock.advance(0.01)
    assert await me(client, trader) == 401


async def test_a_deactivation_made_by_another_node_counts_here_within_the_ttl(
    client: httpx.AsyncClient, platform: Platform, trader: dict[str, str], clock: ManualClock
) -> None:
    assert await me(client, trader) == 200
    await elsewhere(platform, "UPDATE users SET active = false WHERE username = :name", name=demo.DEMO_TRADER)
    clock.advance(TTL)
    assert await me(client, trader) == 401


async def test_a_credit_level_set_here_counts_at_once_and_one_set_elsewhere_within_the_ttl(
    client: httpx.AsyncClient, platform: Platform, agency: object, clock: ManualClock
) -> None:
    async def level() -> CreditLevel | None:
        async with platform.sessions() as session:
            trader = await identity.enterprise_by_uscc(session, demo.DEMO_TRADER_USCC)
            return await identity.credit_level_of(session, trader.id)

    assert await level() == CreditLevel.GENERAL
    customs = await agency("customs")  # type: ignore[operator]
    change = {"level": "aeo_advanced", "reason": "certified"}
    path = f"/api/v1/enterprises/{demo.DEMO_TRADER_USCC}/credit-level"
    assert (await client.put(path, json=change, headers=customs.headers)).status_code == 200
    assert await level() == CreditLevel.AEO_ADVANCED

    await elsewhere(
        platform, "UPDATE parties SET credit_level = 'untrustworthy' WHERE uscc = :uscc", uscc=demo.DEMO_TRADER_USCC
    )
    assert await level() == CreditLevel.AEO_ADVANCED
    clock.advance(TTL)
    assert await level() == CreditLevel.UNTRUSTWORTHY
