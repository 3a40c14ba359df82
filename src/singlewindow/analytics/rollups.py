"""Clearance times of an enterprise's busy months: rolled up the first time they are read whole, then kept current.

An enterprise's figures are grouped from its own milestones rows (``own``), at a cost in
proportion to what it filed: a year of clearance times by port and month took 1.7 s for an
enterprise filing a quarter of a million declarations a year, at ten million declarations.
A month holding ``ROLLUP_AT`` declarations or more is worth histogram rows of its own (a
few thousand at most, however busy the month): the first read that covers it whole rolls
it up from the milestones rows, and from then on every event of its declarations adds to
those rows in the event's own transaction, as the platform's summaries are kept. Quieter
months, and the partial months at the ends of a window, are still grouped from the rows.

No event may be lost while a month is rolled up: one committed before the roll-up reads
the milestones rows is in them, and one committed after adds itself. On PostgreSQL the
roll-up holds an exclusive advisory lock on (enterprise, month) from before it reads until
it commits, and every writer takes the shared lock before it looks for the roll-up, in a
statement of its own (so that statement's snapshot sees a roll-up committed while it
waited). Writers take it before the platform's summary rows, which must stay the last
locks a transaction takes. SQLite runs one writer at a time already.
"""

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, func, literal, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from singlewindow.analytics.models import ALL, ENTERPRISE_DURATION_KEY, EnterpriseDuration, EnterpriseMonth, Milestones
from singlewindow.analytics.repository import DurationQuery, adding, next_month, period_of
from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import insert_for

ROLLUP_AT = 500
"""A roll-up is a few thousand rows at most (ports x intervals x buckets); below this many
declarations a month's milestones rows are as cheap to group as those are to read."""

Histograms = dict[tuple[str, str, str, str], dict[int, int]]
"""Bucket counts keyed by (period, interval, agency, port), as ``own`` and ``repository`` answer them."""

E = EnterpriseDuration.__table__.c
_SHARED = text("SELECT count(pg_advisory_xact_lock_shared(k)) FROM unnest(CAST(:keys AS bigint[])) AS k")
_EXCLUSIVE = text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k")


def _lock_key(party_id: uuid.UUID, month: date) -> int:
    """The advisory lock of one enterprise's month: 64 bits of a hash, so every process derives the same."""
    digest = hashlib.blake2b(f"analytics-rollup {party_id} {month.isoformat()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _keys(party_months: Iterable[tuple[uuid.UUID, date]]) -> list[int]:
    """Sorted, so that writers and roll-ups taking several locks take them in one order."""
    return sorted({_lock_key(party, month) for party, month in party_months})


def _rolled_among(party_months: Sequence[tuple[uuid.UUID, date]]) -> Any:
    EM = EnterpriseMonth
    return select(EM.party_id, EM.month).where(tuple_(EM.party_id, EM.month).in_(party_months))


def add(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add a transaction's interval counts to those of their months that are rolled up.

    Rows are unique per key and sorted, as every writer sends them. Synchronous: it runs in
    the session's ``before_commit`` hook, before the platform's summary rows.
    """
    months = sorted({(row["party_id"], row["month"]) for row in rows})
    if not months:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(_SHARED, {"keys": _keys(months)})
    rolled = {(party, month) for party, month in session.execute(_rolled_among(months))}
    kept = [row for row in rows if (row["party_id"], row["month"]) in rolled]
    if kept:
        session.execute(adding(dialect, EnterpriseDuration, ENTERPRISE_DURATION_KEY, ("count",)), kept)


async def rolled_up(session: AsyncSession, party_id: uuid.UUID, months: Sequence[date]) -> set[date]:
    """Which of the enterprise's ``months`` are rolled up already."""
    if not months:
        return set()
    return {month for _, month in await session.execute(_rolled_among([(party_id, m) for m in months]))}


async def waiting(session: AsyncSession, since: date, end: date) -> list[tuple[uuid.UUID, date]]:
    """Every enterprise's months from ``since`` to before ``end`` (first days) busy enough and not rolled up yet."""
    M, EM = Milestones.__table__.c, EnterpriseMonth
    month_of = period_of(session, M.day, "month")
    query = (
        select(M.party_id, month_of, func.count())
        .where(M.party_id.is_not(None), M.day >= since, M.day < end)
        .group_by(M.party_id, month_of)
        .having(func.count() >= ROLLUP_AT)
    )
    busy = {(party, date.fromisoformat(f"{month}-01")) for party, month, _ in await session.execute(query)}
    done = await session.execute(select(EM.party_id, EM.month).where(EM.month >= since, EM.month < end))
    return sorted(busy - {(party, month) for party, month in done})


async def claim_busy(session: AsyncSession, party_id: uuid.UUID, months: Sequence[date]) -> dict[date, int]:
    """Of ``months`` (none rolled up yet), those worth rolling up, with their declarations, locked for this transaction.

    Another reader may have rolled one up while this one waited for its lock: it is left out.
    """
    if not months:
        return {}
    M = Milestones.__table__.c
    month_of = period_of(session, M.day, "month")
    query = (
        select(month_of, func.count())
        .where(M.party_id == party_id, M.day >= min(months), M.day < next_month(max(months)))
        .group_by(month_of)
        .having(func.count() >= ROLLUP_AT)
    )
    counted = {date.fromisoformat(f"{month}-01"): int(n) for month, n in await session.execute(query)}
    busy = {month: n for month, n in counted.items() if month in months}
    if busy and session.get_bind().dialect.name == "postgresql":
        await session.execute(_EXCLUSIVE, {"keys": _keys((party_id, m) for m in busy)})
    for month in await rolled_up(session, party_id, list(busy)):
        del busy[month]
    return busy


async def store(session: AsyncSession, party_id: uuid.UUID, month: date, declarations: int, found: Histograms) -> None:
    """Keep a claimed month's histograms (per port, agency, interval and bucket) as its roll-up."""
    rows = [
        {"party_id": party_id, "month": month, "port": port, "agency": agency, "interval": interval, "bucket": b}
        | {"count": n}
        for (_, interval, agency, port), buckets in found.items()
        for b, n in buckets.items()
    ]
    if rows:
        await session.execute(insert_for(session, EnterpriseDuration), rows)
    await session.execute(
        insert_for(session, EnterpriseMonth).values(
            party_id=party_id, month=month, declarations=declarations, rolled_up_at=utcnow()
        )
    )


async def histograms(
    session: AsyncSession, party_id: uuid.UUID, months: Sequence[date], q: DurationQuery
) -> Histograms:
    """The rolled-up months' histograms, grouped as ``own`` groups the milestones rows for the same query."""
    if not months:
        return {}
    period: ColumnElement[str] = period_of(session, E.month, q.period) if q.period else literal("", String)
    by_port = bool(q.port or q.by_port)
    port: ColumnElement[str] = E.port if by_port else literal(ALL, String)
    query = select(period, E.interval, E.agency, port, E.bucket, func.sum(E["count"]))
    query = query.where(E.party_id == party_id, E.month.in_(months))
    if q.port:
        query = query.where(E.port == q.port)
    if not q.by_agency:
        query = query.where(E.agency.in_([ALL, q.agency]) if q.agency else E.agency == ALL)
    found: Histograms = {}
    grouping = [E.interval, E.agency, E.bucket, *([period] if q.period else []), *([port] if by_port else [])]
    for row_period, interval, agency, row_port, bucket, n in await session.execute(query.group_by(*grouping)):
        found.setdefault((row_period, interval, agency, row_port), {})[int(bucket)] = int(n)
    return found
