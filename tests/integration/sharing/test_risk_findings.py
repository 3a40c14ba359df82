"""Risk findings (inspections, rejections, inspection results) shared per enterprise, only within a live grant."""

import json
from typing import Any

import httpx
import pytest
from support.documents import import_declaration
from support.exchange import fetch, submit
from support.sharing import API, RISK_FINDINGS, Share

from singlewindow.demo import DEMO_TRADER_NAME, DEMO_TRADER_USCC
from singlewindow.kit.clock import utcnow

CODE = RISK_FINDINGS["code"]
OTHER_USCC = "914403001922038216"


@pytest.fixture
async def reviewed(client: httpx.AsyncClient, trader: dict[str, str], run: Any) -> str:
    """The demo trader's import, delivered to customs and maritime, who have not answered yet."""
    created = await submit(client, trader, import_declaration())
    await run(simulators=False)
    assert (await fetch(client, trader, created["id"]))["status"] == "in_review"
    return str(created["id"])


async def history(
    client: httpx.AsyncClient, headers: dict[str, str], enterprise: str = DEMO_TRADER_USCC
) -> httpx.Response:
    return await client.get(f"{API}/data-classes/{CODE}/records", params={"enterprise": enterprise}, headers=headers)


async def test_a_granted_agency_reads_an_enterprise_risk_history_within_its_scope(
    client: httpx.AsyncClient, agency: Any, share: Share, reviewed: str, decide: Any
) -> None:
    await share(
        body=RISK_FINDINGS,
        requested=["SW0006", "SW0003", "SW0082", "SW0083"],
        elements=["SW0006", "SW0082", "SW0083"],
        filters={"finding": ["inspection_failed", "reject"]},
    )
    await decide(reviewed, "customs", "inspect")
    await decide(reviewed, "customs", "inspection_failed", "undeclared lithium batteries in carton 3")
    await decide(reviewed, "maritime", "reject", "dangerous goods not declared to the MSA")
    quarantine = await agency("inspection_quarantine")

    found = await history(client, quarantine.headers)

    assert found.status_code == 200, found.text
    assert [item["data"] for item in found.json()["items"]] == [
        {"uscc": DEMO_TRADER_USCC, "finding": "inspection_failed", "detail": "undeclared lithium batteries in carton 3"}
    ]
    assert DEMO_TRADER_NAME not in found.text
    assert (await history(client, quarantine.headers, OTHER_USCC)).json()["total"] == 0
    everyone = await client.get(f"{API}/data-classes/{CODE}/records", headers=quarantine.headers)
    assert everyone.json()["total"] == 1


async def test_risk_findings_stop_with_the_grant_and_every_access_is_logged_for_the_publisher(
    client: httpx.AsyncClient,
    agency: Any,
    share: Share,
    reviewed: str,
    decide: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    grant = await share(body=RISK_FINDINGS, elements=["SW0006", "SW0082", "SW0080"])
    await decide(reviewed, "customs", "reject", "value understated against the invoice")
    quarantine, customs, commerce = (
        await agency("inspection_quarantine"),
        await agency("customs"),
        await agency("commerce"),
    )

    granted = (await history(client, quarantine.headers)).json()
    assert [item["data"]["finding"] for item in granted["items"]] == ["reject"]
    assert set(granted["items"][0]["data"]) == {"uscc", "finding", "decided_at"}
    assert (await history(client, commerce.headers)).status_code == 403
    later = utcnow().replace(year=utcnow().year + 1)
    monkeypatch.setattr("singlewindow.sharing.service.utcnow", lambda: later)
    expired = await history(client, quarantine.headers)
    assert expired.status_code == 403
    assert "grant expired" in expired.json()["detail"]
    monkeypatch.undo()
    revoked = await client.post(
        f"{API}/grants/{grant['id']}/revoke", json={"reason": "case closed"}, headers=customs.headers
    )
    assert revoked.status_code == 200
    assert (await history(client, quarantine.headers)).status_code == 403

    log = (await client.get(f"{API}/access-log", params={"data_class": CODE}, headers=customs.headers)).json()
    assert [(e["subscriber"], e["granted"], e["reason"]) for e in log["items"]] == [
        ("inspection_quarantine", False, "grant revoked"),
        ("inspection_quarantine", False, "grant expired"),
        ("commerce", False, "no grant"),
        ("inspection_quarantine", True, None),
    ]


async def test_a_release_is_no_risk_finding_and_findings_are_pushed_to_a_push_grant(
    client: httpx.AsyncClient, agency: Any, share: Share, reviewed: str, decide: Any
) -> None:
    await share(body=RISK_FINDINGS, elements=["SW0006", "SW0082"], push=True)
    await decide(reviewed, "maritime", "release")
    await decide(reviewed, "customs", "inspect")
    quarantine = await agency("inspection_quarantine")

    page = (await history(client, quarantine.headers)).json()

    assert [item["data"] for item in page["items"]] == [{"uscc": DEMO_TRADER_USCC, "finding": "inspect"}]
    log = (await client.get(f"{API}/access-log", headers=(await agency("customs")).headers)).json()
    assert [(e["channel"], e["records"]) for e in log["items"]] == [("query", 1), ("push", 1)]


async def test_an_enterprise_risk_history_from_the_cli(share: Share, reviewed: str, decide: Any, cli: Any) -> None:
    await share(body=RISK_FINDINGS, elements=["SW0006", "SW0082"])
    await decide(reviewed, "customs", "inspect")
    command = ("sharing", "query", CODE, "--agency", "inspection_quarantine", "--enterprise")

    mine = json.loads((await cli(*command, DEMO_TRADER_USCC)).output)
    other = json.loads((await cli(*command, OTHER_USCC)).output)

    assert [item["data"] for item in mine["items"]] == [{"uscc": DEMO_TRADER_USCC, "finding": "inspect"}]
    assert other["total"] == 0
