"""An agency that answers too slowly: each attempt times out, backs off, dead-letters, and replays."""

from typing import Any

import httpx
import pytest
from support.documents import import_declaration
from support.exchange import EXCHANGE, fetch, only_outbox_row, submit
from support.network import InProcessNetwork

from singlewindow.app import Platform
from singlewindow.exchange.models import OutboxStatus
from singlewindow.settings import Settings

CUSTOMS = "/simulators/customs"
TIMEOUT_SECONDS = 0.1


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"delivery_timeout_seconds": TIMEOUT_SECONDS})


async def test_a_slow_agency_times_out_to_a_dead_letter_and_a_replay_delivers(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    operator: dict[str, str],
    platform: Platform,
    network: InProcessNetwork,
    run: Any,
) -> None:
    network.slow(CUSTOMS, times=5, seconds=TIMEOUT_SECONDS * 5)
    created = await submit(client, trader, import_declaration())
    await run()

    row = await only_outbox_row(platform, "customs", created["id"])
    assert (row.status, row.attempts) == (OutboxStatus.DEAD, 5)
    assert row.last_error == f"no answer within {TIMEOUT_SECONDS}s"
    assert (await fetch(client, trader, created["id"]))["status"] == "in_review"

    replayed = await client.post(f"{EXCHANGE}/dead-letters/{row.id}/replay", headers=operator)
    assert replayed.status_code == 200, replayed.text
    await run()  # the agency answers in time again

    row = await only_outbox_row(platform, "customs", created["id"])
    assert (row.status, row.attempts) == (OutboxStatus.DELIVERED, 1)
    assert (await fetch(client, trader, created["id"]))["status"] == "released"
