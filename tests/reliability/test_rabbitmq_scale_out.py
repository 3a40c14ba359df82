"""Two API nodes and two workers on PostgreSQL and RabbitMQ: every message delivered once, none lost.

Real ``singlewindow serve`` × 2 and ``singlewindow worker`` × 2 (relay + consumer each) with
``SW_EXCHANGE_BACKEND=rabbitmq``; clients submit to both nodes; a webhook receiver on a real
port counts each status notification it gets, so a duplicate or a gap would show.
"""

import asyncio
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from support.deployment import DECLARATIONS, Stack, documents
from support.processes import eventually
from support.rabbitmq import deployment
from support.receiver import CountingReceiver

from singlewindow.exchange.models import InboxMessage, OutboxMessage, OutboxStatus
from singlewindow.simulators.models import SimulatorReceived, SimulatorReply

pytestmark = pytest.mark.reliability
DECLARATION_COUNT = 80
CONCURRENT_CLIENTS = 8
RETRIES = 4


async def replies_sent(stack: Stack) -> bool:
    async with stack.sessions() as session:
        unsent = select(func.count()).select_from(SimulatorReply).where(SimulatorReply.sent.is_(False))
        return await session.scalar(unsent) == 0


async def outbox_delivered(stack: Stack) -> bool:
    """A consumer marks its message delivered after the agency answered: the answer can overtake the mark."""
    async with stack.sessions() as session:
        pending = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != OutboxStatus.DELIVERED)
        return await session.scalar(pending) == 0


async def assert_delivered_once(stack: Stack, accepted: set[uuid.UUID]) -> None:
    """Every accepted declaration stored and released; every message delivered; each agency got its own."""
    statuses = await stack.statuses()
    assert accepted == set(statuses)
    assert Counter(statuses.values()) == {"released": len(accepted)}
    async with stack.sessions() as session:
        outbox = (
            await session.execute(select(OutboxMessage.id, OutboxMessage.destination, OutboxMessage.status))
        ).all()
        received = dict((await session.execute(select(SimulatorReceived.message_id, SimulatorReceived.agency))).all())
        replies = set(await session.scalars(select(SimulatorReply.id)))
        applied = set(await session.scalars(select(InboxMessage.sender_message_id)))
    assert {status for _, _, status in outbox} == {OutboxStatus.DELIVERED}
    simulated = {str(m): d for m, d, _ in outbox if not d.startswith("webhook:") and d != "treasury"}
    assert received == simulated  # the treasury is in process: it is no simulated agency
    assert replies == {m for m in applied if not m.startswith("treasury:")}


async def test_two_api_nodes_and_two_workers_deliver_everything_once(database_url: str, tmp_path: Path) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several machines share PostgreSQL; SQLite is the one-machine deployment")
    receiver = CountingReceiver()
    async with (
        asyncio.timeout(180),
        receiver.serving(),
        deployment(database_url, tmp_path, api_nodes=2, workers=2) as deployed,
    ):
        clients = [httpx.AsyncClient(base_url=api.base_url, timeout=15) for api in deployed.apis]
        trader = await deployed.stack.trader(clients[0])
        hook = await clients[1].post("/api/v1/webhooks", json={"url": receiver.url}, headers=trader)
        assert hook.status_code == 201, hook.text
        slots = asyncio.Semaphore(CONCURRENT_CLIENTS)

        async def submit(n: int, document: dict[str, object]) -> uuid.UUID:
            """As a careful client does: a timed-out request is sent again under its Idempotency-Key."""
            headers = {**trader, "Idempotency-Key": f"scale-out-{n}"}
            async with slots:
                for _ in range(RETRIES):
                    try:
                        response = await clients[n % 2].post(DECLARATIONS, json=document, headers=headers)
                    except httpx.TimeoutException:
                        continue
                    if response.status_code == 409:  # the first attempt is still being processed
                        await asyncio.sleep(1)
                        continue
                    assert response.status_code == 201, response.text
                    return uuid.UUID(response.json()["id"])
                raise AssertionError(f"declaration {n} not accepted in {RETRIES} attempts")

        accepted = set(await asyncio.gather(*(submit(n, d) for n, d in enumerate(documents(DECLARATION_COUNT)))))
        assert len(accepted) == DECLARATION_COUNT

        await eventually(deployed.stack.all_released, within=60, every=0.25, what="every declaration released")
        async with deployed.stack.sessions() as session:
            hooks = set(
                await session.scalars(select(OutboxMessage.id).where(OutboxMessage.destination.startswith("webhook:")))
            )

        async def every_notification_arrived() -> bool:
            return set(receiver.deliveries) == {str(h) for h in hooks}

        await eventually(every_notification_arrived, within=20, what="every webhook at the receiver")
        await eventually(lambda: replies_sent(deployed.stack), within=20, what="every agency answer sent")
        await eventually(lambda: outbox_delivered(deployed.stack), within=20, what="every outbox row delivered")
        for client in clients:
            await client.aclose()

        await assert_delivered_once(deployed.stack, accepted)
        assert len(hooks) >= DECLARATION_COUNT * 2, "at least in review and released for each"
        assert max(receiver.deliveries.values()) == 1, [m for m, n in receiver.deliveries.items() if n > 1]
        assert all(node.running for node in [*deployed.apis, *deployed.workers]), "no node crashed on the way"
