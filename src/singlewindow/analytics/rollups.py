"""An enterprise's busy months: counters and histograms of their own, made once, then kept current by every event.

An enterprise's figures are grouped from its own milestones rows (``own``), one per
declaration, at a cost in proportion to what it filed: each row sits on a page of its own,
so a year of the busiest enterprise of the ten-million bench (a quarter of a million
declarations) is a quarter of a million page reads, a second or more whatever the query.
A month holding ``ROLLUP_AT`` declarations or more is worth rows of its own instead: a
few hundred counter rows and up to ~10,000 histogram rows however busy it is, next to each
other in their primary keys. The worker rolls a month up soon after it ends (``worker``),
from its rows' final states folded by the live code (``timeline.totals``); from then on
every event of its declarations adds to those rows in the event's own transaction, as the
platform's summaries are kept. Reads never roll up: a month not rolled up yet, a quiet
month, and the partial months at the ends of a window are grouped from the rows.

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
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, and_, func, literal, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from singlewindow.analytics import histogram
from singlewindow.analytics.models import (
    ALL,
    DAY,
    ENTERPRISE_COUNT_KEY,
    ENTERPRISE_DURATION_KEY,
    MONTH,
    EnterpriseCount,
    EnterpriseDuration,
    EnterpriseMonth,
    Milestones,
)
from singlewindow.analytics.repository import (
    CountQuery,
    DurationQuery,
    HistogramRows,
    adding,
    next_month,
    period_column,
    period_of,
    state_of,
)
from singlewindow.analytics.timeline import MEASURES, Facts, Increments, totals
from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import insert_for

ROLLUP_AT = 2_000
"""Declarations in a month from which it is rolled up. A roll-up holds up to ~10,000
histogram rows (ports x intervals and agencies x buckets), however busy the month: at 2,000
declarations that is 2-3 rows each, at 20,000 half a row; below, the milestones rows are
few enough to group on every read."""

Rows = list[dict[str, Any]]
Counted = dict[tuple[str, str], Counter[str]]
"""Measures keyed by (period, group value)."""
Days = Sequence[tuple[date, date]]
"""Inclusive day ranges."""

C, D, M = EnterpriseCount.__table__.c, EnterpriseDuration.__table__.c, Milestones.__table__.c
_SHARED = text("SELECT count(pg_advisory_xact_lock_shared(k)) FROM unnest(CAST(:keys AS bigint[])) AS k")
_EXCLUSIVE = text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k")


def rows(batch: Iterable[tuple[Facts, Increments]]) -> tuple[Rows, Rows]:
    """Enterprise counter rows (per day and per month) and histogram rows (per month), summed per key and sorted."""
    counts: defaultdict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    durations: Counter[tuple[Any, ...]] = Counter()
    for f, inc in batch:
        month = f.day.replace(day=1)
        for (dimension, value, measure), n in inc.counts.items():
            for grain, day in ((DAY, f.day), (MONTH, month)):
                counts[(f.party_id, grain, day, dimension, f.document_type, f.type, value)][measure] += n
        for interval, agency, seconds in inc.durations:
            durations[(f.party_id, month, f.port, agency, interval, histogram.bucket_of(seconds))] += 1
    return (
        [
            {**dict(zip(ENTERPRISE_COUNT_KEY, k, strict=True)), **{m: counts[k][m] for m in MEASURES}}
            for k in sorted(counts)
        ],
        [{**dict(zip(ENTERPRISE_DURATION_KEY, k, strict=True)), "count": n} for k, n in sorted(durations.items())],
    )


def _month_of(row: dict[str, Any]) -> tuple[uuid.UUID, date]:
    """The enterprise month a counter or histogram row belongs to: the unit rolled up, and locked."""
    return row["party_id"], (row.get("month") or row["day"]).replace(day=1)


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


def add(session: Session, counts: Rows, durations: Rows) -> None:
    """Add a transaction's increments (``rows``) to those of their months that are rolled up.

    Synchronous: it runs in the session's ``before_commit`` hook, before the platform's
    summary rows.
    """
    months = sorted({_month_of(row) for row in (*counts, *durations)})
    if not months:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(_SHARED, {"keys": _keys(months)})
    rolled = {(party, month) for party, month in session.execute(_rolled_among(months))}
    for table, key, measures, found in (
        (EnterpriseCount, ENTERPRISE_COUNT_KEY, MEASURES, counts),
        (EnterpriseDuration, ENTERPRISE_DURATION_KEY, ("count",), durations),
    ):
        kept = [row for row in found if _month_of(row) in rolled]
        if kept:
            session.execute(adding(dialect, table, key, measures), kept)


async def rolled_up(session: AsyncSession, party_id: uuid.UUID, months: Sequence[date]) -> set[date]:
    """Which of the enterprise's ``months`` are rolled up already."""
    if not months:
        return set()
    return {month for _, month in await session.execute(_rolled_among([(party_id, m) for m in months]))}


async def roll_up(session: AsyncSession, party_id: uuid.UUID, months: Sequence[date]) -> set[date]:
    """Roll up those of the enterprise's ``months`` busy enough and not rolled up yet; returns those.

    Each is read once, its rows' final states folded by the live code. The caller commits,
    which releases the months' locks: a month per transaction keeps its writers' wait short.
    """
    busy = await _claim_busy(session, party_id, months)
    for month, declarations in sorted(busy.items()):
        mine = (M.party_id == party_id, M.day >= month, M.day < next_month(month))
        found = await session.execute(select(Milestones.__table__).where(*mine))
        states = [state_of(row) for row in found]
        counts, durations = rows((state.facts, totals(state)) for state in states if state.facts is not None)
        for table, made in ((EnterpriseCount, counts), (EnterpriseDuration, durations)):
            if made:
                await session.execute(insert_for(session, table.__table__), made)
        await session.execute(
            insert_for(session, EnterpriseMonth).values(
                party_id=party_id, month=month, declarations=declarations, rolled_up_at=utcnow()
            )
        )
    return set(busy)


async def _claim_busy(session: AsyncSession, party_id: uuid.UUID, months: Sequence[date]) -> dict[date, int]:
    """Of ``months``, those worth rolling up, with their declarations, locked for this transaction.

    Another worker may have rolled one up while this one waited for its lock: it is left out.
    """
    if not months:
        return {}
    counted = await _busy(session, min(months), next_month(max(months)), party_id)
    busy = {month: n for (_, month), n in counted.items() if month in months}
    if busy and session.get_bind().dialect.name == "postgresql":
        await session.execute(_EXCLUSIVE, {"keys": _keys((party_id, m) for m in busy)})
    for month in await rolled_up(session, party_id, list(busy)):
        del busy[month]
    return busy


async def waiting(session: AsyncSession, since: date, end: date) -> list[tuple[uuid.UUID, date]]:
    """Every enterprise's months from ``since`` to before ``end`` (first days) busy enough and not rolled up yet."""
    busy = await _busy(session, since, end)
    EM = EnterpriseMonth
    done = await session.execute(select(EM.party_id, EM.month).where(EM.month >= since, EM.month < end))
    return sorted(set(busy) - {(party, month) for party, month in done})


async def _busy(
    session: AsyncSession, since: date, end: date, party_id: uuid.UUID | None = None
) -> dict[tuple[uuid.UUID, date], int]:
    """(enterprise, month) -> declarations, of the months from ``since`` to before ``end`` holding ``ROLLUP_AT``."""
    month_of = period_of(M.day, "month")
    query = select(M.party_id, month_of, func.count()).where(M.day >= since, M.day < end)
    query = query.where(M.party_id == party_id) if party_id else query.where(M.party_id.is_not(None))
    query = query.group_by(M.party_id, month_of).having(func.count() >= ROLLUP_AT)
    return {(party, date.fromisoformat(f"{month}-01")): int(n) for party, month, n in await session.execute(query)}


async def counts(
    session: AsyncSession, party_id: uuid.UUID, months: Sequence[date], days: Days, q: CountQuery
) -> Counted:
    """Measures of the rolled-up ``months`` (monthly rows) and ``days`` (daily rows), grouped as ``own`` groups rows."""
    if not months and not days:
        return {}
    dimension = "all" if q.group_by in ("document_type", "type") else q.group_by
    value = {"document_type": C.document_type, "type": C.type}.get(q.group_by, C.value)
    period = period_column(C.day, q.period)
    parts = [and_(C.grain == DAY, C.day >= start, C.day <= end) for start, end in days]
    parts += [and_(C.grain == MONTH, C.day.in_(months))] if months else []
    query = select(period, value, *(func.sum(C[m]) for m in MEASURES))
    query = query.where(C.party_id == party_id, C.dimension == dimension, or_(*parts))
    if q.document_type:
        query = query.where(C.document_type == q.document_type)
    if q.type:
        query = query.where(C.type == q.type)
    found: Counted = {}
    for row_period, group, *sums in await session.execute(query.group_by(value, *([period] if q.period else []))):
        found[(row_period, group)] = Counter(dict(zip(MEASURES, (int(n) for n in sums), strict=True)))
    return found


def histograms(session: AsyncSession, party_id: uuid.UUID, months: Sequence[date], q: DurationQuery) -> HistogramRows:
    """The rolled-up months' histogram rows for the query, as ``repository.percentiles`` takes them."""
    port: ColumnElement[str] = D.port if q.port or q.by_port else literal(ALL, String)
    query = select(period_column(D.month, q.period), D.interval, D.agency, port.label("port"), D.bucket)
    query = query.add_columns(D["count"].label("n"))
    query = query.where(D.party_id == party_id, D.month.in_(months))
    if q.port:
        query = query.where(D.port == q.port)
    if q.by_agency:
        return query
    return query.where(D.agency.in_([ALL, q.agency]) if q.agency else D.agency == ALL)
