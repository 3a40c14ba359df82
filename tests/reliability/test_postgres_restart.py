"""PostgreSQL restarted under load: requests fail cleanly (503 + Retry-After), the platform recovers alone.

Real ``singlewindow serve`` and ``singlewindow worker`` on the test's PostgreSQL database;
clients keep submitting with Idempotency-Keys and retry a 503 after its Retry-After, as the
problem tells them to. The server is restarted with ``pg_ctlcluster`` and always left running.
"""

import asyncio
import shutil
import subprocess
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.deployment import DECLARATIONS, Stack, documents
from support.processes import eventually

pytestmark = pytest.mark.reliability
DECLARATION_COUNT = 60
CONCURRENT_CLIENTS = 6
PG_CTL_TIMEOUT_SECONDS = 60


def _cluster_version() -> str:
    return sorted(Path("/etc/postgresql").iterdir(), key=lambda p: [int(x) for x in p.name.split(".")])[-1].name


async def _pg_ctl(action: str) -> None:
    process = await asyncio.create_subprocess_exec(
        "pg_ctlcluster",
        "--skip-systemctl-redirect",
        _cluster_version(),
        "main",
        action,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), PG_CTL_TIMEOUT_SECONDS)
    assert process.returncode == 0, f"pg_ctlcluster {action}: {stderr.decode(errors='replace')}"


async def _ready() -> bool:
    process = await asyncio.create_subprocess_exec("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432")
    return await process.wait() == 0


@asynccontextmanager
async def postgres_restarting() -> AsyncIterator[None]:
    """Restart the cluster in the background; whatever happens, it answers again afterwards."""
    restart = asyncio.create_task(_pg_ctl("restart"))
    try:
        yield
        await restart
    finally:
        if not restart.done():
            await asyncio.gather(restart, return_exceptions=True)
        if not await _ready():
            await _pg_ctl("start")
        await eventually(_ready, within=PG_CTL_TIMEOUT_SECONDS, what="PostgreSQL answers again", every=0.5)


def answers_sent(stack: Stack) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return await stack.unsent_answers() == 0

    return check


@pytest.fixture
def postgres_only(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("restarts the PostgreSQL server")
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        pytest.fail("pg_ctlcluster is needed to restart the test's PostgreSQL")


@pytest.mark.usefixtures("postgres_only")
async def test_a_postgres_restart_fails_requests_cleanly_and_loses_nothing(stack: Stack) -> None:
    answers: Counter[int] = Counter()
    retry_after: set[str] = set()
    restarted = asyncio.Event()

    async with asyncio.timeout(150), stack.client() as client:
        trader = await stack.trader(client)
        slots = asyncio.Semaphore(CONCURRENT_CLIENTS)

        async def submit(n: int, document: dict[str, Any]) -> uuid.UUID:
            """Submit until accepted, retrying a 503 (or a dropped connection) as a client should."""
            async with slots:
                while True:
                    try:
                        response = await client.post(
                            DECLARATIONS, json=document, headers={**trader, "Idempotency-Key": f"pg-restart-{n}"}
                        )
                    except httpx.TransportError:
                        await asyncio.sleep(0.5)
                        continue
                    answers[response.status_code] += 1
                    if response.status_code == 503:
                        assert response.headers["content-type"] == "application/problem+json"
                        retry_after.add(response.headers["retry-after"])
                        await asyncio.sleep(0.5)
                        continue
                    assert response.status_code == 201, response.text
                    if n % 3 == 0:
                        await restarted.wait()  # some clients keep submitting after the restart too
                    return uuid.UUID(response.json()["id"])

        submitting = asyncio.gather(*(submit(n, d) for n, d in enumerate(documents(DECLARATION_COUNT))))
        await eventually(lambda: asyncio.sleep(0, answers[201] >= 10), within=30, what="submissions under way")
        async with postgres_restarting():
            await asyncio.sleep(0.2)
        restarted.set()
        accepted = set(await submitting)
        await stack.engine.dispose()  # the test's own reader lost its connections too
        await eventually(stack.all_released, within=60, every=0.25, what="every declaration released")
        await eventually(answers_sent(stack), within=20, every=0.25, what="every agency answer sent")

    assert len(accepted) == DECLARATION_COUNT
    assert set(answers) <= {201, 503}, f"only accepted or a clean, retryable refusal: {answers}"
    assert answers[503] > 0, "the restart was seen by some request"
    assert retry_after, "every 503 said when to retry"
    assert all(value.isdigit() for value in retry_after)
    assert stack.api.running, "the API server recovered by itself"
    assert stack.worker.running, "the worker recovered by itself"
    await stack.assert_nothing_lost(accepted)
