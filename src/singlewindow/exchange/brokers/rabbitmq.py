"""The RabbitMQ backend: a relay from the outbox to quorum queues, and consumers that deliver.

Relay: claims due outbox rows (SKIP LOCKED, so relays on several machines share the work),
publishes each with its outbox id as ``message_id`` on a confirm channel, and marks the row
``relayed`` only after the broker's confirm. A relay that dies before that leaves the claim to
expire and the row is published again; the copy is harmless (see the consumer).

Consumer: for each message, asks the database whether it still needs delivery (a copy of a
delivered message is acked and dropped), delivers through the same adapters as the database
dispatcher, commits the outcome (delivered; retry, which puts the row back to pending with its
backoff, so the relay publishes it again when due; dead letter), and only then acks. A consumer
killed before its ack has its messages redelivered by the broker; the receiver's inbox keyed on
the message id makes the repeat change nothing.
"""

import asyncio
import contextlib
import dataclasses
import time
import uuid
from collections.abc import Sequence

import aio_pika
import structlog
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue, DeliveryMode
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from singlewindow.exchange import service
from singlewindow.exchange.brokers.topology import (
    MalformedMessage,
    headers_of,
    outbound_from,
    queue_arguments,
    queue_for,
    queue_names,
)
from singlewindow.exchange.dispatcher import deliver
from singlewindow.exchange.ports import Outbound
from singlewindow.exchange.registry import AdapterRegistry
from singlewindow.settings import Settings

log = structlog.get_logger(__name__)
RECONNECT_SECONDS = 1.0
CONNECT_TIMEOUT_SECONDS = 5.0


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def declare_queues(channel: AbstractChannel, settings: Settings) -> list[AbstractQueue]:
    """Declare every shard queue (idempotent: the same arguments each time)."""
    arguments = queue_arguments(settings)
    return [await channel.declare_queue(name, durable=True, arguments=arguments) for name in queue_names(settings)]


async def _connect(settings: Settings) -> aio_pika.abc.AbstractConnection:
    return await aio_pika.connect(settings.rabbitmq_url.get_secret_value(), timeout=CONNECT_TIMEOUT_SECONDS)


class Relay:
    """Moves due outbox rows into the broker; the outbox row stays the record of the message."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self._sessions = sessions
        self._settings = settings
        self._rechecked_at = float("-inf")

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until ``stop``; a broker or database outage pauses the loop, it never ends it."""
        while not stop.is_set():
            try:
                async with await _connect(self._settings) as connection:
                    channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
                    await declare_queues(channel, self._settings)
                    log.info("relay connected", queues=self._settings.rabbitmq_shards)
                    while not stop.is_set():
                        if await self.relay_once(channel) == 0:
                            await _pause(stop, self._settings.dispatch_poll_seconds)
            except Exception as exc:  # the loop outlives any outage; each is logged
                log.warning("relay paused", error=f"{type(exc).__name__}: {exc}"[:300])
                await _pause(stop, RECONNECT_SECONDS)

    async def relay_once(self, channel: AbstractChannel) -> int:
        """Publish one batch with confirms; returns how many rows were claimed."""
        await self._recheck()
        async with self._sessions() as session:
            batch = await service.claim_due(
                session,
                limit=self._settings.dispatch_batch_size,
                lease_seconds=self._settings.dispatch_lease_seconds,
                count_attempt=False,
            )
            await session.commit()
        if not batch:
            return 0
        results = await asyncio.gather(*(self._publish(channel, m) for m in batch), return_exceptions=True)
        confirmed = [m.message_id for m, r in zip(batch, results, strict=True) if r is None]
        refused = [m.message_id for m, r in zip(batch, results, strict=True) if r is not None]
        await self._record(confirmed, refused)
        failure = next((r for r in results if isinstance(r, BaseException)), None)
        if failure is not None:
            raise failure
        return len(batch)

    async def _publish(self, channel: AbstractChannel, message: Outbound) -> None:
        await channel.default_exchange.publish(
            aio_pika.Message(
                message.body,
                message_id=str(message.message_id),
                content_type=message.content_type,
                delivery_mode=DeliveryMode.PERSISTENT,
                type=message.kind,
                headers=headers_of(message),
            ),
            routing_key=queue_for(message.destination, self._settings),
            mandatory=True,
            timeout=self._settings.delivery_timeout_seconds,
        )

    async def _record(self, confirmed: Sequence[uuid.UUID], refused: Sequence[uuid.UUID]) -> None:
        async with self._sessions() as session:
            if confirmed:
                await service.mark_relayed(session, confirmed, recheck_seconds=self._settings.relay_recheck_seconds)
            if refused:
                await service.release(session, refused)
            await session.commit()

    async def _recheck(self) -> None:
        if time.monotonic() - self._rechecked_at < self._settings.relay_recheck_seconds / 4:
            return
        async with self._sessions() as session:
            stale = await service.reoffer_stale_relayed(session)
            await session.commit()
        if stale:
            log.warning("relayed messages never delivered; relaying again", count=stale)
        self._rechecked_at = time.monotonic()


class Consumer:
    """Takes messages from every shard queue, delivers them, commits the outcome, then acks."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], registry: AdapterRegistry, settings: Settings
    ) -> None:
        self._sessions = sessions
        self._registry = registry
        self._settings = settings

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop``; reconnects after a broker outage."""
        while not stop.is_set():
            try:
                await self._consume_until(stop)
            except Exception as exc:  # the loop outlives any outage; each is logged
                log.warning("consumer paused", error=f"{type(exc).__name__}: {exc}"[:300])
            await _pause(stop, RECONNECT_SECONDS)

    async def _consume_until(self, stop: asyncio.Event) -> None:
        """Consume on one connection until ``stop`` or until the connection is lost."""
        lost = asyncio.Event()
        async with await _connect(self._settings) as connection:
            connection.close_callbacks.add(lambda *_: lost.set())
            channel = await connection.channel(publisher_confirms=False)
            await channel.set_qos(prefetch_count=self._settings.rabbitmq_prefetch)
            for queue in await declare_queues(channel, self._settings):
                await queue.consume(self.handle)
            log.info("consumer connected", queues=self._settings.rabbitmq_shards)
            await _either(stop, lost)

    async def handle(self, incoming: AbstractIncomingMessage) -> None:
        try:
            message = outbound_from(
                incoming.message_id, dict(incoming.headers), incoming.content_type, incoming.body, attempt=0
            )
        except MalformedMessage as exc:
            log.error("dropping a message the relay did not write", error=str(exc))
            await incoming.reject(requeue=False)
            return
        try:
            await self._process(message)
        except (DBAPIError, OSError) as exc:
            log.error("consumer database error; message goes back to the queue", error=str(exc)[:300])
            await asyncio.sleep(RECONNECT_SECONDS)
            await incoming.nack(requeue=True)
            return
        await incoming.ack()

    async def _process(self, message: Outbound) -> None:
        """Deliver once more unless the outbox says it is done; commit the outcome before the ack."""
        async with self._sessions() as session:
            attempt = await service.next_attempt(session, message.message_id)
        if attempt is None:
            return
        message = dataclasses.replace(message, attempt=attempt)
        failure = await deliver(self._registry, message, self._settings.delivery_timeout_seconds)
        async with self._sessions() as session:
            if failure is None:
                await service.mark_delivered(session, message)
            else:
                await service.mark_failed(session, message, failure, self._settings)
            await session.commit()


async def _either(first: asyncio.Event, second: asyncio.Event) -> None:
    tasks = [asyncio.create_task(first.wait()), asyncio.create_task(second.wait())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
