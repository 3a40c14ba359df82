"""Time every statistics endpoint against a database filled by ``generate_declarations.py``, and EXPLAIN them.

    python bench/statistics_endpoints.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/sw_bench_xxx

Each endpoint is called through the ASGI app (routing, authorization, serialization
included) ``--repeat`` times after one warm-up call; the median and the worst time are
printed, then the plan PostgreSQL chose for each summary query (EXPLAIN ANALYZE).
"""

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import event, text

from singlewindow import demo
from singlewindow.app import create_app
from singlewindow.settings import Settings

PASSWORD = "bench-password-2026"


def cases(today: str, year_ago: str, quarter_ago: str) -> list[tuple[str, dict[str, str]]]:
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
        ("clearance-times", {**year, "period": "month"}),
        ("clearance-times", {**year, "port": "CNSGH", "period": "month"}),
    ]


async def run(url: str, repeat: int, explain: bool) -> None:
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
    dates = [str(today), str(today - timedelta(days=364)), str(today - timedelta(days=90))]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        token = (
            await client.post("/api/v1/auth/token", data={"username": demo.DEMO_OPERATOR, "password": PASSWORD})
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        print(f"{'endpoint':<18} {'parameters':<62} {'rows':>6} {'median ms':>10} {'max ms':>8}")
        plans = []
        for path, params in cases(*dates):
            captured.clear()
            response = await client.get(f"/api/v1/analytics/{path}", params=params, headers=headers)
            assert response.status_code == 200, response.text
            plans.append((path, params, list(captured)))
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = await client.get(f"/api/v1/analytics/{path}", params=params, headers=headers)
                timings.append((time.perf_counter() - started) * 1000)
            shown = " ".join(f"{k}={v}" for k, v in params.items() if k not in ("since", "until"))
            window = f"{params['since']}..{params['until']}"
            print(
                f"{path:<18} {window + ' ' + shown:<62} {len(response.json()['rows']):>6} "
                f"{statistics.median(timings):>10.1f} {max(timings):>8.1f}"
            )
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
    args = parser.parse_args()
    asyncio.run(run(args.database_url, args.repeat, args.explain))


if __name__ == "__main__":
    main()
