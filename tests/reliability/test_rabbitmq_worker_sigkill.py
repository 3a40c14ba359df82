"""A RabbitMQ worker killed with deliveries unacknowledged: the broker gives them again, each is applied once.

Real ``singlewindow serve`` and ``singlewindow worker`` (``SW_EXCHANGE_BACKEND=rabbitmq``). The
worker's consumer holds up to its prefetch of messages unacknowledged while it delivers them;
SIGKILL closes its connection, so RabbitMQ puts those messages back on their quorum queues
and the restarted worker delivers them again. The simulated agencies keep each message id
once, and each of their answers is applied once.
"""

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from support.deployment import DECLARATIONS, documents
from support.processes import eventually
from support.rabbitmq import deployment

from singlewindow.exchange.models import OutboxMessage

pytestmark = pytest.mark.reliability
DECLARATIONS_WHILE_THE_WORKER_DIES = 40
CONCURRENT_CLIENTS = 6


async def outbox_states(deployed: Any) -> Counter[str]:
    async with deployed.stack.sessions() as session:
        return Counter(s.value for s in await session.scalars(select(OutboxMessage.status)))


async def test_a_worker_killed_before_its_acks_loses_nothing_and_applies_once(database_url: str, tmp_path: Any) -> None:
    async with asyncio.timeout(150), deployment(database_url, tmp_path) as deployed:
        client = httpx.AsyncClient(base_url=deployed.apis[0].base_url, timeout=15)
        trader = await deployed.stack.trader(client)
        slots = asyncio.Semaphore(CONCURRENT_CLIENTS)

        async def submit(document: dict[str, Any]) -> uuid.UUID:
            async with slots:
                response = await client.post(DECLARATIONS, json=document, headers=trader)
                assert response.status_code == 201, response.text
                return uuid.UUID(response.json()["id"])

        submitting = asyncio.gather(*(submit(d) for d in documents(DECLARATIONS_WHILE_THE_WORKER_DIES)))

        async def some_delivered_some_still_with_the_broker() -> bool:
            states = await outbox_states(deployed)
            return states["delivered"] > 0 and states["relayed"] > 0

        await eventually(some_delivered_some_still_with_the_broker, within=40, every=0.02, what="deliveries under way")
        worker = deployed.workers[0]
        await worker.sigkill()
        at_kill = await outbox_states(deployed)
        await worker.start()
        accepted = set(await submitting)
        await client.aclose()

        assert at_kill["relayed"] > 0, f"the worker died with nothing left at the broker: {at_kill}"
        await deployed.stack.until_settled(within=90)
        assert worker.starts == 2
        await deployed.stack.assert_nothing_lost(accepted)
