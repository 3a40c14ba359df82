"""Agency decisions arrive through the inbound API at least once, in any order; each counts once.

The simulators receive the declaration (``run(simulators=False)`` delivers it) but their
own answers stay unsent, so every decision here is one the test posts as the agency system.
"""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from support.documents import import_declaration
from support.exchange import (
    DECLARATIONS,
    INBOUND,
    agency_statuses,
    decision,
    fetch,
    inbox,
    inbox_count,
    submit,
)

from singlewindow.app import Platform
from singlewindow.kit.clock import utcnow


@pytest.fixture
async def declaration(client: httpx.AsyncClient, trader: dict[str, str], run: Any) -> str:
    """A declaration customs and maritime have received and are reviewing (its duties guaranteed); its id."""
    created = await submit(client, trader, import_declaration())
    await run(simulators=False)
    declaration = await fetch(client, trader, created["id"])
    assert agency_statuses(declaration) == {"customs": "in_review", "maritime": "in_review", "treasury": "released"}
    return str(created["id"])


@pytest.fixture
async def customs(agency: Any) -> dict[str, str]:
    headers: dict[str, str] = (await agency("customs")).headers
    return headers


async def post(client: httpx.AsyncClient, headers: dict[str, str], envelope: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(INBOUND, json=envelope, headers=headers)
    assert response.status_code == 202, response.text
    return response.json()  # type: ignore[no-any-return]


async def decision_events(client: httpx.AsyncClient, trader: dict[str, str], declaration_id: str) -> list[Any]:
    """Decisions of the agency systems (the in-process treasury's release under the test guarantee left out)."""
    timeline = (await client.get(f"{DECLARATIONS}/{declaration_id}/events", headers=trader)).json()
    return [e for e in timeline if e["kind"] == "agency_decision" and e["agency"] != "treasury"]


async def test_the_same_decision_twice_is_applied_once(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    agency: Any,
    customs: dict[str, str],
    declaration: str,
    platform: Platform,
) -> None:
    envelope = decision(declaration, "release")
    first = await post(client, customs, envelope)
    after_first = await fetch(client, trader, declaration)
    second = await post(client, customs, envelope)

    assert first == {"message_id": envelope["message_id"], "duplicate": False, "outcome": "applied: customs released"}
    assert second == {**first, "duplicate": True}
    assert await fetch(client, trader, declaration) == after_first
    assert agency_statuses(after_first) == {"customs": "released", "maritime": "in_review", "treasury": "released"}
    assert [m.sender_message_id for m in await inbox(platform)] == [envelope["message_id"]]

    maritime = (await agency("maritime")).headers
    await post(client, maritime, decision(declaration, "release"))
    assert (await post(client, customs, envelope))["duplicate"] is True

    assert (await fetch(client, trader, declaration))["status"] == "released"
    events = await decision_events(client, trader, declaration)
    assert [(e["agency"], e["status"]) for e in events] == [("customs", "released"), ("maritime", "released")]
    assert events[0]["detail"]["message_id"] == envelope["message_id"]


@pytest.mark.parametrize("arrival", ["in order", "newest first"])
async def test_the_latest_decision_wins_whatever_the_arrival_order(
    client: httpx.AsyncClient, trader: dict[str, str], customs: dict[str, str], declaration: str, arrival: str
) -> None:
    t1 = utcnow()
    inspect = decision(declaration, "inspect", issued_at=t1, message_id="c-inspect")
    passed = decision(declaration, "inspection_passed", issued_at=t1 + timedelta(minutes=40), message_id="c-passed")
    arrivals = [inspect, passed] if arrival == "in order" else [passed, inspect]

    outcomes = {e["message_id"]: (await post(client, customs, e))["outcome"] for e in arrivals}

    declaration_now = await fetch(client, trader, declaration)
    assert agency_statuses(declaration_now)["customs"] == "released"
    assert outcomes["c-passed"] == "applied: customs released"
    if arrival == "in order":
        assert outcomes["c-inspect"] == "applied: customs inspection"
    else:
        assert outcomes["c-inspect"].startswith("ignored: older than the decision already applied")
        assert [e["detail"]["decision"] for e in await decision_events(client, trader, declaration)] == [
            "inspection_passed"
        ]


async def test_a_decision_on_a_superseded_revision_is_ignored(
    client: httpx.AsyncClient, trader: dict[str, str], customs: dict[str, str], declaration: str
) -> None:
    amended = await client.put(
        f"{DECLARATIONS}/{declaration}", json=import_declaration(reference="DEMO-IMP-0001-A"), headers=trader
    )
    assert amended.status_code == 200, amended.text
    assert amended.json()["revision"] == 2

    late = await post(client, customs, decision(declaration, "release", revision=1))
    assert late["outcome"] == "ignored: revision 1 is not the current revision 2"
    assert agency_statuses(await fetch(client, trader, declaration))["customs"] == "pending"
    assert await decision_events(client, trader, declaration) == []

    current = await post(client, customs, decision(declaration, "release", revision=2))
    assert current["outcome"] == "applied: customs released"


async def test_only_the_system_of_an_agency_the_declaration_was_routed_to_may_answer(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    operator: dict[str, str],
    agency: Any,
    declaration: str,
    platform: Platform,
) -> None:
    commerce = (await agency("commerce")).headers
    not_routed = await client.post(INBOUND, json=decision(declaration, "release"), headers=commerce)
    assert not_routed.status_code == 404
    assert "was not routed to commerce" in not_routed.json()["detail"]
    for headers, status in [(trader, 403), (operator, 403), ({}, 401)]:
        response = await client.post(INBOUND, json=decision(declaration, "release"), headers=headers)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert await inbox_count(platform) == 0
    assert agency_statuses(await fetch(client, trader, declaration)) == {
        "customs": "in_review",
        "maritime": "in_review",
        "treasury": "released",
    }


async def test_a_bad_payload_is_refused_stores_nothing_and_can_be_corrected(
    client: httpx.AsyncClient, trader: dict[str, str], customs: dict[str, str], declaration: str, platform: Platform
) -> None:
    bad_payloads: list[tuple[dict[str, Any], str]] = [
        ({"decision": "maybe"}, "$.payload.decision"),
        ({"decision": "reject"}, "$.payload"),
        ({"decision": "release", "comment": "ok"}, "$.payload.comment"),
        ({}, "$.payload.decision"),
    ]
    for payload, loc in bad_payloads:
        envelope = {**decision(declaration, "release", message_id="c-0001"), "payload": payload}
        response = await client.post(INBOUND, json=envelope, headers=customs)
        assert response.status_code == 422, payload
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["loc"] for e in response.json()["errors"]] == [loc], payload
    assert await inbox_count(platform) == 0
    assert agency_statuses(await fetch(client, trader, declaration))["customs"] == "in_review"

    corrected = await post(client, customs, decision(declaration, "release", message_id="c-0001"))
    assert corrected == {"message_id": "c-0001", "duplicate": False, "outcome": "applied: customs released"}


async def test_a_bad_envelope_or_an_unknown_kind_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, customs: dict[str, str], declaration: str, platform: Platform
) -> None:
    bad_envelopes: list[tuple[dict[str, Any], str]] = [
        ({"subject_id": "not-a-uuid"}, "$.subject_id"),
        ({"revision": 0}, "$.revision"),
        ({"issued_at": None}, "$.issued_at"),
        ({"issued_at": "2024-05-01T10:00:00"}, "$.issued_at"),  # no zone: "later" would be a guess
        ({"message_id": ""}, "$.message_id"),
        ({"kind": "Decision!"}, "$.kind"),
        ({"sender": "customs"}, "$.sender"),
    ]
    for change, loc in bad_envelopes:
        response = await client.post(INBOUND, json={**decision(declaration, "release"), **change}, headers=customs)
        assert response.status_code == 422, change
        assert [e["loc"] for e in response.json()["errors"]] == [loc], change

    unknown = await client.post(
        INBOUND, json={**decision(declaration, "release"), "kind": "tariff_notice"}, headers=customs
    )
    assert unknown.status_code == 422
    assert unknown.headers["content-type"] == "application/problem+json"
    assert "no handler for message kind 'tariff_notice'" in unknown.json()["detail"]
    assert await inbox_count(platform) == 0
