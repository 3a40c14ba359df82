"""Time every statistics endpoint against a database filled by ``generate_declarations.py``, and EXPLAIN them.

    python bench/statistics_endpoints.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/sw_bench_xxx

Each endpoint is called through the ASGI app (routing, authorization, serialization
included) ``--repeat`` times after one warm-up call; the median and the worst time are
printed, then the plan PostgreSQL chose for each summary query (EXPLAIN ANALYZE).

The operator reads the platform's summaries. An enterprise's figures are grouped from its
own milestones rows, so their cost grows with its volume, but for the clearance times of
its busy months, rolled up by the first read that covers them whole (the "first ms"
column), or ahead of it by ``singlewindow analytics rollup``. The demo trader is lent the
party of each generated enterprise ranked ``--enterprises`` by volume and reads its own
statistics and declaration list as that enterprise.
"""

import argparse
import asyncio
import re
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import delete, event, text, update

from singlewindow import demo
from singlewindow.app import create_app
from singlewindow.identity import repository as identities
from singlewindow.identity.models import Party, PartyKind, User
from singlewindow.settings import Settings

PASSWORD = "bench-password-2026"
PORTAL_PAGES = ("/portal/statistics", "/portal/statistics/clearance-times")


def cases(today: str, year_ago: str, quarter_ago: str, month_ago: str) -> list[tuple[str, dict[str, str]]]:
    year = {"since": year_ago, "until": today}
    return [
        ("volumes", {**year, "group_by": "document_type"}),
        ("volumes", {**year, "group_by": "port", "period": "month"}),
        ("volumes", {**year, "group_by": "country", "period": "month"}),
        ("volumes", {**year, "group_by": "agency", "period": "day"}),
        ("volumes", {"since": quarter_ago, "until": today, "group_by": "trade_mode", "period": "day"}),
        ("rates", {**year, "group_by": "port"}),
        ("rates", {**year, "group_by": "agency", "period": "month"}),
        ("clearance-times", year),
        ("clearance-times", {**year, "group_by": "agency"}),
        ("clearance-times", {**year, "group_by": "port"}),
        ("clearance-times", {**year, "group_by": "port", "period": "month"}),
        ("clearance-times", {**year, "period": "month"}),
        ("clearance-times", {"since": month_ago, "until": today, "period": "day"}),
        ("clearance-times", {**year, "port": "CNSGH", "period": "month"}),
    ]


def own_cases(today: str, year_ago: str, month_ago: str) -> list[tuple[str, dict[str, str]]]:
    month, year = {"since": month_ago, "until": today}, {"since": year_ago, "until": today}
    return [
        ("analytics/volumes", {**month, "group_by": "port"}),
        ("analytics/volumes", {**year, "group_by": "agency", "period": "month"}),
        ("analytics/volumes", {**year, "group_by": "port", "period": "day"}),
        ("analytics/rates", {**month, "group_by": "trade_mode"}),
        ("analytics/clearance-times", month),
        ("analytics/clearance-times", year),
        ("analytics/clearance-times", {**year, "group_by": "agency"}),
        ("analytics/clearance-times", {**year, "group_by": "port", "period": "month"}),
        ("analytics/clearance-times", {"since": month_ago, "until": today, "period": "day"}),
        ("declarations", {"limit": "50"}),
    ]


@asynccontextmanager
async def lent(platform: Any, rank: int) -> AsyncIterator[int]:
    """The demo trader signs in as the ``rank``-th busiest generated enterprise, then goes home.

    The generated enterprises have declarations but no parties row: one is added for the
    time of the visit, and the demo trader's user points at it. No declaration is rewritten
    (rewriting them left dead index entries that slowed every later read).
    """
    ranking = text("SELECT party_id, count(*) FROM analytics_milestones GROUP BY party_id ORDER BY 2 DESC, 1")
    async with platform.sessions() as session:
        party_id, count = (await session.execute(ranking)).all()[rank - 1]
        trader = await identities.user_by_username(session, demo.DEMO_TRADER)
        assert trader is not None, "demo.seed made it"
        home = trader.party_id
        session.add(Party(id=party_id, kind=PartyKind.ENTERPRISE, name=f"Generated enterprise no. {rank}", roles=[]))
        await session.flush()
        trader.party_id = party_id
        await session.commit()
    try:
        yield int(count)
    finally:
        async with platform.sessions() as session:
            await session.execute(update(User).where(User.id == trader.id).values(party_id=home))
            await session.execute(delete(Party).where(Party.id == party_id))
            await session.commit()


async def timed(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, params: dict[str, str], repeat: int
) -> None:
    """One first call, then ``repeat`` timed ones; prints the first, the median and the worst (a portal page: its size).

    The first call of an enterprise's clearance times is the one that rolls its busy months up.
    """
    url = path if path.startswith("/") else f"/api/v1/{path}"
    started = time.perf_counter()
    response = await client.get(url, params=params, headers=headers)
    first = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.text
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = await client.get(url, params=params, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
    shown = " ".join(f"{k}={v}" for k, v in params.items() if k not in ("since", "until"))
    window = f"{params['since']}..{params['until']}" if "since" in params else ""
    window = window or ("(the page's 30 days)" if path.startswith("/portal") else "")
    if response.headers["content-type"].startswith("application/json"):
        body = response.json()
        rows = str(len(body["rows"] if "rows" in body else body["items"]))
    else:
        rows = f"{len(response.content) // 1024} KB"
    median, worst = statistics.median(timings), max(timings)
    print(f"{path:<34} {window + ' ' + shown:<48} {rows:>6} {first:>9.1f} {median:>10.1f} {worst:>8.1f}")


async def portal_pages(client: httpx.AsyncClient, username: str, repeat: int) -> None:
    """Sign in to the portal as a browser does (the form and its CSRF token) and time the statistics pages."""
    client.cookies.clear()
    form = await client.get("/portal/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None, "the login form carries a CSRF token"
    fields = {"csrf_token": token.group(1), "username": username, "password": PASSWORD}
    assert (await client.post("/portal/login", data=fields)).status_code == 303
    for page in PORTAL_PAGES:
        await timed(client, {}, page, {}, repeat)
    client.cookies.clear()


async def sign_in(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def run(url: str, repeat: int, explain: bool, ranks: list[int]) -> None:
    settings = Settings(database_url=url, embedded_worker=False, simulators=False, log_json=False)
    app = create_app(settings)
    platform = app.state.platform
    async with platform.sessions() as session:
        await demo.seed(session, password=PASSWORD, public_url=settings.public_url, simulators_enabled=False)
        await session.commit()
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "analytics_" in statement:
            captured.append((statement, parameters))

    event.listen(platform.engine.sync_engine, "before_cursor_execute", capture)
    today = datetime.now(UTC).date()
    dates = [
        str(today),
        str(today - timedelta(days=364)),
        str(today - timedelta(days=90)),
        str(today - timedelta(days=29)),
    ]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        headers = await sign_in(client, demo.DEMO_OPERATOR)
        print(
            f"{'endpoint (operator)':<34} {'parameters':<48} {'rows':>6} {'first ms':>9} {'median ms':>10} {'max ms':>8}"
        )
        plans = []
        for path, params in cases(*dates):
            captured.clear()
            await timed(client, headers, f"analytics/{path}", params, repeat)
            plans.append((path, params, captured[: len(captured) // (repeat + 1)]))  # each call, the same statements
        await portal_pages(client, demo.DEMO_OPERATOR, repeat)
        for rank in ranks:
            async with lent(platform, rank) as count:
                headers = await sign_in(client, demo.DEMO_TRADER)
                print(f"\n{f'enterprise no. {rank}':<34} {f'{count:,} declarations':<48}")
                for path, params in own_cases(dates[0], dates[1], dates[3]):
                    await timed(client, headers, path, params, repeat)
                await portal_pages(client, demo.DEMO_TRADER, repeat)
    if explain:
        event.remove(platform.engine.sync_engine, "before_cursor_execute", capture)
        async with platform.engine.connect() as connection:
            for path, params, statements in plans:
                for statement, parameters in statements:
                    result = await connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    print(f"\n-- {path} {params}")
                    print("\n".join(row[0] for row in result))
    async with platform.sessions() as session:
        counted = await session.scalar(text("SELECT count(*) FROM declarations"))
    print(f"\ndeclarations in the database: {counted:,}")
    await platform.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-explain", dest="explain", action="store_false")
    parser.add_argument("--enterprises", default="1,100,1000", help="which enterprises by rank of volume (1: busiest)")
    args = parser.parse_args()
    asyncio.run(run(args.database_url, args.repeat, args.explain, [int(r) for r in args.enterprises.split(",")]))


if __name__ == "__main__":
    main()
