"""Agency officers: their queue, only what their agency receives, decisions through the inbound path."""

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from support.documents import beef_import, import_declaration
from support.portal import Portal

from singlewindow.app import Platform
from singlewindow.exchange.models import InboxMessage

Submit = Callable[[dict[str, Any]], Awaitable[str]]
Officer = Callable[[str], Awaitable[str]]
Browser = Callable[[], Awaitable[Portal]]


async def _officer_portal(browser: Browser, officer: Officer, code: str) -> Portal:
    portal = await browser()
    await portal.login(await officer(code))
    return portal


async def test_the_queue_holds_only_declarations_routed_to_the_agency(
    browser: Browser, officer: Officer, submit: Submit
) -> None:
    await submit(import_declaration(reference="SEA-1"))
    await submit({**import_declaration(reference="ROAD-1"), "transport_mode": "3"})
    maritime = await _officer_portal(browser, officer, "maritime")
    queue = await maritime.get("/queue")
    assert "SEA-1" in queue.text
    assert "ROAD-1" not in queue.text
    filtered = await maritime.get("/queue", params={"reference": "NOPE"})
    assert "SEA-1" not in filtered.text


async def test_the_queue_filters_on_our_task_document_type_and_submission_date(
    browser: Browser, officer: Officer, submit: Submit
) -> None:
    first = await submit(import_declaration(reference="SEA-1"))
    await submit(import_declaration(reference="SEA-2"))
    maritime = await _officer_portal(browser, officer, "maritime")
    await maritime.get(f"/queue/{first.rsplit('/', 1)[1]}")
    assert (await maritime.post(f"/queue/{first.rsplit('/', 1)[1]}/decide", {"decision": "inspect"})).status_code == 303

    inspecting = await maritime.get("/queue", params={"task": "inspection"})
    assert "SEA-1" in inspecting.text
    assert "SEA-2" not in inspecting.text
    assert 'value="inspection" selected' in inspecting.text.split('id="q-task"')[1].split("</select>")[0]
    cargo = await maritime.get("/queue", params={"document_type": "cargo_declaration"})
    assert "SEA-1" in cargo.text
    assert "SEA-2" in cargo.text
    vessels = await maritime.get("/queue", params={"document_type": "vessel_declaration"})
    assert "SEA-1" not in vessels.text
    today = datetime.now(UTC).date()
    assert "SEA-2" in (await maritime.get("/queue", params={"from": today.isoformat()})).text
    later = (today + timedelta(days=2)).isoformat()
    assert "SEA-2" not in (await maritime.get("/queue", params={"from": later})).text
    earlier = (today - timedelta(days=2)).isoformat()
    assert "SEA-2" not in (await maritime.get("/queue", params={"to": earlier})).text


async def test_the_task_page_shows_only_the_data_the_agency_receives(
    browser: Browser, officer: Officer, submit: Submit
) -> None:
    path = await submit(import_declaration())
    maritime = await _officer_portal(browser, officer, "maritime")
    task = await maritime.get(f"/queue/{path.rsplit('/', 1)[1]}")
    received = task.text.split('id="h-received"')[1]
    assert 'data-field="gross_weight_kg"' in received
    assert 'data-field="value"' not in received  # the maritime administration is not sent the invoice value
    assert "180000" not in received
    assert "EUR" not in received


async def test_a_decision_is_an_inbound_message_applied_like_a_systems_answer(
    browser: Browser, officer: Officer, submit: Submit, platform: Platform
) -> None:
    path = await submit(import_declaration())
    declaration_id = uuid.UUID(path.rsplit("/", 1)[1])
    maritime = await _officer_portal(browser, officer, "maritime")
    await maritime.get(f"/queue/{declaration_id}")
    decided = await maritime.post(f"/queue/{declaration_id}/decide", {"decision": "inspect"})
    assert decided.status_code == 303
    page = await maritime.get(f"/queue/{declaration_id}")
    assert 'data-status="inspection"' in page.text.split('id="h-task"')[1].split("</h2>")[0]
    async with platform.sessions() as session:
        inbox = (await session.scalars(select(InboxMessage).where(InboxMessage.subject_id == declaration_id))).one()
    assert inbox.sender == "maritime"
    assert inbox.sender_message_id.startswith("portal-")
    assert inbox.outcome == "applied: maritime inspection"
    assert inbox.sha256 == hashlib.sha256(inbox.body).hexdigest()
    passed = await maritime.post(f"/queue/{declaration_id}/decide", {"decision": "inspection_passed"})
    assert passed.status_code == 303
    assert 'data-status="released"' in (await maritime.get(f"/queue/{declaration_id}")).text


async def test_rejecting_without_a_reason_is_refused_with_the_apis_message(
    browser: Browser, officer: Officer, submit: Submit, platform: Platform
) -> None:
    path = await submit(import_declaration())
    customs = await _officer_portal(browser, officer, "customs")
    await customs.get(f"/queue/{path.rsplit('/', 1)[1]}")
    refused = await customs.post(f"/queue/{path.rsplit('/', 1)[1]}/decide", {"decision": "reject"})
    assert refused.status_code == 422
    assert "a reason is required with &#39;reject&#39;" in refused.text
    async with platform.sessions() as session:
        assert (await session.scalars(select(InboxMessage))).first() is None


async def test_an_officer_cannot_open_a_declaration_not_routed_to_the_agency(
    browser: Browser, officer: Officer, submit: Submit
) -> None:
    path = await submit(import_declaration())  # by sea: customs and maritime only
    border = await _officer_portal(browser, officer, "border_control")
    assert (await border.get(f"/queue/{path.rsplit('/', 1)[1]}")).status_code == 404


async def test_traders_and_officers_keep_to_their_own_desks(
    trader_portal: Portal, browser: Browser, officer: Officer
) -> None:
    assert (await trader_portal.get("/queue")).status_code == 403
    customs = await _officer_portal(browser, officer, "customs")
    assert (await customs.get("/declarations/new")).status_code == 403
    assert (await customs.get("/operations")).status_code == 403


async def test_beef_goes_to_three_agencies_each_with_its_own_view(
    browser: Browser, officer: Officer, submit: Submit
) -> None:
    path = await submit(beef_import())
    commerce = await _officer_portal(browser, officer, "commerce")
    task = await commerce.get(f"/queue/{path.rsplit('/', 1)[1]}")
    received = task.text.split('id="h-received"')[1]
    assert 'data-field="licence_number"' in received
    assert 'data-field="gross_weight_kg"' not in received
