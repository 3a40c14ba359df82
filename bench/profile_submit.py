"""Where the submission path spends its time: pyinstrument over in-process submissions.

    python bench/profile_submit.py --backend postgresql --count 300

Runs the real app (ASGI, no network) on a fresh database and prints the call tree.
"""

import argparse
import asyncio
import time

import httpx
from harness import PASSWORD, bodies, drop_postgres_database, postgres_database
from pyinstrument import Profiler

from singlewindow import demo
from singlewindow.app import create_app
from singlewindow.kit.migrate import upgrade_async
from singlewindow.settings import Settings


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    pg_name = None
    if args.backend == "postgresql":
        pg_name, url = await postgres_database()
    else:
        url = "sqlite+aiosqlite:////tmp/sw-profile.db"
    await upgrade_async(url)
    app = create_app(Settings(database_url=url, log_json=False))
    async with app.state.sessions() as session:
        await demo.seed(session, password=PASSWORD, public_url="http://t", simulators_enabled=False)
        await session.commit()
    payloads = bodies(args.count)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        token = (await client.post("/api/v1/auth/token", data={"username": "demo-trader", "password": PASSWORD})).json()
        headers = {"Authorization": f"Bearer {token['access_token']}", "Content-Type": "application/json"}
        for body in payloads[:20]:
            await client.post("/api/v1/declarations", content=body, headers=headers)
        profiler = Profiler(async_mode="enabled")
        started = time.perf_counter()
        with profiler:
            for body in payloads:
                response = await client.post("/api/v1/declarations", content=body, headers=headers)
                assert response.status_code == 201, response.text
        elapsed = time.perf_counter() - started
    await app.state.platform.close()
    if pg_name:
        await drop_postgres_database(pg_name)
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{args.count} sequential submissions in {elapsed:.2f}s: {elapsed / args.count * 1000:.2f} ms each")


if __name__ == "__main__":
    asyncio.run(main())
