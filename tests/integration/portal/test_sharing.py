"""Agency officers share data in the portal: the catalogue, requests, grants to decide, the access log."""

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from support.portal import Portal
from support.sharing import API, RELEASED_CARGO

Browser = Callable[[], Awaitable[Portal]]
Officer = Callable[[str], Awaitable[str]]


async def _signed_in(browser: Browser, officer: Officer, code: str) -> Portal:
    portal = await browser()
    await portal.login(await officer(code))
    return portal


async def test_request_grant_and_log_in_the_portal(
    client: httpx.AsyncClient, agency: Any, browser: Browser, officer: Officer
) -> None:
    customs_api = await agency("customs")
    assert (await client.post(f"{API}/data-classes", json=RELEASED_CARGO, headers=customs_api.headers)).is_success
    quarantine = await _signed_in(browser, officer, "inspection_quarantine")
    customs = await _signed_in(browser, officer, "customs")
    code = RELEASED_CARGO["code"]

    catalogue = await quarantine.get("/sharing")
    assert RELEASED_CARGO["name_zh"] in catalogue.text
    assert "数据目录" in catalogue.text
    no_elements = await quarantine.post(f"/sharing/{code}/request", {"purpose": "risk profiling"})
    assert no_elements.status_code == 422
    assert 'id="sharing-problems"' in no_elements.text
    asked = await quarantine.post(
        f"/sharing/{code}/request", [("purpose", "risk profiling"), ("element", "SW0018"), ("element", "SW0010")]
    )
    assert asked.status_code == 303
    assert 'data-status="pending"' in (await quarantine.get("/sharing/requests")).text

    decide = await customs.get("/sharing/decide")
    request_id = re.search(r'id="request-([0-9a-f-]{36})"', decide.text)
    assert request_id, decide.text
    path = f"/sharing/requests/{request_id.group(1)}/grant"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    bad_port = await customs.post(path, [("element", "SW0018"), ("port", "XXXXX"), ("expires_on", tomorrow)])
    assert bad_port.status_code == 422
    assert "filters.port[0]" in bad_port.text
    granted = await customs.post(path, [("element", "SW0018"), ("port", "CNSGH"), ("expires_on", tomorrow)])
    assert granted.status_code == 303
    made = await customs.get("/sharing/decide")
    assert "检验检疫" in made.text
    assert "port = CNSGH" in made.text

    held = await quarantine.get("/sharing/requests")
    assert 'data-status="granted"' in held.text
    assert "有效" in held.text
    query = await client.get(
        f"{API}/data-classes/{code}/records", headers=(await agency("inspection_quarantine")).headers
    )
    assert query.status_code == 200
    denied = await client.get(f"{API}/data-classes/{code}/records", headers=(await agency("commerce")).headers)
    assert denied.status_code == 403

    log = await customs.get("/sharing/log")
    rows = re.findall(r"<tr[^>]*><td>[^<]+</td><td><code>", log.text)
    assert len(rows) == 2
    assert "已提供" in log.text
    assert "已拒绝: no grant" in log.text
    await customs.get("/lang/en?next=/portal/sharing/log")
    assert "Denied: no grant" in (await customs.get("/sharing/log")).text
