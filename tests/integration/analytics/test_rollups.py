"""An enterprise's busy months: rolled up when they end, answered from their roll-up, kept current by later events."""

import asyncio
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from support.timelines import API, Expected, assert_percentiles, replay

from singlewindow.analytics import rollups, worker
from singlewindow.analytics import service as analytics
from singlewindow.analytics.models import EnterpriseCount, EnterpriseDuration, EnterpriseMonth
from singlewindow.app import Platform
from singlewindow.declarations.events import DeclarationSubmitted
from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import create_engine, session_factory
from singlewindow.settings import Settings

STATISTICS = "/api/v1/analytics"
LAST_MONTH = (utcnow().date().replace(day=1) - timedelta(days=1)).replace(day=1)
END_OF_LAST_MONTH = utcnow().date().replace(day=1) - timedelta(days=1)
WINDOW = {"since": LAST_MONTH.isoformat(), "until": utcnow().date().isoformat()}
"""Last month whole (a roll-up can answer for it) and this month so far (grouped from the rows)."""


def day_of_last_month(day: int) -> datetime:
    return datetime.combine(LAST_MONTH.replace(day=day), datetime.min.time(), UTC)


def merged(*series: Expected) -> Expected:
    every: Expected = {}
    for one in series:
        for key, durations in one.items():
            every.setdefault(key, []).extend(durations)
    return every


@pytest.fixture
async def mine(client: httpx.AsyncClient, trader: dict[str, str]) -> uuid.UUID:
    me = (await client.get("/api/v1/me", headers=trader)).json()
    return uuid.UUID(me.get("party_id") or me["party"]["id"])


async def rolled_up(platform: Platform) -> dict[tuple[uuid.UUID, date], int]:
    async with platform.sessions() as session:
        rows = await session.execute(
            select(EnterpriseMonth.party_id, EnterpriseMonth.month, EnterpriseMonth.declarations)
        )
        return {(party, month): n for party, month, n in rows}


async def unroll(session: AsyncSession, party_id: uuid.UUID) -> None:
    for table in (EnterpriseCount, EnterpriseDuration, EnterpriseMonth):
        await session.execute(delete(table).where(table.party_id == party_id))


async def kept_and_afresh(platform: Platform, party_id: uuid.UUID, month: date) -> tuple[Any, Any]:
    """The roll-up's rows as kept, then as rolling the month up again from its milestones rows makes them."""

    async def rolled(session: AsyncSession) -> list[list[Any]]:
        return [
            sorted(tuple(row)[1:] for row in await session.execute(select(table).where(table.c.party_id == party_id)))
            for table in (EnterpriseCount.__table__, EnterpriseDuration.__table__)
        ]

    async with platform.sessions() as session:
        kept = await rolled(session)
        await unroll(session, party_id)
        assert await analytics.roll_up(session, party_id, month)
        afresh = await rolled(session)
        await session.commit()
    return kept, afresh


async def answers(client: httpx.AsyncClient, headers: dict[str, str]) -> list[Any]:
    """The enterprise's every figure: volumes by every group, per month and per day, and clearance times every way.

    Over last month and this one, and from a few days into last month (the days of a
    rolled-up month, not the whole month).
    """
    found = []
    partial = {**WINDOW, "since": (LAST_MONTH + timedelta(days=4)).isoformat()}
    for window in (WINDOW, partial):
        for group_by in ("document_type", "type", "agency", "port", "trade_mode", "country"):
            for period in ("month", "day"):
                params = {**window, "group_by": group_by, "period": period}
                found.append((await client.get(f"{STATISTICS}/volumes", params=params, headers=headers)).json())
        for params in ({"group_by": "agency"}, {"group_by": "port", "period": "month"}, {"agency": "customs"}):
            found.append((await client.get(API, params={**window, **params}, headers=headers)).json()["rows"])
    return found


async def roll_up(platform: Platform, party_id: uuid.UUID) -> bool:
    """What the worker does for last month, for one enterprise."""
    async with platform.sessions() as session:
        done = await analytics.roll_up(session, party_id, LAST_MONTH)
        await session.commit()
    return done


async def test_a_rolled_up_month_is_kept_current_and_answers_as_its_rows_would(
    client: httpx.AsyncClient, trader: dict[str, str], mine: uuid.UUID, platform: Platform, monkeypatch: Any
) -> None:
    monkeypatch.setattr(rollups, "ROLLUP_AT", 12)
    expected = merged(
        await replay(platform, 3, seed=10, party_id=mine, on=day_of_last_month(2)),
        await replay(platform, 13, seed=5, party_id=mine, on=day_of_last_month(10)),
        await replay(platform, 4, seed=6, party_id=mine),
    )
    await replay(platform, 15, seed=7, on=day_of_last_month(11))
    assert await roll_up(platform, mine)
    await assert_percentiles(client, trader, expected, **WINDOW)

    later = await replay(platform, 5, seed=9, party_id=mine, on=day_of_last_month(20))
    await assert_percentiles(client, trader, merged(expected, later), **WINDOW)
    kept, afresh = await kept_and_afresh(platform, mine, LAST_MONTH)
    assert kept == afresh, "the roll-up kept by every later event equals one made afresh"

    from_roll_ups = await answers(client, trader)
    async with platform.sessions() as session:
        await unroll(session, mine)
        await session.commit()
    assert await answers(client, trader) == from_roll_ups, "the same figures grouped from the milestones rows"


async def test_a_rolled_up_month_is_answered_from_its_roll_up_but_clearance_times_per_day(
    client: httpx.AsyncClient, trader: dict[str, str], mine: uuid.UUID, platform: Platform, monkeypatch: Any
) -> None:
    monkeypatch.setattr(rollups, "ROLLUP_AT", 12)
    await replay(platform, 12, seed=2, party_id=mine, on=day_of_last_month(3))
    await replay(platform, 3, seed=3, party_id=mine)
    assert await roll_up(platform, mine)
    monthly, daily, last = {**WINDOW, "period": "month"}, {**WINDOW, "period": "day"}, LAST_MONTH.strftime("%Y-%m")
    last_month_daily = {"since": LAST_MONTH.isoformat(), "until": END_OF_LAST_MONTH.isoformat(), "period": "day"}

    async def figures() -> tuple[dict[Any, int], ...]:
        times = (await client.get(API, params=monthly, headers=trader)).json()["rows"]
        volumes = (await client.get(f"{STATISTICS}/volumes", params=monthly, headers=trader)).json()["rows"]
        per_day = (await client.get(API, params=last_month_daily, headers=trader)).json()["rows"]
        daily_volumes = (await client.get(f"{STATISTICS}/volumes", params=daily, headers=trader)).json()["rows"]
        return (
            {(r["period"], r["interval"]): r["count"] for r in times},
            {r["period"]: r["declarations"] for r in volumes},
            {(r["period"], r["interval"]): r["count"] for r in per_day},
            {r["period"]: r["declarations"] for r in daily_volumes},
        )

    times, declared, per_day, declared_daily = await figures()
    assert times[(last, "submission_to_release")] == 12
    assert declared[last] == 12
    assert declared_daily[LAST_MONTH.replace(day=3).isoformat()] == 12
    assert per_day[(LAST_MONTH.replace(day=3).isoformat(), "submission_to_release")] == 12
    async with platform.sessions() as session:
        await session.execute(update(EnterpriseDuration).values(count=EnterpriseDuration.count * 2))
        await session.execute(update(EnterpriseCount).values(declarations=EnterpriseCount.declarations * 2))
        await session.commit()
    assert await figures() == (
        {(period, interval): n * 2 if period == last else n for (period, interval), n in times.items()},
        {period: n * 2 if period == last else n for period, n in declared.items()},
        per_day,
        {day: n * 2 if day.startswith(last) else n for day, n in declared_daily.items()},
    ), "last month's figures come from its (doubled) roll-up, but clearance times per day from the rows"


async def test_a_quiet_month_is_not_rolled_up(platform: Platform, mine: uuid.UUID, monkeypatch: Any) -> None:
    await replay(platform, 12, seed=4, party_id=mine, on=day_of_last_month(5))
    monkeypatch.setattr(rollups, "ROLLUP_AT", 13)
    assert not await roll_up(platform, mine)
    assert await rolled_up(platform) == {}


async def test_the_worker_rolls_up_the_months_that_have_ended(
    platform: Platform, mine: uuid.UUID, monkeypatch: Any
) -> None:
    monkeypatch.setattr(rollups, "ROLLUP_AT", 6)
    await replay(platform, 6, seed=15, party_id=mine, on=day_of_last_month(6))
    await replay(platform, 6, seed=16, party_id=mine)
    stop = asyncio.Event()
    loop = asyncio.create_task(worker.run(platform.sessions, stop, every_seconds=0.05))
    try:
        for _ in range(200):
            if await rolled_up(platform):
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await loop
    assert await rolled_up(platform) == {(mine, LAST_MONTH): 6}, "this month has not ended"


async def test_the_cli_rolls_up_every_busy_month_of_a_window(
    platform: Platform, mine: uuid.UUID, monkeypatch: Any, cli: Any
) -> None:
    monkeypatch.setattr(rollups, "ROLLUP_AT", 6)
    other = uuid.uuid4()
    await replay(platform, 6, seed=12, party_id=mine, on=day_of_last_month(2))
    await replay(platform, 7, seed=13, party_id=other, on=day_of_last_month(4))
    await replay(platform, 5, seed=14, on=day_of_last_month(4))
    end = END_OF_LAST_MONTH.isoformat()
    result = await cli("analytics", "rollup", "--since", LAST_MONTH.isoformat(), "--until", end)
    assert result.output.strip() == f"rolled up 2 months of 2 enterprises ({LAST_MONTH} to {end})"
    assert await rolled_up(platform) == {(mine, LAST_MONTH): 6, (other, LAST_MONTH): 7}
    again = await cli("analytics", "rollup", "--since", LAST_MONTH.isoformat(), "--until", end)
    assert again.output.startswith("rolled up 0 months")


async def test_an_event_committing_while_its_month_is_rolled_up_is_counted_once(
    platform: Platform, settings: Settings, monkeypatch: Any
) -> None:
    """The roll-up starts in another process's place (a thread, its own engine) just as a writer is about to commit.

    The writer has looked for the roll-up and found none; the roll-up must not read the
    milestones rows until that writer has committed, or the writer's interval is lost.
    """
    monkeypatch.setattr(rollups, "ROLLUP_AT", 6)
    party_id, declaration_id = uuid.uuid4(), uuid.uuid4()
    await replay(platform, 6, seed=21, party_id=party_id, on=day_of_last_month(8))
    async with platform.sessions() as session:
        await analytics.record_milestone(session, declaration_id, "arrival", day_of_last_month(9))
        await session.commit()
    failures: list[BaseException] = []

    def roll_up_elsewhere() -> None:
        async def go() -> None:
            engine = create_engine(settings.database_url)
            try:
                async with session_factory(engine)() as session:
                    assert await analytics.roll_up(session, party_id, LAST_MONTH)
                    await session.commit()
            finally:
                await engine.dispose()

        try:
            asyncio.run(go())
        except BaseException as exc:
            failures.append(exc)

    elsewhere = threading.Thread(target=roll_up_elsewhere)
    add = rollups.add

    def add_then_let_the_roll_up_start(session: Any, counts: Any, durations: Any) -> None:
        add(session, counts, durations)
        if durations and not elsewhere.is_alive():
            elsewhere.start()
            time.sleep(1.0)

    monkeypatch.setattr(rollups, "add", add_then_let_the_roll_up_start)
    async with platform.sessions() as session:
        at = day_of_last_month(9) + timedelta(hours=2)
        data = {"port_of_discharge": "CNSGH", "trade_mode": "0110", "country": "DE"}
        submitted = DeclarationSubmitted(
            declaration_id, party_id, "cargo_declaration", "import", "LATE", 1, data, ("customs",), at
        )
        await analytics.on_submitted(session, submitted)
        await session.commit()
    monkeypatch.setattr(rollups, "add", add)
    await asyncio.to_thread(elsewhere.join, 60)
    assert not failures, failures
    assert (party_id, LAST_MONTH) in await rolled_up(platform)
    kept, afresh = await kept_and_afresh(platform, party_id, LAST_MONTH)
    assert sum(n for *_, interval, _, n in kept[1] if interval == "arrival_to_submission") == 7
    assert kept == afresh


async def test_a_rebuild_drops_every_roll_up_so_the_months_roll_up_again(
    platform: Platform, mine: uuid.UUID, monkeypatch: Any, cli: Any
) -> None:
    monkeypatch.setattr(rollups, "ROLLUP_AT", 6)
    await replay(platform, 6, seed=31, party_id=mine, on=day_of_last_month(7))
    assert await roll_up(platform, mine)
    await cli("analytics", "rebuild")
    async with platform.sessions() as session:
        for table in (EnterpriseCount, EnterpriseDuration, EnterpriseMonth):
            assert await session.scalar(select(func.count()).select_from(table)) == 0, table.__tablename__
