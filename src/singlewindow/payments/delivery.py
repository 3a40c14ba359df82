"""Delivery to the in-process counterparties (treasury, simulated bank) runs to completion.

The exchange bounds every delivery with ``delivery_timeout_seconds`` and cancels what
overruns. Cancelling a database transaction half-way can leave an SQLite connection holding
the write lock; so the work is shielded: the exchange may give up waiting (and retry later,
which the work's idempotency makes harmless), but the transaction itself finishes or rolls
back on its own.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any

import structlog

log = structlog.get_logger(__name__)


def _retrieve(task: "asyncio.Task[None]") -> None:
    if not task.cancelled() and (failure := task.exception()) is not None:
        log.warning("in-process delivery failed; the exchange retries it", reason=str(failure))


async def to_completion(work: Coroutine[Any, Any, None]) -> None:
    task = asyncio.ensure_future(work)
    task.add_done_callback(_retrieve)
    await asyncio.shield(task)
