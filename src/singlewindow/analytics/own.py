"""An enterprise's own figures, folded from its milestones rows when it asks for them.

Platform-wide summaries add up: thousands of declarations a day share a counter row.
Per-enterprise summaries would not: an enterprise files a few declarations a day, so its
rows would number about one per declaration, measure and interval, hundreds of millions at
ten million declarations. Its milestones rows, one per declaration and read through the
(party_id, day) index, give the same figures (``timeline.totals``) at the cost of its own
volume in the window.
"""

import uuid
from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.analytics import histogram
from singlewindow.analytics.models import ALL, Milestones
from singlewindow.analytics.repository import CountQuery, DurationQuery, state_of
from singlewindow.analytics.timeline import MEASURES, State, totals

_PERIOD_WIDTH = {"day": 10, "month": 7, "year": 4}


async def _states(
    session: AsyncSession,
    party_id: uuid.UUID,
    window: tuple[date, date],
    document_type: str | None = None,
    type_: str | None = None,
    port: str | None = None,
) -> list[State]:
    m = Milestones.__table__.c
    query = select(*m).where(m.party_id == party_id, m.day >= window[0], m.day <= window[1])
    for column, value in ((m.document_type, document_type), (m.type, type_), (m.port, port)):
        if value:
            query = query.where(column == value)
    return [state_of(row) for row in await session.execute(query)]


def _period(day: date, period: str | None) -> str:
    return day.isoformat()[: _PERIOD_WIDTH[period]] if period else ""


async def counts(session: AsyncSession, party_id: uuid.UUID, q: CountQuery) -> list[tuple[str, str, dict[str, int]]]:
    """The rows ``repository.counts`` returns for the platform, for one enterprise's declarations."""
    dimension = "all" if q.group_by in ("document_type", "type") else q.group_by
    table: dict[tuple[str, str], Counter[str]] = {}
    for state in await _states(session, party_id, (q.start, q.end), q.document_type, q.type):
        assert state.facts is not None, "the query reads declared rows only"
        f = state.facts
        period = _period(f.day, q.period)
        for (row_dimension, value, measure), n in totals(state).counts.items():
            if row_dimension == dimension:
                group = {"document_type": f.document_type, "type": f.type}.get(q.group_by, value)
                table.setdefault((period, group), Counter())[measure] += n
    return [(p, v, {m: table[(p, v)][m] for m in MEASURES}) for p, v in sorted(table)]


async def durations(
    session: AsyncSession, party_id: uuid.UUID, q: DurationQuery
) -> dict[tuple[str, str, str, str], dict[int, int]]:
    """The histograms ``repository.durations`` returns for the platform, for one enterprise's declarations."""
    histograms: dict[tuple[str, str, str, str], dict[int, int]] = {}
    for state in await _states(session, party_id, (q.start, q.end), port=q.port):
        assert state.facts is not None, "the query reads declared rows only"
        period = _period(state.facts.day, q.period)
        port = state.facts.port if q.port or q.by_port else ALL
        for interval, agency, seconds in totals(state).durations:
            if agency == ALL or q.by_agency or agency == q.agency:
                bucket = histogram.bucket_of(seconds)
                counted = histograms.setdefault((period, interval, agency, port), {})
                counted[bucket] = counted.get(bucket, 0) + 1
    return histograms
