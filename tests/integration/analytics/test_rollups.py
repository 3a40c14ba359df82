"""An enterprise's busy months: rolled up on their first whole read, answered from the roll-up, kept current."""

import asyncio
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, update
from support.timelines import API, Expected, assert_percentiles, replay

from singlewindow.analytics import rollups
from singlewindow.analytics import service as analytics
from singlewindow.analytics.models import EnterpriseDuration, EnterpriseMonth
from singlewindow.app import Platform
from singlewindow.declarations.events import DeclarationSubmitted
from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import create_engine, session_factory
from singlewindow.settings import Settings

LAST_MONTH = (utcnow().date().replace(day=1) - timedelta(days=1)).replace(day=1)
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


async def kept_and_afresh(platform: Platform, party_id: uuid.UUID, month: date) -> tuple[Any, Any]:
    """The roll-up's histogram rows as kept, then as rolling the month up again from its rows makes them."""
    D = EnterpriseDuration
    query = select(D.port, D.agency, D.interval, D.bucket, D.count).where(D.party_id == party_id, D.month == month)
    async with platform.sessions() as session:
        kept = sorted(await session.execute(query))
        await session.execute(delete(D).where(D.party_id == party_id, D.month == month))
        await session.execute(delete(EnterpriseMonth).where(EnterpriseMonth.party_id == party_id))
        assert await analytics.roll_up(session, party_id, month)
        afresh = sorted(await session.execute(query))
        await session.commit()
    return kept, afresh


async def test_a_busy_month_read_whole_is_rolled_up_and_kept_current(
    client: httpx.AsyncClient, trader: dict[str, str], mine: uuid.UUID, platform: Platform, monkeypatch: Any
) -> None:
    monkeypatch.setattr(rollups, "ROLLUP_AT", 12)
    expected = merged(
        await replay(platform, 16, seed=5, party_id=mine, on=day_of_last_month(10)),
        await replay(platform, 4, seed=6, party_id=mine),
    )
    await replay(platform, 15, seed=7, on=day_of_last_month(11))
    await assert_percentiles(client, trader, expected, **WINDOW)
    assert await rolled_up(platform) == {(mine, LAST_MONTH): 16}, "this month is not whole, another's not read"

    later = await replay(platform, 5, seed=9, party_id=mine, on=day_of_last_month(20))
    await assert_percentiles(client, trader, merged(expected, later), **WINDOW)
    kept, afresh = await kept_and_afresh(platform, mine, LAST_MONTH)
    assert kept == afresh, "the roll-up kept by every later event equals one made afresh"


async def test_a_rolled_up_month_is_answered_from_its_roll_up(
    client: httpx.AsyncClient, trader: dict[str, str], mine: uuid.UUID, platform: Platform, monkeypatch: Any
) -> None:
    monkeypatch.setattr(rollups, "ROLLUP_AT", 12)
    await replay(platform, 12, seed=2, party_id=mine, on=day_of_last_month(3))
    await replay(platform, 3, seed=3, party_id=mine)
    params = {**WINDOW, "period": "month"}
    before = (await client.get(API, params=params, headers=trader)).json()["rows"]
    async with platform.sessions() as session:
        await session.execute(update(EnterpriseDuration).values(count=EnterpriseDuration.count * 2))
        await session.commit()
    after = (await client.get(API, params=params, headers=trader)).json()["rows"]
    counts = {(r["period"], r["interval"]): r["count"] for r in before}
    assert counts[(LAST_MONTH.strftime("%Y-%m"), "submission_to_release")] == 12
    assert {(r["period"], r["interval"]): r["count"] for r in after} == {
        (period, interval): n * 2 if period == LAST_MONTH.strftime("%Y-%m") else n
        for (period, interval), n in counts.items()
    }


async def test_quiet_months_and_daily_figures_are_grouped_from_the_rows(
    client: httpx.AsyncClient, trader: dict[str, str], mine: uuid.UUID, platform: Platform, monkeypatch: Any
) -> None:
    expected = await replay(platform, 12, seed=4, party_id=mine, on=day_of_last_month(5))
    monkeypatch.setattr(rollups, "ROLLUP_AT", 13)
    await assert_percentiles(client, trader, expected, **WINDOW)
    monkeypatch.setattr(rollups, "ROLLUP_AT", 12)
    daily = await client.get(API, params={**WINDOW, "period": "day"}, headers=trader)
    assert {r["period"] for r in daily.json()["rows"]} == {LAST_MONTH.replace(day=5).isoformat()}
    assert await rolled_up(platform) == {}, "a month of 12 below 13, and daily figures need daily rows"


async def test_the_cli_rolls_up_every_busy_month_ahead_of_its_first_read(
    platform: Platform, mine: uuid.UUID, monkeypatch: Any, cli: Any
) -> None:
    monkeypatch.setattr(rollups, "ROLLUP_AT", 6)
    other = uuid.uuid4()
    await replay(platform, 6, seed=12, party_id=mine, on=day_of_last_month(2))
    await replay(platform, 7, seed=13, party_id=other, on=day_of_last_month(4))
    await replay(platform, 5, seed=14, on=day_of_last_month(4))
    end = (LAST_MONTH + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    result = await cli("analytics", "rollup", "--since", LAST_MONTH.isoformat(), "--until", end.isoformat())
    assert result.output.strip() == f"rolled up 2 months of 2 enterprises ({LAST_MONTH} to {end})"
    assert await rolled_up(platform) == {(mine, LAST_MONTH): 6, (other, LAST_MONTH): 7}
    again = await cli("analytics", "rollup", "--since", LAST_MONTH.isoformat(), "--until", end.isoformat())
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

    def add_then_let_the_roll_up_start(session: Any, rows: Any) -> None:
        add(session, rows)
        if rows and not elsewhere.is_alive():
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
    assert sum(n for *_, interval, _, n in kept if interval == "arrival_to_submission") == 7
    assert kept == afresh
