"""Keeping the summaries as declarations change, and answering statistics from them alone.

The handlers run inside the transaction that published the event (a submission, a decision,
a status change), so the summaries commit or roll back with the change they count. Each
event locks and updates the declaration's milestones row; its increments wait in the
session until the transaction commits, and then one multi-row upsert per summary table
adds all of them. The summary rows are shared by every declaration of a day, so they are
the last locks a transaction takes: one that holds them waits only for other summary rows,
which every writer takes in the same sorted order, and no deadlock can run through them.
"""

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from singlewindow.analytics import histogram, own, reporting, repository, rollups
from singlewindow.analytics.errors import OtherAgency, invalid
from singlewindow.analytics.models import ALL, COUNT_KEY, DAY, DURATION_KEY, MONTH, Milestones
from singlewindow.analytics.repository import CountQuery, DurationQuery, Scope, state_of
from singlewindow.analytics.schemas import (
    MAX_DAILY_CLEARANCE_DAYS,
    MAX_DAYS,
    ClearanceQuery,
    ClearanceRow,
    ClearanceTimes,
    RateRow,
    Rates,
    StatisticsQuery,
    VolumeRow,
    Volumes,
    Window,
)
from singlewindow.analytics.timeline import (
    MEASURES,
    MILESTONES,
    RECORDABLE,
    STEPS,
    Facts,
    Increments,
    State,
    Step,
    agency_decided,
    facts_of,
    milestone,
    replay,
    shard_of,
    status_changed,
    submitted,
)
from singlewindow.declarations.events import AgencyDecided, DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.identity.models import PartyKind
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.logistics.events import GoodsArrived, GoodsGatedOut
from singlewindow.payments.events import DutiesSettled

PENDING = "analytics.pending"
"""``session.info`` key of the increments the transaction's events added, until it commits."""


async def on_submitted(session: AsyncSession, event: DeclarationSubmitted) -> None:
    facts = facts_of(event.party_id, event.document_type, event.type, event.data, event.at, reporting.zone())
    await _fold(session, event.declaration_id, lambda s: submitted(s, facts, event.revision, event.agencies, event.at))


async def on_agency_decided(session: AsyncSession, event: AgencyDecided) -> None:
    await _fold(session, event.declaration_id, lambda s: agency_decided(s, event.agency, event.status, event.at))


async def on_status_changed(session: AsyncSession, event: DeclarationStatusChanged) -> None:
    await _fold(session, event.declaration_id, lambda s: status_changed(s, event.status, event.at))


async def record_milestone(session: AsyncSession, declaration_id: uuid.UUID, name: str, at: datetime) -> None:
    """Other contexts record an arrival, a payment or a gate-out; the first time counts, a repeat changes nothing.

    It may come before the declaration is submitted (an arrival usually does): its
    intervals are counted when the submission arrives.
    """
    if name not in RECORDABLE:
        raise invalid(("name",), f"one of {', '.join(sorted(RECORDABLE))}", name)
    if at.tzinfo is None:
        raise invalid(("at",), "a time with its zone (UTC in storage)", at.isoformat())
    await _fold(session, declaration_id, lambda s: milestone(s, name, at))


async def on_goods_arrived(session: AsyncSession, event: GoodsArrived) -> None:
    await record_milestone(session, event.declaration_id, "arrival", event.at)


async def on_duties_settled(session: AsyncSession, event: DutiesSettled) -> None:
    await record_milestone(session, event.declaration_id, "payment", event.at)


async def on_goods_gated_out(session: AsyncSession, event: GoodsGatedOut) -> None:
    await record_milestone(session, event.declaration_id, "gate_out", event.at)


async def _fold(session: AsyncSession, declaration_id: uuid.UUID, step: Any) -> None:
    row = await repository.milestones_for_update(session, declaration_id)
    state = state_of(row)
    increments: Increments = step(state)
    keep(row, state)
    await session.flush()
    if state.facts is not None:
        session.info.setdefault(PENDING, []).append((declaration_id, state.facts, increments))


@event.listens_for(Session, "before_commit")
def _add_pending(session: Session) -> None:
    """The transaction's increments, summed per key, as its last statements."""
    batch = session.info.pop(PENDING, None)
    if batch:
        _add(session, batch)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def keep(row: Milestones, state: State) -> None:
    for name, value in milestone_values(state).items():
        setattr(row, name, value)


def milestone_values(state: State) -> dict[str, Any]:
    """A milestones row's columns (but its id) from the folded state."""
    values: dict[str, Any] = {f"{name}_at": state.at.get(name) for name in MILESTONES}
    if state.facts is not None:
        f = state.facts
        values |= {"party_id": f.party_id, "document_type": f.document_type, "type": f.type, "day": f.day}
        values |= {"port": f.port, "trade_mode": f.trade_mode, "country": f.country}
    values["agencies"] = {a: dict(t) for a, t in state.agencies.items()}
    values["counted"] = sorted(state.counted)
    return values


def summary_rows(
    batch: list[tuple[uuid.UUID, Facts, Increments]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Platform counter and histogram rows for many declarations' increments, summed per key and sorted.

    Summing first makes each key appear once per statement (PostgreSQL refuses to update
    one row twice in an upsert); sorting makes concurrent writers take row locks in one order.
    """
    counts: dict[tuple[Any, ...], Counter[str]] = {}
    durations: Counter[tuple[Any, ...]] = Counter()
    for declaration_id, f, inc in batch:
        shard = shard_of(declaration_id)
        for grain, day in ((DAY, f.day), (MONTH, f.day.replace(day=1))):
            for (dimension, value, measure), n in inc.counts.items():
                key = (dimension, grain, day, f.document_type, f.type, value, shard)
                counts.setdefault(key, Counter())[measure] += n
            for interval, agency, seconds in inc.durations:
                bucket = histogram.bucket_of(seconds)
                for port in (f.port, ALL):
                    durations[(port, agency, grain, day, interval, bucket)] += 1
    return (
        [{**dict(zip(COUNT_KEY, k, strict=True)), **{m: counts[k][m] for m in MEASURES}} for k in sorted(counts)],
        [{**dict(zip(DURATION_KEY, k, strict=True)), "count": durations[k]} for k in sorted(durations)],
    )


def _add(session: Session, batch: list[tuple[uuid.UUID, Facts, Increments]]) -> None:
    """The enterprises' rolled-up months first (their locks come before the shared summary rows), then the platform."""
    rollups.add(session, *rollups.rows((facts, increments) for _, facts, increments in batch))
    repository.add_summaries(session, *summary_rows(batch))


async def add(session: AsyncSession, batch: list[tuple[uuid.UUID, Facts, Increments]]) -> None:
    await session.run_sync(_add, batch)


def scope_of(principal: Principal) -> Scope:
    """An enterprise reads its own history; agencies and the operator the platform's, an agency only its own agency."""
    ensure(principal, "analytics:read")
    if principal.party_kind is PartyKind.ENTERPRISE:
        return Scope(party_id=principal.party_id)
    if principal.party_kind is PartyKind.AGENCY:
        return Scope(agency=principal.agency or "")
    return Scope()


def window(query: Window) -> tuple[date, date]:
    until = query.until or reporting.today()
    since = query.since or until - timedelta(days=29)
    if since > until:
        raise invalid(("query", "since"), "must not be after until", since.isoformat())
    if (until - since).days >= MAX_DAYS:
        raise invalid(("query", "since"), f"the window may span at most {MAX_DAYS} days", since.isoformat())
    return since, until


async def volumes(session: AsyncSession, principal: Principal, query: StatisticsQuery) -> Volumes:
    scope = scope_of(principal)
    since, until = window(query)
    q = CountQuery(query.group_by, query.period, since, until, query.document_type, query.type)
    rows = await (own.counts(session, scope.party_id, q) if scope.party_id else repository.counts(session, scope, q))
    return Volumes(
        since=since,
        until=until,
        group_by=query.group_by,
        period=query.period,
        rows=[VolumeRow(period=p, value=v, **m) for p, v, m in rows],
    )


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


async def rates(session: AsyncSession, principal: Principal, query: StatisticsQuery) -> Rates:
    counted = await volumes(session, principal, query)
    return Rates(
        since=counted.since,
        until=counted.until,
        group_by=counted.group_by,
        period=counted.period,
        rows=[
            RateRow(
                period=r.period,
                value=r.value,
                declarations=r.declarations,
                inspection_rate=_rate(r.inspected, r.declarations),
                rejection_rate=_rate(r.rejected, r.declarations),
                amendment_rate=_rate(r.amended, r.declarations),
                release_rate=_rate(r.released, r.declarations),
            )
            for r in counted.rows
        ],
    )


async def clearance_times(session: AsyncSession, principal: Principal, query: ClearanceQuery) -> ClearanceTimes:
    scope = scope_of(principal)
    if scope.agency is not None and query.agency not in (None, scope.agency):
        raise OtherAgency(f"an agency sees its own clearance times only ({scope.agency})")
    since, until = window(query)
    if query.period == "day" and (until - since).days >= MAX_DAILY_CLEARANCE_DAYS:
        limit = f"per day, at most {MAX_DAILY_CLEARANCE_DAYS} days (per month for a longer window)"
        raise invalid(("query", "since"), limit, since.isoformat())
    q = DurationQuery(
        since,
        until,
        query.period,
        query.port,
        query.agency,
        by_port=query.group_by == "port",
        by_agency=query.group_by == "agency",
    )
    parts = (
        await own.durations(session, scope.party_id, q)
        if scope.party_id
        else [await repository.durations(session, scope, q)]
    )
    return ClearanceTimes(
        since=since,
        until=until,
        group_by=query.group_by,
        period=query.period,
        relative_error=round(histogram.RELATIVE_ERROR, 4),
        rows=clearance_rows(await repository.percentiles(session, parts)),
    )


async def months_to_roll_up(session: AsyncSession, since: date, until: date) -> list[tuple[uuid.UUID, date]]:
    """(enterprise, month) of every busy month whole in the window that is not rolled up yet."""
    months = own.whole_months(since, until)
    return await rollups.waiting(session, months[0], repository.next_month(months[-1])) if months else []


async def roll_up(session: AsyncSession, party_id: uuid.UUID, month: date) -> bool:
    """Roll one enterprise's month up; False if another worker did meanwhile, or it is quiet."""
    return month in await rollups.roll_up(session, party_id, [month])


def clearance_rows(found: repository.Percentiles) -> list[ClearanceRow]:
    """Percentiles per series, and each step's share of the steps' medians in its period and port."""
    medians = {key: histogram.representative(median) for key, (_, median, *_) in found.items()}
    step_total: dict[tuple[str, str], float] = {}
    for (period, interval, agency, port), median in medians.items():
        if interval in STEPS and agency == ALL:
            step_total[(period, port)] = step_total.get((period, port), 0.0) + median
    shares = {
        key: median / step_total[(key[0], key[3])]
        for key, median in medians.items()
        if key[1] in STEPS and key[2] == ALL and step_total.get((key[0], key[3]), 0.0) > 0
    }
    top: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for key, share in shares.items():
        group = (key[0], key[3])
        if group not in top or share > shares[top[group]]:
            top[group] = key
    rows = []
    for key in sorted(found, key=_row_order):
        count, median, p90, p99 = found[key]
        period, interval, agency, port = key
        rows.append(
            ClearanceRow(
                period=period,
                interval=interval,
                agency=agency,
                port=port,
                count=count,
                median_seconds=_round(histogram.representative(median)),
                p90_seconds=_round(histogram.representative(p90)),
                p99_seconds=_round(histogram.representative(p99)),
                share=round(shares[key], 4) if key in shares else None,
                dominant=top.get((period, port)) == key,
            )
        )
    return rows


_ORDER = {name: i for i, name in enumerate(STEPS)}


def _row_order(key: tuple[str, str, str, str]) -> tuple[Any, ...]:
    period, interval, agency, port = key
    return (period, port, agency != ALL, agency, _ORDER.get(interval, len(_ORDER)), interval)


def _round(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)


@dataclass(frozen=True, slots=True)
class Timeline:
    """One declaration as the declarations context records it: what ``rebuild`` reads."""

    declaration_id: uuid.UUID
    party_id: uuid.UUID
    document_type: str
    type: str
    data: dict[str, Any]
    steps: list[Step]


async def rebuild(session: AsyncSession, batches: AsyncIterator[list[Timeline]]) -> int:
    """Recompute every summary from the declarations' timelines; returns how many declarations were folded.

    Milestones other contexts recorded (arrival, payment, gate-out) exist only here, so they
    are read first and folded back in. Run it in one transaction: readers see the old
    summaries until it commits.
    """
    recorded = await repository.recorded_milestones(session, sorted(RECORDABLE))
    await repository.clear(session)
    folded = 0
    async for batch in batches:
        rows: list[dict[str, Any]] = []
        increments: list[tuple[uuid.UUID, Facts, Increments]] = []
        for t in batch:
            extra: list[Step] = [(at, "milestone", (name,)) for name, at in recorded.pop(t.declaration_id, {}).items()]
            state, incs = replay(t.party_id, t.document_type, t.type, t.data, [*t.steps, *extra], reporting.zone())
            rows.append({"declaration_id": t.declaration_id, **milestone_values(state)})
            if state.facts is not None:
                increments.extend((t.declaration_id, state.facts, inc) for inc in incs)
        await repository.insert_milestones(session, rows)
        await add(session, increments)
        folded += len(batch)
    leftovers = [
        {"declaration_id": declaration_id, **milestone_values(State(at=at))} for declaration_id, at in recorded.items()
    ]
    await repository.insert_milestones(session, leftovers)
    return folded
