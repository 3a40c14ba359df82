"""Agency officers publish a data class and query what a live grant gives them, in the portal."""

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from support.documents import import_declaration
from support.exchange import INBOUND, decision, submit
from support.portal import Portal
from support.sharing import API, RISK_FINDINGS

from singlewindow.demo import DEMO_TRADER_USCC

Browser = Callable[[], Awaitable[Portal]]
Officer = Callable[[str], Awaitable[str]]
CODE = RISK_FINDINGS["code"]


async def _signed_in(browser: Browser, officer: Officer, code: str) -> Portal:
    portal = await browser()
    await portal.login(await officer(code))
    return portal


def _publish_form(**changes: Any) -> list[tuple[str, str]]:
    body = {k: RISK_FINDINGS[k] for k in ("code", "name_zh", "name_en", "description", "source")} | changes
    return [*body.items(), *(("element", e) for e in RISK_FINDINGS["elements"])]


async def test_an_officer_publishes_a_class_and_a_granted_agency_queries_a_risk_history(
    client: httpx.AsyncClient, agency: Any, browser: Browser, officer: Officer, trader: dict[str, str], run: Any
) -> None:
    customs = await _signed_in(browser, officer, "customs")
    quarantine = await _signed_in(browser, officer, "inspection_quarantine")
    form = await customs.get("/sharing/publish")
    assert 'id="publish-form"' in form.text
    assert "风险处置记录" in form.text

    bad = await customs.post("/sharing/publish", _publish_form(code="X"))
    assert bad.status_code == 422
    assert 'id="sharing-problems"' in bad.text
    assert "code:" in bad.text
    published = await customs.post("/sharing/publish", _publish_form())
    assert published.status_code == 303, published.text
    listed = (await client.get(f"{API}/data-classes", headers=(await agency("commerce")).headers)).json()
    assert [(c["code"], c["publisher"], c["source"]) for c in listed] == [(CODE, "customs", "risk_findings")]

    asked = await quarantine.post(
        f"/sharing/{CODE}/request",
        [
            ("purpose", "risk profiling of importers"),
            ("element", "SW0006"),
            ("element", "SW0082"),
            ("element", "SW0083"),
        ],
    )
    assert asked.status_code == 303
    decide = await customs.get("/sharing/decide")
    assert 'name="finding"' in decide.text
    request_id = re.search(r'id="request-([0-9a-f-]{36})"', decide.text)
    assert request_id, decide.text
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    granted = await customs.post(
        f"/sharing/requests/{request_id.group(1)}/grant",
        [
            ("element", "SW0006"),
            ("element", "SW0082"),
            ("element", "SW0083"),
            ("finding", "reject"),
            ("expires_on", tomorrow),
        ],
    )
    assert granted.status_code == 303
    created = await submit(client, trader, import_declaration())
    await run(simulators=False)
    for answer, reason in [("inspect", None), ("reject", "goods description does not match the invoice")]:
        envelope = decision(str(created["id"]), answer, reason=reason)
        assert (await client.post(INBOUND, json=envelope, headers=(await agency("customs")).headers)).is_success

    held = await quarantine.get("/sharing/requests")
    assert f"/sharing/{CODE}/records" in held.text
    page = await quarantine.get(f"/sharing/{CODE}/records?enterprise={DEMO_TRADER_USCC}")
    assert page.status_code == 200, page.text
    assert "goods description does not match the invoice" in page.text
    assert "共 1 条记录" in page.text
    assert ">inspect<" not in page.text
    other = await quarantine.get(f"/sharing/{CODE}/records?enterprise=914403001922038216")
    assert "共 0 条记录" in other.text

    commerce = await _signed_in(browser, officer, "commerce")
    denied = await commerce.get(f"/sharing/{CODE}/records")
    assert denied.status_code == 403
    assert 'id="sharing-denied"' in denied.text
    log = await customs.get("/sharing/log")
    assert "已拒绝: no grant" in log.text
    assert len(re.findall(r"<tr[^>]*><td>[^<]+</td><td><code>", log.text)) == 3
    await customs.get("/lang/en?next=/portal/sharing/publish")
    assert "Publish a data class" in (await customs.get("/sharing/publish")).text
