"""The roll-up loop the worker runs: when a month ends, every enterprise's busy month of it is rolled up.

Reads never roll up: until its month is rolled up, a busy enterprise's page groups its
milestones rows (a second or more for the busiest). After a month ends nothing new is
counted in it (a declaration counts on the day of its first submission), so that is when
it is rolled up. Several workers may run the loop: a month is rolled up once (its lock,
then a look whether another did it meanwhile).
"""

import asyncio
import contextlib
import uuid
from datetime import date, timedelta

import structlog
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from singlewindow.analytics import reporting, service

log = structlog.get_logger(__name__)
MONTHS_BACK = 12
"""How far back a worker starting afresh looks: what the statistics pages' year windows cover."""


def last_ended_month(today: date) -> tuple[date, date]:
    """The first and the last day of the month before ``today``'s."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def months_before(day: date, n: int) -> date:
    """The first day of the month ``n`` months before ``day``'s month."""
    year, month = divmod(day.year * 12 + day.month - 1 - n, 12)
    return date(year, month + 1, 1)


async def roll_up_months(session: AsyncSession, since: date, until: date) -> list[tuple[uuid.UUID, date]]:
    """Roll up every enterprise's busy months whole in [since, until], committing after each.

    One transaction per month keeps each roll-up's lock short: the month's writers wait for
    it at their commit.
    """
    done = []
    for party_id, month in await service.months_to_roll_up(session, since, until):
        if await service.roll_up(session, party_id, month):
            done.append((party_id, month))
        await session.commit()
    return done


async def run(sessions: async_sessionmaker[AsyncSession], stop: asyncio.Event, every_seconds: float) -> None:
    """Roll up the last twelve months at start, then each month once it has ended."""
    through: date | None = None
    while not stop.is_set():
        first, last = last_ended_month(reporting.today())
        if through != last:
            since = through + timedelta(days=1) if through else months_before(first, MONTHS_BACK - 1)
            try:
                async with sessions() as session:
                    done = await roll_up_months(session, since, last)
                log.info("analytics months rolled up", since=str(since), until=str(last), months=len(done))
                through = last
            except (DBAPIError, OSError) as exc:
                log.error("analytics roll-up paused: database error", error=str(exc)[:300])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_seconds)
