"""The platform as deployed: a seeded database, one ``singlewindow serve`` and one ``singlewindow worker``.

The processes a test kills are this fixture's children; its teardown stops whatever still runs.
"""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support.deployment import Stack, reader, seed
from support.processes import api_server, free_port, platform_env, worker


@pytest.fixture
async def stack(database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    port = free_port()
    api_url = f"http://127.0.0.1:{port}"
    await seed(database_url, api_url)
    env = platform_env(
        database_url,
        api_url,
        SW_DATA_DIR=str(tmp_path),
        SW_DISPATCH_POLL_SECONDS="0.05",
        SW_DISPATCH_BATCH_SIZE="50",
        SW_DISPATCH_LEASE_SECONDS="12",
        SW_DELIVERY_TIMEOUT_SECONDS="10",
        SW_RETRY_BASE_SECONDS="0.2",
        SW_RETRY_CAP_SECONDS="1",
        SW_RETRY_MAX_ATTEMPTS="60",
        SW_SIMULATOR_INSPECTION_DELAY_SECONDS="0.2",
    )
    deployed = Stack(api_server(env, port, tmp_path), worker(env, tmp_path), reader(database_url))
    try:
        await asyncio.gather(deployed.api.start(), deployed.worker.start())
        yield deployed
    finally:
        await asyncio.gather(deployed.api.stop(), deployed.worker.stop())
        await deployed.engine.dispose()
