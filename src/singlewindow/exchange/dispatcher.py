"""The dispatcher: claims due outbox messages, delivers them through adapters, records outcomes.

It runs inside the API process for the embedded demo and as ``singlewindow worker`` in
production; any number may run at once. Delivery happens outside any database transaction,
so a slow agency never holds a lock; a worker killed mid-batch leaves leases that expire.
"""

import asyncio
import contextlib
from collections.abc import Iterable

import structlog
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from singlewindow.exchange import service
from singlewindow.exchange.ports import DeliveryFailed, Outbound
from singlewindow.exchange.registry import AdapterRegistry
from singlewindow.kit import metrics
from singlewindow.settings import Settings

log = structlog.get_logger(__name__)


async def deliver(registry: AdapterRegistry, message: Outbound, within_seconds: float) -> DeliveryFailed | None:
    """One delivery attempt through the destination's adapter; the failure, or None when accepted.

    Shared by the database dispatcher and the broker consumers, so both retry and dead-letter alike.
    """
    adapter = await registry.resolve(message.destination)
    if adapter is None:
        failure = DeliveryFailed(f"no enabled counterparty or adapter for {message.destination!r}")
    else:
        try:
            async with asyncio.timeout(within_seconds):
                await adapter.deliver(message)
            failure = None
        except DeliveryFailed as exc:
            failure = exc
        except TimeoutError:
            failure = DeliveryFailed(f"no answer within {within_seconds}s")
    metrics.DELIVERIES.labels(message.destination.split(":")[0], "ok" if failure is None else "failed").inc()
    if failure is not None:
        log.warning("delivery failed", destination=message.destination, attempt=message.attempt, reason=str(failure))
    return failure


def _by_subject(
    outcomes: Iterable[tuple[Outbound, DeliveryFailed | None]],
) -> list[list[tuple[Outbound, DeliveryFailed | None]]]:
    grouped: dict[str, list[tuple[Outbound, DeliveryFailed | None]]] = {}
    for message, failure in outcomes:
        grouped.setdefault(str(message.subject_id or ""), []).append((message, failure))
    return [grouped[subject] for subject in sorted(grouped)]


class Dispatcher:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], registry: AdapterRegistry, settings: Settings
    ) -> None:
        self._sessions = sessions
        self._registry = registry
        self._settings = settings

    async def run_once(self) -> int:
        """Deliver one batch; returns how many messages were claimed."""
        async with self._sessions() as session:
            batch = await service.claim_due(
                session, limit=self._settings.dispatch_batch_size, lease_seconds=self._settings.dispatch_lease_seconds
            )
            await session.commit()
        if not batch:
            return 0
        outcomes = await asyncio.gather(*(self._deliver(m) for m in batch))
        for outcomes_of_one in _by_subject(zip(batch, outcomes, strict=True)):
            await self._record(outcomes_of_one)
        return len(batch)

    async def _record(self, outcomes: list[tuple[Outbound, DeliveryFailed | None]]) -> None:
        """One subject's outcomes in a transaction of their own.

        A delivery moves its declaration on (the task is in review, the status may follow),
        which locks the declaration and what its handlers touch (containers, bills). One
        transaction for a whole batch would hold several declarations at once, in batch
        order, and deadlock with the transactions that hold one of them.
        """
        async with self._sessions() as session:
            for message, failure in outcomes:
                if failure is None:
                    await service.mark_delivered(session, message)
                else:
                    await service.mark_failed(session, message, failure, self._settings)
            await session.commit()

    async def _deliver(self, message: Outbound) -> DeliveryFailed | None:
        return await deliver(self._registry, message, self._settings.delivery_timeout_seconds)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; a database outage pauses the loop, it does not end it."""
        while not stop.is_set():
            try:
                claimed = await self.run_once()
            except (DBAPIError, OSError) as exc:
                log.error("dispatcher database error; retrying", error=str(exc)[:300])
                claimed = 0
            if claimed == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self._settings.dispatch_poll_seconds)
