"""What every benchmark shares: a server it can start, realistic declarations, a load loop.

Benchmarks start their own server (``--spawn sqlite|postgresql``) on a fresh database so a
run is reproducible, or drive one that is already running (``--url`` and ``--token``).
"""

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
POSTGRES_ADMIN = os.environ.get("SW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-2026"

GOODS_POOL = [
    ("847130", "Portable computers", "C62", "2.5", "2.1", "650.00"),
    ("610910", "T-shirts of cotton, knitted", "C62", "0.25", "0.2", "6.00"),
    ("851713", "Smartphones", "C62", "0.4", "0.3", "180.00"),
    ("940360", "Wooden furniture", "C62", "25", "22", "120.00"),
    ("392690", "Articles of plastics", "KGM", "1.1", "1", "4.50"),
    ("731815", "Screws and bolts of iron or steel", "KGM", "1.05", "1", "3.20"),
    ("854143", "Photovoltaic modules", "C62", "22", "20", "90.00"),
    ("640399", "Footwear with leather uppers", "C62", "0.6", "0.5", "17.50"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def declaration(n: int, rng: random.Random) -> dict[str, Any]:
    """A valid import declaration with 1 to 50 goods items (the China Customs limit)."""
    document: dict[str, Any] = json.loads((ROOT / "docs/examples/import-declaration.json").read_text(encoding="utf-8"))
    document["reference"] = f"BENCH-{n:09d}"
    document["goods"] = []
    for _ in range(rng.randint(1, 50)):
        hs, description, unit, gross, net, price = rng.choice(GOODS_POOL)
        quantity = rng.randint(1, 500)
        document["goods"].append(
            {
                "hs_code": hs,
                "description": description,
                "quantity": str(quantity),
                "unit": unit,
                "gross_weight_kg": f"{float(gross) * quantity:.2f}",
                "net_weight_kg": f"{float(net) * quantity:.2f}",
                "value": f"{float(price) * quantity:.2f}",
                "origin_country": "DE",
            }
        )
    return document


def bodies(count: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    return [json.dumps(declaration(n, rng)).encode() for n in range(count)]


@dataclass
class Server:
    url: str
    token: str
    pid: int | None = None
    database_url: str = ""

    def peak_rss_mib(self) -> float | None:
        """The server's high-water resident set (VmHWM), summed over its worker processes, when we know its pid."""
        if self.pid is None:
            return None
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return sum(_peak_rss_kib(int(pid)) for pid in [self.pid, *map(int, children)]) / 1024


def _peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def postgres_database() -> tuple[str, str]:
    name = f"sw_bench_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(POSTGRES_ADMIN)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return name, f"{base}/{name}"


async def drop_postgres_database(name: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


def _seed(env: dict[str, str]) -> None:
    script = (
        "import asyncio\n"
        "from singlewindow import demo\n"
        "from singlewindow.app import Platform\n"
        "from singlewindow.kit.migrate import upgrade\n"
        "from singlewindow.settings import get_settings\n"
        "s = get_settings(); upgrade(s.database_url)\n"
        "async def main():\n"
        "    p = Platform.build(s)\n"
        "    async with p.sessions() as session:\n"
        f"        await demo.seed(session, password={PASSWORD!r}, public_url=s.public_url, simulators_enabled=s.simulators)\n"
        "        await session.commit()\n"
        "    await p.close()\n"
        "asyncio.run(main())\n"
    )
    subprocess.run([str(BIN / "python"), "-c", script], env=env, check=True)


@asynccontextmanager
async def spawn(
    backend: str, *, extra_env: dict[str, str] | None = None, workers: bool = False, processes: int = 1
) -> AsyncIterator[Server]:
    """A fresh database of ``backend``, migrated and seeded, and ``singlewindow serve --workers processes`` on it."""
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="sw-bench-")
    pg_name = None
    if backend == "postgresql":
        pg_name, database_url = await postgres_database()
    else:
        database_url = f"sqlite+aiosqlite:///{tmp}/bench.db"
    env = {
        **os.environ,
        "SW_DATABASE_URL": database_url,
        "SW_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "SW_LOG_LEVEL": "WARNING",
        "SW_SECRET_KEY": "bench-secret-key-0123456789abcdef0123",
        **(extra_env or {}),
    }
    await asyncio.to_thread(_seed, env)
    serve = [str(BIN / "singlewindow"), "serve", "--port", str(port), "--workers", str(processes)]
    server = subprocess.Popen(serve, env=env)
    worker = subprocess.Popen([str(BIN / "singlewindow"), "worker"], env=env) if workers else None
    try:
        url = f"http://127.0.0.1:{port}"
        token = await _wait_and_sign_in(url)
        yield Server(url=url, token=token, pid=server.pid, database_url=database_url)
    finally:
        for process in (worker, server):
            if process:
                process.terminate()
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
        if pg_name:
            await drop_postgres_database(pg_name)


async def _wait_and_sign_in(url: str) -> str:
    async with httpx.AsyncClient(base_url=url) as client:
        for _ in range(100):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        response = await client.post("/api/v1/auth/token", data={"username": "demo-trader", "password": PASSWORD})
        response.raise_for_status()
        return str(response.json()["access_token"])


@dataclass
class Load:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed_s: float = 0.0
    error_samples: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.elapsed_s if self.elapsed_s else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def summary(self) -> str:
        mean = statistics.fmean(self.latencies_ms) if self.latencies_ms else float("nan")
        return (
            f"accepted={len(self.latencies_ms)} errors={self.errors} elapsed_s={self.elapsed_s:.1f}\n"
            f"rate_per_s={self.rate:.1f} mean_ms={mean:.1f} p50_ms={self.percentile(50):.1f} "
            f"p95_ms={self.percentile(95):.1f} p99_ms={self.percentile(99):.1f}"
        )


async def closed_loop(
    url: str,
    token: str,
    payloads: list[bytes],
    *,
    duration: float,
    concurrency: int,
    path: str = "/api/v1/declarations",
) -> Load:
    """``concurrency`` clients each submit, wait for the answer, and submit again."""
    load = Load()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    counter = iter(range(10**9))
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + duration

        async def client_loop() -> None:
            while time.perf_counter() < deadline:
                body = payloads[next(counter) % len(payloads)]
                started = time.perf_counter()
                try:
                    response = await client.post(path, content=body)
                    ok = response.status_code == 201
                    sample = f"{response.status_code} {response.text[:200]}"
                except httpx.HTTPError as exc:
                    ok, sample = False, repr(exc)
                if ok:
                    load.latencies_ms.append((time.perf_counter() - started) * 1000)
                else:
                    load.errors += 1
                    if len(load.error_samples) < 3:
                        load.error_samples.append(sample)

        started = time.perf_counter()
        await asyncio.gather(*(client_loop() for _ in range(concurrency)))
        load.elapsed_s = time.perf_counter() - started
    return load


@contextmanager
def cpu_note() -> Iterator[None]:
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
    yield
