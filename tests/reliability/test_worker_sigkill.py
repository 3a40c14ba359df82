"""Kill -9 the worker mid-delivery, or the API server mid-submission: nothing accepted is lost.

Real ``singlewindow serve`` and ``singlewindow worker`` processes on the test database; the
simulated agencies answer through the API server as agency systems would.
"""

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from support.deployment import DECLARATIONS, IN_FLIGHT, Stack, keyed
from support.processes import eventually

pytestmark = pytest.mark.reliability
DECLARATIONS_WHILE_THE_WORKER_DIES = 60
"""About 200 messages: more than a dispatch batch (50), so the kill finds some delivered and some in flight."""
DECLARATIONS_WHILE_THE_SERVER_DIES = 50
ACCEPTED_BEFORE_THE_SERVER_DIES = 15
CLERKS = 8
"""Requests in flight at once."""
BUDGET_SECONDS = 55


def seconds_left(budget: asyncio.Timeout) -> float:
    """What remains of the test's time budget, less a moment to report where things stand."""
    deadline = budget.when()
    assert deadline is not None
    return deadline - asyncio.get_running_loop().time() - 1


@dataclass
class Submissions:
    """What the trader's clerks got back, by Idempotency-Key; ``lost`` got no answer at all."""

    accepted: dict[str, uuid.UUID] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    server_up: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.server_up.set()


async def post(client: httpx.AsyncClient, headers: dict[str, str], document: dict[str, Any], key: str) -> uuid.UUID:
    response = await client.post(DECLARATIONS, json=document, headers={**headers, "Idempotency-Key": key})
    assert response.status_code in (200, 201), response.text
    return uuid.UUID(response.json()["id"])


async def submit_all(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    batch: dict[str, dict[str, Any]],
    outcome: Submissions,
    *,
    may_lose: bool = False,
) -> None:
    """Submit each document of ``batch`` (by Idempotency-Key) once, ``CLERKS`` at a time.

    A dropped connection is recorded in ``outcome.lost``, not retried.
    """
    work = iter(batch.items())

    async def clerk() -> None:
        for key, document in work:
            await outcome.server_up.wait()
            try:
                outcome.accepted[key] = await post(client, headers, document, key)
            except httpx.TransportError:
                if not may_lose:
                    raise
                outcome.lost.append(key)

    await asyncio.gather(*(clerk() for _ in range(CLERKS)))


async def test_a_worker_killed_mid_delivery_loses_no_message(stack: Stack) -> None:
    batch = keyed("worker-kill", DECLARATIONS_WHILE_THE_WORKER_DIES)
    submissions = Submissions()

    async def some_delivered_some_in_flight() -> bool:
        states = await stack.outbox()
        return states["delivered"] > 0 and states[IN_FLIGHT] > 0

    async with asyncio.timeout(BUDGET_SECONDS) as budget, stack.client() as client:
        trader = await stack.trader(client)
        async with asyncio.TaskGroup() as background:
            background.create_task(submit_all(client, trader, batch, submissions))
            await eventually(some_delivered_some_in_flight, within=20, every=0.02, what="deliveries under way")
            await stack.worker.sigkill()
            at_kill = await stack.outbox()
            await stack.worker.start()

        assert at_kill[IN_FLIGHT] > 0, f"the worker died holding no message: {at_kill}"
        assert len(submissions.accepted) == len(batch)
        await stack.until_settled(within=seconds_left(budget))

    assert stack.worker.starts == 2
    await stack.assert_nothing_lost(set(submissions.accepted.values()))


async def test_an_api_server_killed_mid_submission_loses_no_accepted_declaration(stack: Stack) -> None:
    batch = keyed("api-kill", DECLARATIONS_WHILE_THE_SERVER_DIES)
    submissions = Submissions()

    async def crash_and_restart_the_server() -> None:
        async def enough_accepted() -> bool:
            return len(submissions.accepted) >= ACCEPTED_BEFORE_THE_SERVER_DIES

        await eventually(enough_accepted, within=20, every=0.01, what="declarations accepted before the crash")
        submissions.server_up.clear()
        await stack.api.sigkill()
        await stack.api.start()
        submissions.server_up.set()

    async with asyncio.timeout(BUDGET_SECONDS) as budget, stack.client() as client:
        trader = await stack.trader(client)
        await asyncio.gather(
            crash_and_restart_the_server(), submit_all(client, trader, batch, submissions, may_lose=True)
        )
        assert stack.api.starts == 2
        assert submissions.lost, "the crash cut no request off"
        assert len(submissions.accepted) + len(submissions.lost) == len(batch)
        assert len(submissions.accepted) >= ACCEPTED_BEFORE_THE_SERVER_DIES

        await stack.until_settled(within=seconds_left(budget) - 5)  # and 5 s to retry what was cut off
        await stack.assert_nothing_lost(set(submissions.accepted.values()))

        # A request cut off by the crash was either stored whole or not at all: retried under
        # its Idempotency-Key it returns the stored declaration, or is accepted now, never twice.
        stored_without_answer = set(await stack.statuses()) - set(submissions.accepted.values())
        retried = {await post(client, trader, batch[key], key) for key in submissions.lost}
        assert stored_without_answer <= retried
        assert len(await stack.statuses()) == len(batch)
