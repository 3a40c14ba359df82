"""CPU spent per request in the API process, by kind of request: the figure a noisy machine barely moves.

    python bench/request_cost.py --backend postgresql --count 300

Wall-clock rates move with whatever else the machine runs; the CPU time this process spends
per request (``time.process_time``: the server's own work, not the database's) moves far
less. Requests run in-process over ASGI, one at a time, so the figure is what the platform
code costs: middleware, authentication, validation, the ORM, the response. Each kind runs
``--rounds`` times and the lowest round is reported, the usual defence against
interference. For exact instruction counts run it under callgrind with ``--count 0`` and
with ``--count N`` and divide the difference by N.
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx
from harness import PASSWORD, bodies, drop_postgres_database, postgres_database

from singlewindow import demo
from singlewindow.app import create_app
from singlewindow.kit.migrate import upgrade_async
from singlewindow.settings import Settings

Request = Callable[[int], Awaitable[httpx.Response]]


async def cost_us(request: Request, count: int, rounds: int) -> float:
    """The lowest CPU microseconds per request over ``rounds`` rounds of ``count`` requests."""
    per_round = []
    for r in range(rounds):
        started = time.process_time()
        for n in range(count):
            response = await request(r * count + n)
            assert response.status_code < 300, response.text
        per_round.append((time.process_time() - started) / count * 1e6)
    return min(per_round)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--count", type=int, default=300, help="requests per round and kind (0: start-up only)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["healthz", "me", "submit"], action="append", help="measure only these kinds")
    args = parser.parse_args()
    pg_name = None
    if args.backend == "postgresql":
        pg_name, url = await postgres_database()
    else:
        url = "sqlite+aiosqlite:////tmp/sw-request-cost.db"
    await upgrade_async(url)
    app = create_app(Settings(database_url=url, log_json=False))
    async with app.state.sessions() as session:
        await demo.seed(session, password=PASSWORD, public_url="http://t", simulators_enabled=False)
        await session.commit()
    payloads = bodies(max(args.count * args.rounds, 1) + 20)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        token = (await client.post("/api/v1/auth/token", data={"username": "demo-trader", "password": PASSWORD})).json()
        headers = {"Authorization": f"Bearer {token['access_token']}", "Content-Type": "application/json"}
        kinds: dict[str, Request] = {
            "healthz": lambda n: client.get("/healthz"),
            "me": lambda n: client.get("/api/v1/me", headers=headers),
            "submit": lambda n: client.post("/api/v1/declarations", content=payloads[20 + n], headers=headers),
        }
        for body in payloads[:20]:
            await client.post("/api/v1/declarations", content=body, headers=headers)
        chosen = {kind: request for kind, request in kinds.items() if not args.only or kind in args.only}
        results = {kind: await cost_us(request, args.count, args.rounds) for kind, request in chosen.items()}
    await app.state.platform.close()
    if pg_name:
        await drop_postgres_database(pg_name)
    if args.count:
        for kind, us in results.items():
            print(f"{kind:8} {us:9.0f} µs CPU per request")
        print(
            " ".join(f"{kind}_us={us:.0f}" for kind, us in results.items()),
            f"mean_us={statistics.fmean(results.values()):.0f}",
        )


if __name__ == "__main__":
    asyncio.run(main())
