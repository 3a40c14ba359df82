"""The RabbitMQ backend in one process: relay, quorum queues, consumers, on both databases.

Real RabbitMQ (127.0.0.1:5672), real adapters, simulated agencies on the in-process network.
"""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from support.documents import import_declaration
from support.exchange import fetch, outbox, submit
from support.processes import eventually
from support.rabbitmq import delete_queues, purge_queues, queued, require_broker, unique_prefix

from singlewindow.app import Platform
from singlewindow.exchange.brokers.rabbitmq import Consumer, Relay
from singlewindow.exchange.models import OutboxStatus
from singlewindow.exchange.ports import Adapter, Outbound
from singlewindow.exchange.registry import AdapterRegistry
from singlewindow.settings import Settings
from singlewindow.simulators.models import SimulatorReceived
from singlewindow.simulators.worker import ReplySender

SHARDS = 2
Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


@pytest.fixture
async def settings(settings: Settings) -> AsyncIterator[Settings]:
    await require_broker()
    prefix = unique_prefix()
    yield settings.model_copy(
        update={
            "exchange_backend": "rabbitmq",
            "rabbitmq_queue_prefix": prefix,
            "rabbitmq_shards": SHARDS,
            "dispatch_poll_seconds": 0.02,
        }
    )
    await delete_queues(prefix, SHARDS)


class CountingRegistry(AdapterRegistry):
    """The platform's adapters, counting deliveries per message; ``die_after`` simulates a crash before the ack.

    The crash follows a delivery to a simulated agency: the treasury is in process, so its
    messages never reach the simulators' tables the test reads.
    """

    def __init__(self, registry: AdapterRegistry, deliveries: Counter[uuid.UUID]) -> None:
        self._inner = registry
        self.deliveries = deliveries
        self.die_after: Callable[[Outbound], None] | None = None
        self.on_delivered: Callable[[uuid.UUID], None] = lambda _: None

    async def resolve(self, destination: str) -> Adapter | None:
        adapter = await self._inner.resolve(destination)
        return None if adapter is None else _Counting(adapter, self)


class _Counting:
    def __init__(self, adapter: Adapter, registry: CountingRegistry) -> None:
        self._adapter = adapter
        self._registry = registry

    async def deliver(self, message: Outbound) -> None:
        await self._adapter.deliver(message)
        self._registry.deliveries[message.message_id] += 1
        self._registry.on_delivered(message.message_id)
        if self._registry.die_after is not None and message.destination != "treasury":
            die, self._registry.die_after = self._registry.die_after, None
            die(message)
            raise asyncio.CancelledError  # the process is gone: no outcome recorded, no ack sent


class Running:
    """Background loops a test starts and stops."""

    def __init__(self) -> None:
        self.stop = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    def start(self, loop: Loop) -> "asyncio.Task[None]":
        task = asyncio.create_task(loop(self.stop))
        self.tasks.append(task)
        return task

    async def close(self) -> None:
        self.stop.set()
        await asyncio.gather(*self.tasks, return_exceptions=True)


@pytest.fixture
async def running() -> AsyncIterator[Running]:
    loops = Running()
    yield loops
    await loops.close()


def replies(platform: Platform) -> Loop:
    sender = ReplySender(platform.sessions, platform.client, platform.settings.public_url)
    return lambda stop: sender.run(stop, 0.02)


async def all_relayed(platform: Platform, count: int) -> bool:
    statuses = [r.status for r in await outbox(platform)]
    return len(statuses) == count and set(statuses) == {OutboxStatus.RELAYED}


async def all_delivered(platform: Platform, subject_id: str) -> bool:
    """The agencies' answers can overtake the relay's and the consumer's marks: the release comes first."""
    return {r.status for r in await outbox(platform, subject_id=subject_id)} == {OutboxStatus.DELIVERED}


async def released(client: httpx.AsyncClient, trader: dict[str, str], declaration_id: str) -> bool:
    status: str = (await fetch(client, trader, declaration_id))["status"]
    return status == "released"


async def test_a_declaration_is_released_through_rabbitmq(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, running: Running
) -> None:
    created = await submit(client, trader, import_declaration())
    running.start(Relay(platform.sessions, platform.settings).run)
    running.start(Consumer(platform.sessions, platform.registry, platform.settings).run)
    running.start(replies(platform))

    await eventually(lambda: released(client, trader, created["id"]), within=20, what="released via RabbitMQ")
    await eventually(lambda: all_delivered(platform, created["id"]), within=20, what="every outbox row delivered")

    rows = await outbox(platform, subject_id=created["id"])
    assert {r.destination: (r.status, r.attempts) for r in rows} == {
        "customs": (OutboxStatus.DELIVERED, 1),
        "maritime": (OutboxStatus.DELIVERED, 1),
        "treasury": (OutboxStatus.DELIVERED, 1),
    }
    assert await queued(platform.settings.rabbitmq_queue_prefix, SHARDS) == 0


async def test_without_a_consumer_relayed_messages_wait_in_the_quorum_queue(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, running: Running
) -> None:
    created = await submit(client, trader, import_declaration())
    relay = running.start(Relay(platform.sessions, platform.settings).run)

    async def relayed() -> bool:
        rows = await outbox(platform, subject_id=created["id"])
        return {r.status for r in rows} == {OutboxStatus.RELAYED}

    await eventually(relayed, within=10, what="the three messages confirmed by the broker")
    relay.cancel()
    assert await queued(platform.settings.rabbitmq_queue_prefix, SHARDS) == 3  # customs, maritime, treasury

    running.start(Consumer(platform.sessions, platform.registry, platform.settings).run)
    running.start(replies(platform))
    await eventually(lambda: released(client, trader, created["id"]), within=20, what="released once consumed")


async def test_a_consumer_killed_before_its_ack_gets_the_message_again_and_it_is_applied_once(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, running: Running
) -> None:
    deliveries: Counter[uuid.UUID] = Counter()
    dying = CountingRegistry(platform.registry, deliveries)
    killed: list[uuid.UUID] = []
    doomed = running.start(Consumer(platform.sessions, dying, platform.settings).run)

    def die(message: Outbound) -> None:
        killed.append(message.message_id)
        doomed.cancel()  # its connection closes with the message unacknowledged

    dying.die_after = die
    created = await submit(client, trader, import_declaration())
    running.start(Relay(platform.sessions, platform.settings).run)
    await eventually(lambda: asyncio.sleep(0, bool(killed)), within=10, what="the first consumer delivered and died")
    await asyncio.gather(doomed, return_exceptions=True)

    survivor = CountingRegistry(platform.registry, deliveries)
    running.start(Consumer(platform.sessions, survivor, platform.settings).run)
    running.start(replies(platform))
    await eventually(lambda: released(client, trader, created["id"]), within=20, what="released after the crash")

    # the agency may decide on the first copy before the second one arrives
    await eventually(
        lambda: all_delivered(platform, created["id"]), within=20, what="the redelivered message recorded as delivered"
    )
    assert deliveries[killed[0]] == 2, "the broker redelivered the unacknowledged message"
    async with platform.sessions() as session:
        at_agency = await session.scalar(
            select(func.count()).select_from(SimulatorReceived).where(SimulatorReceived.message_id == str(killed[0]))
        )
    assert at_agency == 1, "the receiver applied it once"
    rows = await outbox(platform, subject_id=created["id"])
    assert {r.status for r in rows} == {OutboxStatus.DELIVERED}


async def test_a_message_the_broker_lost_is_relayed_again(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, running: Running
) -> None:
    settings = platform.settings.model_copy(update={"relay_recheck_seconds": 0.5})
    created = await submit(client, trader, import_declaration())
    relay = running.start(Relay(platform.sessions, settings).run)

    async def relayed() -> bool:
        return {r.status for r in await outbox(platform, subject_id=created["id"])} == {OutboxStatus.RELAYED}

    await eventually(relayed, within=10, what="both messages confirmed by the broker")
    relay.cancel()
    await purge_queues(settings.rabbitmq_queue_prefix, SHARDS)  # as if the broker had lost them

    running.start(Relay(platform.sessions, settings).run)
    running.start(Consumer(platform.sessions, platform.registry, settings).run)
    running.start(replies(platform))
    await eventually(lambda: released(client, trader, created["id"]), within=20, what="released after a re-relay")


async def test_single_active_consumers_deliver_a_destination_in_relay_order(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, running: Running
) -> None:
    settings = platform.settings.model_copy(update={"rabbitmq_single_active_consumer": True, "rabbitmq_prefetch": 1})
    for n in range(6):
        await submit(client, trader, import_declaration(reference=f"ORDER-{n}"))
    relay = running.start(Relay(platform.sessions, settings).run)
    await eventually(lambda: all_relayed(platform, 18), within=10, what="every message in the queues")
    relay.cancel()
    deliveries: Counter[uuid.UUID] = Counter()
    order: list[uuid.UUID] = []
    recording = CountingRegistry(platform.registry, deliveries)
    recording.on_delivered = order.append
    for _ in range(2):  # two consumers; one is active per shard, the other waits
        running.start(Consumer(platform.sessions, recording, settings).run)
    await eventually(lambda: asyncio.sleep(0, len(order) == 18), within=20, what="every message delivered")

    rows = await outbox(platform)
    relayed_order = [r.id for r in sorted(rows, key=lambda r: r.id) if r.destination == "customs"]
    assert [m for m in order if m in set(relayed_order)] == relayed_order
