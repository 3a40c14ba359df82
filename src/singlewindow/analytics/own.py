"""An enterprise's own figures, aggregated from its milestones rows when it asks for them.

Platform-wide summaries add up: thousands of declarations a day share a counter row.
Per-enterprise summaries would not: an enterprise files a few declarations a day, so its
rows would number about one per declaration, measure and interval, hundreds of millions at
ten million declarations. Its milestones rows, one per declaration and read through the
(party_id, day) index, hold the same figures: a row's final state carries everything its
events added (a property test of ``timeline`` holds the two equal). The database groups
the rows, so what comes back is a few hundred groups however many declarations the
enterprise filed, under the platform's rules: the same measures, intervals and buckets.
An enterprise's busy months are the exception: each of its rows is a page read, so those
months are rolled up (``rollups``) and only the rest of a window is grouped here.
"""

import json
import uuid
from collections import Counter
from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Float,
    FromClause,
    Select,
    String,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
    values,
)
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.analytics import histogram, rollups
from singlewindow.analytics.models import ALL, Milestones
from singlewindow.analytics.repository import (
    CountQuery,
    DurationQuery,
    HistogramRows,
    next_month,
    period_column,
    window_parts,
)
from singlewindow.analytics.timeline import AGENCY_INTERVAL, INTERVALS, MEASURES

M = Milestones.__table__.c


def _postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


Days = rollups.Days


def _mine(query: Select[Any], party_id: uuid.UUID, days: Days) -> Select[Any]:
    return query.where(M.party_id == party_id, or_(*(and_(M.day >= start, M.day <= end) for start, end in days)))


def _agencies(session: AsyncSession) -> FromClause:
    """Each routed agency of a row as (key, value): its track, with ``decided_at`` and ``counted``."""
    each = func.jsonb_each if _postgres(session) else func.json_each
    return each(M.agencies).table_valued("key", "value").alias("agency")


def _member(session: AsyncSession, document: Any, name: str, text: bool = False) -> ColumnElement[Any]:
    """A member of a JSON object: as JSON (a list comes back as text to decode), or with ``text`` as text."""
    member: ColumnElement[Any] = (
        document.op("->>" if text else "->")(name) if _postgres(session) else func.json_extract(document, f"$.{name}")
    )
    return member


def _listed(value: Any) -> list[str]:
    """A JSON list as the drivers return it: decoded already, or still text."""
    return json.loads(value) if isinstance(value, str) else list(value or [])


async def counts(session: AsyncSession, party_id: uuid.UUID, q: CountQuery) -> list[tuple[str, str, dict[str, int]]]:
    """The rows ``repository.counts`` returns for the platform, for one enterprise's declarations.

    The days of rolled-up months come from their roll-ups (whole months from monthly rows,
    unless per day); the other days are grouped from the milestones rows.
    """
    rolled = await rollups.rolled_up(session, party_id, months_touching(q.start, q.end))
    whole = sorted(set(whole_months(q.start, q.end, q.period)) & rolled)
    days = [(max(m, q.start), min(next_month(m) - timedelta(days=1), q.end)) for m in sorted(rolled - set(whole))]
    table = await rollups.counts(session, party_id, whole, days, q)
    for key, measures in (await _counted(session, party_id, q, uncovered(q.start, q.end, rolled))).items():
        table.setdefault(key, Counter()).update(measures)
    return [(p, v, {m: table[(p, v)][m] for m in MEASURES}) for p, v in sorted(table)]


async def _counted(session: AsyncSession, party_id: uuid.UUID, q: CountQuery, days: Days) -> rollups.Counted:
    """Measures grouped in SQL from the enterprise's milestones rows of ``days``.

    Rows are grouped by their ``counted`` list too: a declaration counts under "declarations"
    and under each outcome listed there, and there are only a few distinct lists.
    """
    if not days:
        return {}
    period = period_column(M.day, q.period)
    if q.group_by == "agency":
        agency = _agencies(session)
        value, counted = agency.c.key, _member(session, agency.c.value, "counted")
        query = select(period, value, counted, func.count()).select_from(Milestones.__table__).join(agency, true())
    else:
        value, counted = M[q.group_by], M.counted
        query = select(period, value, counted, func.count())
    query = _mine(query, party_id, days)
    if q.document_type:
        query = query.where(M.document_type == q.document_type)
    if q.type:
        query = query.where(M.type == q.type)
    query = query.group_by(*([period] if q.period else []), value, counted)
    table: rollups.Counted = {}
    for row_period, group, listed, n in await session.execute(query):
        measures = table.setdefault((row_period, group), Counter())
        for measure in ("declarations", *_listed(listed)):
            measures[measure] += n
    return table


def _seconds(session: AsyncSession, start: Any, end: Any) -> ColumnElement[float]:
    if _postgres(session):  # date_part is double precision; extract() of an interval is numeric, far slower
        return func.date_part("epoch", end) - func.date_part("epoch", start)
    return (func.julianday(end) - func.julianday(start)) * 86_400.0


def _bucket(seconds: ColumnElement[float]) -> ColumnElement[int]:
    """``histogram.bucket_of`` in SQL (ln(s)/ln(2) is log2 on both backends; no duration reaches MAX_BUCKET)."""
    return case((seconds < 1, 0), else_=1 + func.floor(func.ln(seconds) / func.ln(2.0) * histogram.STEPS_PER_DOUBLING))


def _intervals(session: AsyncSession, period: ColumnElement[str], port: ColumnElement[str]) -> Select[Any]:
    """Every interval of every row, in one pass over the rows.

    PostgreSQL joins each row to a LATERAL list of its (interval, seconds) pairs; SQLite,
    which has no LATERAL, to the list of interval names with the seconds picked by CASE.
    The CASE form also runs on PostgreSQL, but it misjudges the number of groups and sorts
    on disk: about twice as slow on the busiest enterprise of the ten-million bench.
    """
    spans = {name: _seconds(session, M[f"{a}_at"], M[f"{b}_at"]) for name, (a, b) in INTERVALS.items()}
    if _postgres(session):
        pairs = values(column("interval", String), column("seconds", Float), name="pairs")
        found: Any = pairs.data([(literal(name, String), span) for name, span in spans.items()]).lateral()
        interval, seconds = found.c.interval, found.c.seconds
    else:
        found = union_all(*(select(literal(name, String).label("interval")) for name in INTERVALS)).subquery()
        interval = found.c.interval
        seconds = case(*((interval == name, span) for name, span in spans.items()))
    query = select(period.label("period"), interval, literal(ALL, String).label("agency"), port.label("port"))
    query = query.add_columns(seconds.label("seconds")).select_from(Milestones.__table__).join(found, true())
    return query.where(seconds.is_not(None))


def _agency_decisions(
    session: AsyncSession, period: ColumnElement[str], port: ColumnElement[str], only: str | None
) -> Select[Any]:
    """From submission to each routed agency's first decision (kept in the row's agencies track)."""
    agency = _agencies(session)
    decided = _member(session, agency.c.value, "decided_at", text=True)
    decided_at = cast(decided, DateTime(timezone=True)) if _postgres(session) else decided
    query = select(period.label("period"), literal(AGENCY_INTERVAL, String).label("interval"), agency.c.key, port)
    query = query.add_columns(_seconds(session, M.submitted_at, decided_at).label("seconds"))
    query = query.select_from(Milestones.__table__).join(agency, true()).where(decided.is_not(None))
    return query.where(agency.c.key == only) if only else query


async def durations(session: AsyncSession, party_id: uuid.UUID, q: DurationQuery) -> list[HistogramRows]:
    """The enterprise's histogram rows of the query, as ``repository.percentiles`` takes them.

    Whole months rolled up come from their roll-ups; the other days are bucketed from the
    milestones rows.
    """
    rolled = await rollups.rolled_up(session, party_id, whole_months(q.start, q.end, q.period))
    days = uncovered(q.start, q.end, rolled)
    return [
        *([rollups.histograms(session, party_id, sorted(rolled), q)] if rolled else []),
        *([_bucketed(session, party_id, q, days)] if days else []),
    ]


def months_touching(since: date, until: date) -> list[date]:
    """The months (first days) with a day in the window."""
    months, month = [], since.replace(day=1)
    while month <= until:
        months.append(month)
        month = next_month(month)
    return months


def whole_months(since: date, until: date, period: str | None = None) -> list[date]:
    """The months (first days) a roll-up can answer for: whole in the window, unless the figures are per day."""
    whole = window_parts(since, until, period).months
    if whole is None:
        return []
    months, month = [], whole[0]
    while month < whole[1]:
        months.append(month)
        month = next_month(month)
    return months


def uncovered(since: date, until: date, months: Collection[date]) -> list[tuple[date, date]]:
    """The day ranges of [since, until] outside the given months (first days)."""
    ranges, start = [], since
    for month in sorted(months):
        if start < month:
            ranges.append((start, month - timedelta(days=1)))
        start = max(start, next_month(month))
    if start <= until:
        ranges.append((start, until))
    return ranges


def _bucketed(session: AsyncSession, party_id: uuid.UUID, q: DurationQuery, days: Days) -> HistogramRows:
    """Each interval of the enterprise's milestones rows of ``days``, in its bucket: a histogram row of one."""
    period = period_column(M.day, q.period)
    port = M.port if q.port or q.by_port else literal(ALL, String)
    parts = [_intervals(session, period, port)]
    if q.by_agency or q.agency:
        parts.append(_agency_decisions(session, period, port, None if q.by_agency else q.agency))
    parts = [_mine(part, party_id, days) for part in parts]
    if q.port:
        parts = [part.where(M.port == q.port) for part in parts]
    every = union_all(*parts).subquery()
    keys = [every.c.period, every.c.interval, every.c.agency, every.c.port]
    return select(*keys, _bucket(every.c.seconds).label("bucket"), literal(1).label("n"))
