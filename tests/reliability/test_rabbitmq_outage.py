"""RabbitMQ stopped under load: submissions go on, messages wait in the outbox, and flow when it returns.

Real ``singlewindow serve`` and ``singlewindow worker`` (``SW_EXCHANGE_BACKEND=rabbitmq``); the
broker's application is stopped with ``rabbitmqctl stop_app`` and always started again.
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
from support.rabbitmq import broker_stopped, deployment

from singlewindow.exchange.models import OutboxMessage

pytestmark = pytest.mark.reliability
BEFORE, DURING = 20, 20
CONCURRENT_CLIENTS = 6


async def outbox_states(deployed: Any) -> Counter[str]:
    async with deployed.stack.sessions() as session:
        return Counter(s.value for s in await session.scalars(select(OutboxMessage.status)))


async def test_messages_wait_in_the_outbox_while_rabbitmq_is_down(database_url: str, tmp_path: Any) -> None:
    async with asyncio.timeout(150), deployment(database_url, tmp_path) as deployed:
        client = httpx.AsyncClient(base_url=deployed.apis[0].base_url, timeout=15)
        trader = await deployed.stack.trader(client)
        slots = asyncio.Semaphore(CONCURRENT_CLIENTS)

        async def submit(document: dict[str, Any]) -> uuid.UUID:
            async with slots:
                response = await client.post(DECLARATIONS, json=document, headers=trader)
                assert response.status_code == 201, response.text
                return uuid.UUID(response.json()["id"])

        batches = documents(BEFORE + DURING)
        accepted = set(await asyncio.gather(*(submit(d) for d in batches[:BEFORE])))

        async def some_delivered() -> bool:
            return (await outbox_states(deployed))["delivered"] > 0

        await eventually(some_delivered, within=30, what="deliveries under way before the outage")
        async with broker_stopped():
            accepted |= set(await asyncio.gather(*(submit(d) for d in batches[BEFORE:])))
            await asyncio.sleep(1.0)  # the relay has tried, and failed, to publish them
            stuck = await outbox_states(deployed)
            assert stuck["pending"] >= 2 * DURING, f"the new messages wait in the outbox: {stuck}"
        await eventually(deployed.stack.all_released, within=60, every=0.25, what="every declaration released")
        await client.aclose()

        assert len(accepted) == BEFORE + DURING
        assert set(await deployed.stack.statuses()) == accepted
        assert set((await outbox_states(deployed)).elements()) == {"delivered"}
        assert all(node.running for node in [*deployed.apis, *deployed.workers]), "no process died of the outage"
