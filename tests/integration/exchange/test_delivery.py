"""Delivery to agency systems: retries with backoff, dead letters and replay, the hashed archive, the CLI.

Faults are injected on the way to the customs simulator (``/simulators/customs/...``), so
the real dispatcher, adapter and simulator handle every attempt.
"""

import asyncio
import hashlib
import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from support.cli import Invoke
from support.documents import beef_import, import_declaration
from support.exchange import (
    DECLARATIONS,
    EXCHANGE,
    agency_statuses,
    fetch,
    inbox,
    only_outbox_row,
    outbox,
    submit,
)
from support.network import InProcessNetwork

from singlewindow.app import Platform
from singlewindow.exchange.dispatcher import Dispatcher
from singlewindow.exchange.models import OutboxStatus
from singlewindow.exchange.service import canonical_json
from singlewindow.kit.clock import utcnow
from singlewindow.settings import Settings
from singlewindow.simulators.models import SimulatorReceived

CUSTOMS = "/simulators/customs"
CUSTOMS_INBOX = f"{CUSTOMS}/messages"
SLACK = timedelta(milliseconds=2)
"""Rounding of the delay to whole microseconds, on both sides of a bound."""


async def dead_letter_for_customs(
    client: httpx.AsyncClient, trader: dict[str, str], network: InProcessNetwork, run: Any, platform: Platform
) -> tuple[str, uuid.UUID]:
    """Customs stays down past every attempt: the declaration's id and the dead outbox row's id."""
    network.fail(CUSTOMS, times=1000)
    created = await submit(client, trader, import_declaration())
    await run()
    row = await only_outbox_row(platform, "customs", created["id"])
    assert row.status is OutboxStatus.DEAD
    return created["id"], row.id


def health_of(response: httpx.Response) -> dict[str, dict[str, int]]:
    assert response.status_code == 200, response.text
    return {h.pop("destination"): h for h in response.json()}


@pytest.mark.parametrize("fault", [503, None], ids=["503", "connection-dropped"])
async def test_an_agency_that_is_down_gets_the_message_after_retries_with_backoff(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    platform: Platform,
    settings: Settings,
    network: InProcessNetwork,
    run: Any,
    fault: int | None,
) -> None:
    settings.retry_base_seconds, settings.retry_cap_seconds = 0.04, 1.0
    network.fail(CUSTOMS, times=3, status=fault)
    created = await submit(client, trader, import_declaration())
    dispatcher = Dispatcher(platform.sessions, platform.registry, settings)

    for attempt in (1, 2, 3):
        row = await only_outbox_row(platform, "customs", created["id"])
        await asyncio.sleep(max(0.0, (row.next_attempt_at - utcnow()).total_seconds()))
        before = utcnow()
        assert await dispatcher.run_once() >= 1
        after = utcnow()
        row = await only_outbox_row(platform, "customs", created["id"])
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, attempt)
        assert row.last_error == ("HTTP 503: injected fault" if fault else "ConnectError: connection dropped")
        ceiling = timedelta(seconds=min(1.0, 0.04 * 2 ** (attempt - 1)))
        assert before + ceiling / 2 - SLACK <= row.next_attempt_at <= after + ceiling + SLACK, attempt

    await run()

    row = await only_outbox_row(platform, "customs", created["id"])
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.DELIVERED, 4, None)
    assert network.calls.count(CUSTOMS_INBOX) == 4
    declaration = await fetch(client, trader, created["id"])
    assert declaration["status"] == "released"
    assert agency_statuses(declaration) == {"customs": "released", "maritime": "released", "treasury": "released"}
    assert all(m.status is OutboxStatus.DELIVERED for m in await outbox(platform))


async def test_a_message_that_exhausts_its_attempts_is_dead_until_an_operator_replays_it(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    operator: dict[str, str],
    platform: Platform,
    network: InProcessNetwork,
    run: Any,
) -> None:
    declaration_id, dead_id = await dead_letter_for_customs(client, trader, network, run, platform)
    assert network.calls.count(CUSTOMS_INBOX) == 5  # retry_max_attempts in the test settings
    stuck = await fetch(client, trader, declaration_id)
    assert stuck["status"] == "in_review"
    assert agency_statuses(stuck) == {"customs": "pending", "maritime": "released", "treasury": "released"}

    listing = (await client.get(f"{EXCHANGE}/dead-letters", headers=operator)).json()
    assert listing["total"] == 1
    [letter] = listing["items"]
    assert letter["id"] == str(dead_id)
    assert (letter["destination"], letter["kind"], letter["subject_id"]) == ("customs", "declaration", declaration_id)
    assert (letter["status"], letter["attempts"], letter["last_error"]) == ("dead", 5, "HTTP 503: injected fault")
    health = health_of(await client.get(f"{EXCHANGE}/health", headers=operator))
    assert health["customs"] == {"pending": 0, "retrying": 0, "dead": 1, "delivered": 0}
    assert health["maritime"]["dead"] == 0

    forbidden = await client.post(f"{EXCHANGE}/dead-letters/{dead_id}/replay", headers=trader)
    assert forbidden.status_code == 403
    replayed = await client.post(f"{EXCHANGE}/dead-letters/{dead_id}/replay", headers=operator)
    assert replayed.status_code == 200, replayed.text
    assert (replayed.json()["status"], replayed.json()["attempts"]) == ("pending", 0)
    assert (await client.get(f"{EXCHANGE}/dead-letters", headers=operator)).json()["total"] == 0
    again = await client.post(f"{EXCHANGE}/dead-letters/{dead_id}/replay", headers=operator)
    assert again.status_code == 404

    network.faults.clear()
    await run()

    row = await only_outbox_row(platform, "customs", declaration_id)
    assert (row.status, row.attempts) == (OutboxStatus.DELIVERED, 1)
    assert (await fetch(client, trader, declaration_id))["status"] == "released"
    health = health_of(await client.get(f"{EXCHANGE}/health", headers=operator))
    assert health["customs"] == {"pending": 0, "retrying": 0, "dead": 0, "delivered": 1}


async def test_the_exchange_console_is_for_operators_only(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    for method, path in [
        ("GET", "/dead-letters"),
        ("GET", "/health"),
        ("POST", f"/dead-letters/{uuid.UUID(int=1)}/replay"),
        ("GET", "/counterparties"),
    ]:
        as_trader = await client.request(method, f"{EXCHANGE}{path}", headers=trader)
        anonymous = await client.request(method, f"{EXCHANGE}{path}")
        assert (as_trader.status_code, anonymous.status_code) == (403, 401), path
        assert as_trader.headers["content-type"] == "application/problem+json"


async def test_a_refusal_for_good_dead_letters_at_once_and_throttling_is_retried(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, network: InProcessNetwork, run: Any
) -> None:
    for status, attempts, outcome in [
        (400, 1, OutboxStatus.DEAD),
        (401, 1, OutboxStatus.DEAD),
        (429, 2, OutboxStatus.DELIVERED),
        (408, 2, OutboxStatus.DELIVERED),
    ]:
        calls_before = network.calls.count(CUSTOMS_INBOX)
        network.fail(CUSTOMS, times=1, status=status)
        created = await submit(client, trader, import_declaration())
        await run()
        row = await only_outbox_row(platform, "customs", created["id"])
        assert (row.status, row.attempts) == (outcome, attempts), status
        assert network.calls.count(CUSTOMS_INBOX) - calls_before == attempts, status
        declaration = await fetch(client, trader, created["id"])
        if outcome is OutboxStatus.DEAD:
            assert row.last_error == f"HTTP {status}: injected fault"
            assert declaration["status"] == "in_review"
        else:
            assert declaration["status"] == "released"


async def test_every_message_is_archived_with_the_hash_of_what_was_sent_and_received(
    client: httpx.AsyncClient, trader: dict[str, str], platform: Platform, run: Any
) -> None:
    created = await submit(client, trader, beef_import())
    await run()
    assert (await fetch(client, trader, created["id"]))["status"] == "released"

    sent = await outbox(platform)
    assert {m.destination for m in sent} == {"customs", "inspection_quarantine", "commerce", "maritime", "treasury"}
    for message in sent:
        assert message.status is OutboxStatus.DELIVERED
        assert message.sha256 == hashlib.sha256(message.body).hexdigest()
        assert json.loads(message.body)["message_id"] == str(message.id)
    async with platform.sessions() as session:
        at_agencies = {r.message_id: r.body for r in await session.scalars(select(SimulatorReceived))}
    simulated = [m for m in sent if m.destination != "treasury"]  # the treasury is in process, not a simulator
    assert {str(m.id): m.sha256 for m in simulated} == {
        message_id: hashlib.sha256(canonical_json(body)).hexdigest() for message_id, body in at_agencies.items()
    }
    received = await inbox(platform)
    assert len(received) == 6  # four decisions, and inspection results from customs and quarantine
    for answer in received:
        assert answer.sha256 == hashlib.sha256(answer.body).hexdigest()
        assert json.loads(answer.body)["message_id"] == answer.sender_message_id

    response = await client.get(f"{DECLARATIONS}/{created['id']}/messages", headers=trader)
    assert response.status_code == 200, response.text
    archive = response.json()
    assert {m["id"]: (m["sha256"], m["status"]) for m in archive["outbound"]} == {
        str(m.id): (m.sha256, "delivered") for m in sent
    }
    from_systems = [m for m in archive["inbound"] if m["sender"] != "treasury"]
    assert {m["sender_message_id"]: m["sha256"] for m in from_systems} == {
        m.sender_message_id: m.sha256 for m in received
    }
    assert all(m["outcome"].startswith("applied") for m in archive["inbound"])


async def test_an_operator_can_list_and_replay_dead_letters_from_the_command_line(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    platform: Platform,
    network: InProcessNetwork,
    run: Any,
    cli: Invoke,
) -> None:
    declaration_id, dead_id = await dead_letter_for_customs(client, trader, network, run, platform)

    listed = await cli("exchange", "dead-letters")
    lines = listed.output.splitlines()
    assert lines[0] == "1 dead letter(s)"
    assert lines[1].startswith(f"{dead_id}  customs ")
    assert "attempts=5  HTTP 503: injected fault" in lines[1]
    health = (await cli("exchange", "health")).output.splitlines()
    assert "pending=0 retrying=0 dead=1 delivered=0" in next(line for line in health if "customs" in line)

    replayed = await cli("exchange", "replay", str(dead_id))
    assert replayed.output.strip() == f"{dead_id} queued for customs"
    assert (await cli("exchange", "dead-letters")).output.splitlines() == ["0 dead letter(s)"]
    unknown = await cli("exchange", "replay", str(uuid.UUID(int=7)), exit_code=1)
    assert "no dead letter" in str(unknown.exception)

    network.faults.clear()
    await run()
    row = await only_outbox_row(platform, "customs", declaration_id)
    assert (row.status, row.attempts) == (OutboxStatus.DELIVERED, 1)
    assert (await fetch(client, trader, declaration_id))["status"] == "released"
