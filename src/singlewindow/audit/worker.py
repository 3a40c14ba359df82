"""The sealing loop the worker runs: keeps the unsealed tail of the audit chain short."""

import asyncio
import contextlib

import structlog
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from singlewindow.audit import service

log = structlog.get_logger(__name__)


async def seal_all(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Seal every record written so far, one committed batch at a time."""
    total = 0
    while True:
        async with sessions() as session:
            sealed = await service.seal(session)
            await session.commit()
        total += sealed
        if sealed < service.SEAL_BATCH:
            return total


async def run(sessions: async_sessionmaker[AsyncSession], stop: asyncio.Event, every_seconds: float) -> None:
    while not stop.is_set():
        try:
            await seal_all(sessions)
        except (DBAPIError, OSError) as exc:
            log.error("audit sealing paused: database error", error=str(exc)[:300])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_seconds)
