"""The local RabbitMQ for the broker tests: queues of one test's own, and an outage that always ends.

The broker runs on 127.0.0.1:5672 (``scripts/services.sh`` starts it). Each test uses a
queue prefix of its own and deletes its queues afterwards, so tests never see each other's messages.
"""

import asyncio
import contextlib
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import pytest

from support.deployment import Stack, reader, seed
from support.processes import ApiServer, Node, free_port, platform_env

URL = "amqp://guest:guest@127.0.0.1:5672/"
RABBITMQCTL = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
CTL_TIMEOUT_SECONDS = 60
SHARDS = 2


def unique_prefix() -> str:
    return f"sw-test-{uuid.uuid4().hex[:10]}"


async def reachable() -> bool:
    try:
        connection = await aio_pika.connect(URL, timeout=3)
    except Exception:
        return False
    await connection.close()
    return True


async def require_broker() -> None:
    if not await reachable():
        pytest.fail("RabbitMQ is not answering on 127.0.0.1:5672: run scripts/services.sh")


async def delete_queues(prefix: str, shards: int) -> None:
    connection = await aio_pika.connect(URL, timeout=5)
    async with connection:
        channel = await connection.channel()
        for shard in range(shards):
            await channel.queue_delete(f"{prefix}.{shard}")


async def purge_queues(prefix: str, shards: int) -> None:
    connection = await aio_pika.connect(URL, timeout=5)
    async with connection:
        channel = await connection.channel()
        for shard in range(shards):
            await (await channel.declare_queue(f"{prefix}.{shard}", passive=True)).purge()


async def queued(prefix: str, shards: int) -> int:
    """Messages waiting in a test's queues (ready, not counting those held unacknowledged)."""
    connection = await aio_pika.connect(URL, timeout=5)
    async with connection:
        channel = await connection.channel()
        total = 0
        for shard in range(shards):
            queue = await channel.declare_queue(f"{prefix}.{shard}", passive=True)
            total += queue.declaration_result.message_count or 0
        return total


async def _ctl(*args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        RABBITMQCTL, *args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), CTL_TIMEOUT_SECONDS)
    assert process.returncode == 0, f"rabbitmqctl {' '.join(args)}: {stderr.decode(errors='replace')}"


@asynccontextmanager
async def broker_stopped() -> AsyncIterator[None]:
    """RabbitMQ's application stopped (the node stays up); started again whatever happens inside."""
    await _ctl("stop_app")
    try:
        yield
    finally:
        await _ctl("start_app")
        await _ctl("await_startup")


@dataclass
class Deployment:
    """API nodes and workers as real processes sharing one database and one RabbitMQ."""

    apis: list[ApiServer]
    workers: list[Node]
    stack: Stack
    prefix: str

    async def stop(self) -> None:
        await asyncio.gather(*(node.stop() for node in [*self.apis, *self.workers]))


@asynccontextmanager
async def deployment(
    database_url: str, logs: Path, *, api_nodes: int = 1, workers: int = 1
) -> AsyncIterator[Deployment]:
    """Seeded database, ``api_nodes`` × ``singlewindow serve`` and ``workers`` × ``singlewindow worker`` on RabbitMQ.

    The simulated agencies are reached through the first API node, as one address would be.
    """
    await require_broker()
    prefix = unique_prefix()
    ports = [free_port() for _ in range(api_nodes)]
    public_url = f"http://127.0.0.1:{ports[0]}"
    await seed(database_url, public_url)
    env = platform_env(
        database_url,
        public_url,
        SW_DATA_DIR=str(logs),
        SW_EXCHANGE_BACKEND="rabbitmq",
        SW_RABBITMQ_QUEUE_PREFIX=prefix,
        SW_RABBITMQ_SHARDS=str(SHARDS),
        SW_DISPATCH_POLL_SECONDS="0.05",
        SW_DISPATCH_LEASE_SECONDS="3",
        SW_RABBITMQ_PREFETCH="8",  # every node shares two cores here: a deep prefetch only queues at the agencies
        SW_DELIVERY_TIMEOUT_SECONDS="10",
        SW_RETRY_BASE_SECONDS="0.2",
        SW_RETRY_CAP_SECONDS="1",
        SW_RETRY_MAX_ATTEMPTS="60",
        SW_SIMULATOR_INSPECTION_DELAY_SECONDS="0.2",
    )
    apis = [
        ApiServer(
            f"api{n}", ["serve", "--host", "127.0.0.1", "--port", str(port)], env, logs / f"api{n}.log", port=port
        )
        for n, port in enumerate(ports)
    ]
    nodes = [Node(f"worker{n}", ["worker"], env, logs / f"worker{n}.log") for n in range(workers)]
    deployed = Deployment(apis, nodes, Stack(apis[0], nodes[0], reader(database_url)), prefix)
    try:
        await asyncio.gather(*(node.start() for node in [*apis, *nodes]))
        yield deployed
    finally:
        await deployed.stop()
        await deployed.stack.engine.dispose()
        with contextlib.suppress(Exception):
            await delete_queues(prefix, SHARDS)
