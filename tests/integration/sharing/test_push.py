"""Push delivery: each released record goes once, projected, through the exchange to the subscriber agency."""

from typing import Any

import httpx
from sqlalchemy import func, select
from support.sharing import API, CREDIT, Share

from singlewindow.app import Platform
from singlewindow.demo import DEMO_TRADER_USCC
from singlewindow.exchange.models import OutboxMessage, OutboxStatus
from singlewindow.sharing import feed
from singlewindow.sharing.models import SharedRecord
from singlewindow.simulators.models import SimulatorReceived


async def pushed_to(platform: Platform, agency: str) -> list[dict[str, Any]]:
    async with platform.sessions() as session:
        rows = await session.scalars(
            select(SimulatorReceived)
            .where(SimulatorReceived.agency == agency, SimulatorReceived.kind == feed.SHARED_RECORD)
            .order_by(SimulatorReceived.received_at)
        )
        return [row.body for row in rows]


async def test_a_released_record_is_pushed_once_with_only_the_granted_fields(
    client: httpx.AsyncClient, agency: Any, share: Share, released: Any, platform: Platform, run: Any
) -> None:
    grant = await share(elements=["SW0007", "SW0018"], push=True)
    assert grant["push"] is True
    await released()

    messages = await pushed_to(platform, "inspection_quarantine")
    assert len(messages) == 1
    payload = messages[0]["payload"]
    assert (payload["data_class"], payload["grant_id"]) == ("customs.released-cargo", grant["id"])
    assert payload["record"]["data"] == {"trade_mode": "0110", "goods": [{"hs_code": "847130"}, {"hs_code": "610910"}]}
    assert await pushed_to(platform, "commerce") == []

    async with platform.sessions() as session:
        record = await session.scalar(select(SharedRecord))
        assert record is not None
        await feed.push(session, record)
        await session.commit()
        outbox = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == feed.SHARED_RECORD)
        )
        delivered = await session.scalar(select(OutboxMessage.status).where(OutboxMessage.kind == feed.SHARED_RECORD))
    assert (outbox, delivered) == (1, OutboxStatus.DELIVERED)
    await run()
    assert len(await pushed_to(platform, "inspection_quarantine")) == 1

    log = (await client.get(f"{API}/access-log", headers=(await agency("customs")).headers)).json()
    assert [(e["channel"], e["actor"], e["records"]) for e in log["items"]] == [("push", feed.PUSH_ACTOR, 1)]


async def test_nothing_is_pushed_after_the_grant_is_revoked_or_outside_its_filters(
    client: httpx.AsyncClient, agency: Any, share: Share, released: Any, platform: Platform
) -> None:
    grant = await share(elements=["SW0018"], push=True, filters={"trade_mode": ["1210"]})
    await released()
    assert await pushed_to(platform, "inspection_quarantine") == []
    await released(reference="DEMO-IMP-1210", trade_mode="1210")
    assert len(await pushed_to(platform, "inspection_quarantine")) == 1

    customs = await agency("customs")
    await client.post(f"{API}/grants/{grant['id']}/revoke", json={"reason": "ended"}, headers=customs.headers)
    await released(reference="DEMO-IMP-1210-B", trade_mode="1210")
    assert len(await pushed_to(platform, "inspection_quarantine")) == 1


async def test_credit_level_changes_are_pushed(
    client: httpx.AsyncClient, agency: Any, share: Share, platform: Platform, run: Any
) -> None:
    await share(body=CREDIT, elements=["SW0006", "SW0054"], push=True)
    path = f"/api/v1/enterprises/{DEMO_TRADER_USCC}/credit-level"
    customs = await agency("customs")
    await client.put(path, json={"level": "aeo_advanced", "reason": "certified"}, headers=customs.headers)
    await run()

    messages = await pushed_to(platform, "inspection_quarantine")
    assert [m["payload"]["record"]["data"] for m in messages] == [
        {"uscc": DEMO_TRADER_USCC, "credit_level": "aeo_advanced"}
    ]


async def test_push_is_granted_only_to_an_agency_connected_to_the_exchange(
    client: httpx.AsyncClient, agency: Any, share: Share, operator: dict[str, str]
) -> None:
    await share(elements=["SW0018"])
    quarantine, customs = await agency("inspection_quarantine"), await agency("customs")
    counterparty = f"/api/v1/exchange/counterparties/{quarantine.code}"
    current = (await client.get("/api/v1/exchange/counterparties", headers=operator)).json()
    switched_off = {**next(c for c in current if c["code"] == quarantine.code), "enabled": False}
    assert (await client.put(counterparty, json=switched_off, headers=operator)).status_code == 200
    asked = await client.post(
        f"{API}/data-classes/customs.released-cargo/requests",
        json={"purpose": "risk profiling", "elements": ["SW0018"], "push": True},
        headers=quarantine.headers,
    )
    refused = await client.post(
        f"{API}/requests/{asked.json()['id']}/grant",
        json={"elements": ["SW0018"], "expires_at": "2099-01-01T00:00:00Z"},
        headers=customs.headers,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == "$.push"
