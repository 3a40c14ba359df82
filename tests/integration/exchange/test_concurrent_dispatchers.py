"""Several dispatchers side by side deliver every message exactly once (PostgreSQL: SKIP LOCKED + leases)."""

import asyncio
from collections import Counter

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from sqlalchemy import func, select
from support.exchange import EXCHANGE, outbox
from support.network import InProcessNetwork

from singlewindow.app import Platform
from singlewindow.exchange import service as exchange
from singlewindow.exchange.dispatcher import Dispatcher
from singlewindow.exchange.models import OutboxMessage, OutboxStatus
from singlewindow.exchange.registry import AdapterRegistry
from singlewindow.kit.db import is_sqlite
from singlewindow.settings import Settings

MESSAGES = 200
DISPATCHERS = 3


class CountingReceiver:
    """A counterparty that counts every delivery by the platform's message id, slowly enough to overlap."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.app = FastAPI()

        @self.app.post("/messages")
        async def receive(request: Request) -> Response:
            await asyncio.sleep(0.002)
            self.received[request.headers["SW-Message-Id"]] += 1
            return Response(status_code=202)


@pytest.fixture
def receiver(network: InProcessNetwork, database_url: str) -> CountingReceiver:
    if is_sqlite(database_url):
        pytest.skip("SQLite has a single writer: dispatchers cannot claim side by side, so there is no race to test")
    counting = CountingReceiver()
    network.add_host("counter.test", counting.app)
    return counting


async def pending(platform: Platform) -> int:
    async with platform.sessions() as session:
        query = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        return await session.scalar(query) or 0


async def test_concurrent_dispatchers_deliver_every_message_exactly_once(
    receiver: CountingReceiver,
    client: httpx.AsyncClient,
    operator: dict[str, str],
    platform: Platform,
    settings: Settings,
) -> None:
    response = await client.put(
        f"{EXCHANGE}/counterparties/counter",
        json={"code": "counter", "name": "Counting receiver", "endpoint": "http://counter.test/messages"},
        headers=operator,
    )
    assert response.status_code == 200, response.text
    async with platform.sessions() as session:
        ids = await exchange.enqueue(
            session, [exchange.NewMessage("counter", "ping", {"n": n}) for n in range(MESSAGES)]
        )
        await session.commit()

    small_batches = settings.model_copy(update={"dispatch_batch_size": 7})
    claimed: Counter[int] = Counter()

    async def worker(number: int) -> None:
        """One worker process: its own adapter registry, claiming until nothing is left."""
        dispatcher = Dispatcher(platform.sessions, AdapterRegistry(platform.sessions, platform.client), small_batches)
        async with asyncio.timeout(30):
            while True:
                batch = await dispatcher.run_once()
                if batch:
                    claimed[number] += batch
                else:
                    if await pending(platform) == 0:
                        return
                    await asyncio.sleep(0.01)

    await asyncio.gather(*(worker(n) for n in range(DISPATCHERS)))

    assert set(receiver.received) == {str(i) for i in ids}
    assert [i for i, times in receiver.received.items() if times > 1] == []
    rows = await outbox(platform, destination="counter")
    assert len(rows) == MESSAGES
    assert {(r.status, r.attempts) for r in rows} == {(OutboxStatus.DELIVERED, 1)}
    assert sum(claimed.values()) == MESSAGES
    assert sorted(claimed) == list(range(DISPATCHERS)), f"a dispatcher never claimed anything: {claimed}"
