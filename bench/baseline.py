"""The machine's limit, measured in the same run: what our submission rate is a fraction of.

1. A minimal ASGI app (no framework) that validates the same declaration with the same
   pydantic model and inserts it with one asyncpg statement, driven by the same clients.
2. pgbench's raw rate of single-row inserts (durable commits) on the same PostgreSQL.

    python bench/baseline.py --duration 15 --concurrency 32
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import textwrap
import uuid
from pathlib import Path

import asyncpg
from harness import POSTGRES_ADMIN, bodies, closed_loop, cpu_note, free_port

APP = textwrap.dedent(
    """
    import os, uuid
    import asyncpg
    from singlewindow.declarations.schemas import CargoDeclaration

    pool = None

    async def app(scope, receive, send):
        global pool
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    pool = await asyncpg.create_pool(os.environ["BASELINE_DSN"], min_size=4, max_size=16)
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await pool.close()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        declaration = CargoDeclaration.model_validate_json(body)
        await pool.execute(
            "INSERT INTO baseline (id, reference, data) VALUES ($1, $2, $3)",
            uuid.uuid4(), declaration.reference, body.decode(),
        )
        await send({"type": "http.response.start", "status": 201, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"status":"submitted"}'})
    """
)

PGBENCH_SCRIPT = "INSERT INTO baseline (id, reference, data) VALUES (gen_random_uuid(), 'PGBENCH', '{}');\n"


async def _database() -> tuple[str, str]:
    name = f"sw_baseline_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    dsn = f"{POSTGRES_ADMIN.rsplit('/', 1)[0]}/{name}"
    connection = await asyncpg.connect(dsn)
    await connection.execute("CREATE TABLE baseline (id uuid PRIMARY KEY, reference text, data jsonb)")
    await connection.close()
    return name, dsn


async def asgi_baseline(dsn: str, duration: float, concurrency: int) -> None:
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="sw-baseline-"))
    (workdir / "baseline_app.py").write_text(APP)
    env = {**os.environ, "BASELINE_DSN": dsn, "PYTHONPATH": str(workdir)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "baseline_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
    try:
        await asyncio.sleep(2)
        url = f"http://127.0.0.1:{port}"
        payloads = bodies(2000)
        await closed_loop(url, "-", payloads[:200], duration=2, concurrency=concurrency, path="/")
        load = await closed_loop(url, "-", payloads, duration=duration, concurrency=concurrency, path="/")
        print("minimal ASGI app (pydantic validation + one asyncpg INSERT, one process):")
        print(load.summary())
        print(f"baseline_declarations_per_s={load.rate:.1f} baseline_p99_ms={load.percentile(99):.1f}")
    finally:
        server.terminate()
        server.wait(10)


def pgbench(dsn: str, duration: float) -> None:
    script = Path(tempfile.mkdtemp(prefix="sw-pgbench-")) / "insert.sql"
    script.write_text(PGBENCH_SCRIPT)
    database = dsn.rsplit("/", 1)[1]
    result = subprocess.run(
        [
            "pgbench",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-n",
            "-c",
            "8",
            "-j",
            "2",
            "-T",
            str(int(duration)),
            "-f",
            str(script),
            database,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    tps = [line for line in result.stdout.splitlines() if line.startswith("tps")]
    print("pgbench, 8 clients, single-row INSERT per transaction (durable commits):")
    print("\n".join(tps))
    print(f"pgbench_inserts_per_s={tps[0].split()[2] if tps else 'unknown'}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    name, dsn = await _database()
    try:
        with cpu_note():
            await asgi_baseline(dsn, args.duration, args.concurrency)
            pgbench(dsn, args.duration)
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
