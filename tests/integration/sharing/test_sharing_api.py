"""Publish → request → grant → query returns exactly the granted projection; nothing without a live grant."""

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from support.documents import import_declaration, sample
from support.sharing import API, CREDIT, RELEASED_CARGO, Share, tomorrow

from singlewindow.app import Platform
from singlewindow.audit.models import AuditRecord
from singlewindow.demo import DEMO_TRADER_NAME, DEMO_TRADER_USCC
from singlewindow.kit.clock import utcnow


async def records(client: httpx.AsyncClient, headers: dict[str, str], code: str = RELEASED_CARGO["code"]) -> Any:
    return await client.get(f"{API}/data-classes/{code}/records", headers=headers)


async def test_a_query_returns_exactly_the_granted_projection(
    client: httpx.AsyncClient, agency: Any, share: Share, released: Any
) -> None:
    grant = await share(requested=["SW0001", "SW0003", "SW0018"], elements=["SW0001", "SW0018"])
    assert (grant["subscriber"], grant["publisher"], grant["live"]) == ("inspection_quarantine", "customs", True)
    await released()

    found = await records(client, (await agency("inspection_quarantine")).headers)

    assert found.status_code == 200, found.text
    page = found.json()
    assert (page["total"], page["grant_id"]) == (1, grant["id"])
    assert page["items"][0]["data"] == {"type": "import", "goods": [{"hs_code": "847130"}, {"hs_code": "610910"}]}
    path = f"{API}/data-classes/{RELEASED_CARGO['code']}/records"
    newer = await client.get(
        path, params={"since": tomorrow()}, headers=(await agency("inspection_quarantine")).headers
    )
    assert newer.json()["total"] == 0


async def test_the_catalogue_maps_each_element_to_fields_of_the_canonical_document(
    client: httpx.AsyncClient, agency: Any, publish: Any, operator: dict[str, str]
) -> None:
    published = await publish()
    assert published["publisher"] == "customs"
    fields = {(f["path"], f["element"]) for f in published["fields"]["cargo_declaration"]}
    assert {("consignor.name", "SW0003"), ("consignee.name", "SW0003"), ("goods[].hs_code", "SW0018")} <= fields
    assert {element for _, element in fields} == set(RELEASED_CARGO["elements"])
    listed = await client.get(f"{API}/data-classes", headers=operator)
    assert [c["code"] for c in listed.json()] == [RELEASED_CARGO["code"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"elements": ["SW9999"]}, "$.elements[0]"),
        ({"elements": ["SW0040"]}, "$.elements[0]"),
        ({"document_types": ["fishing_permit"]}, "$.document_types[0]"),
        ({"source": "weather"}, "$.source"),
    ],
)
async def test_a_data_class_names_real_elements_of_real_document_types(
    client: httpx.AsyncClient, agency: Any, change: dict[str, Any], field: str
) -> None:
    customs = await agency("customs")
    refused = await client.post(f"{API}/data-classes", json={**RELEASED_CARGO, **change}, headers=customs.headers)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["loc"] == field
    assert (await client.get(f"{API}/data-classes", headers=customs.headers)).json() == []


async def test_records_outside_the_grant_filters_are_not_shared(
    client: httpx.AsyncClient, agency: Any, share: Share, released: Any
) -> None:
    await share(elements=["SW0007", "SW0018"], filters={"trade_mode": ["0110"], "port": ["CNSGH"]})
    await released()
    await released(reference="DEMO-IMP-1210", trade_mode="1210")

    page = (await records(client, (await agency("inspection_quarantine")).headers)).json()

    assert [item["data"]["trade_mode"] for item in page["items"]] == ["0110"]


async def test_a_grant_scope_is_checked_against_the_request_and_the_catalogue(
    client: httpx.AsyncClient, agency: Any, publish: Any
) -> None:
    await publish()
    subscriber, customs = await agency("inspection_quarantine"), await agency("customs")
    asked = await client.post(
        f"{API}/data-classes/{RELEASED_CARGO['code']}/requests",
        json={"purpose": "risk profiling", "elements": ["SW0018"]},
        headers=subscriber.headers,
    )
    grant_path = f"{API}/requests/{asked.json()['id']}/grant"
    bad = {"elements": ["SW0003"], "filters": {"trade_mode": ["9999"], "colour": ["red"]}, "expires_at": tomorrow()}
    refused = await client.post(grant_path, json=bad, headers=customs.headers)
    assert refused.status_code == 422
    assert {e["loc"] for e in refused.json()["errors"]} == {
        "$.elements[0]",
        "$.filters.trade_mode[0]",
        "$.filters.colour",
    }
    not_publisher = await client.post(grant_path, json={**bad, "filters": {}}, headers=subscriber.headers)
    assert not_publisher.status_code == 403
    again = await client.post(
        f"{API}/data-classes/{RELEASED_CARGO['code']}/requests",
        json={"purpose": "risk profiling", "elements": ["SW0018"]},
        headers=subscriber.headers,
    )
    assert again.status_code == 409


async def test_no_grant_refused_and_revoked_are_denied_and_logged(
    client: httpx.AsyncClient, agency: Any, share: Share, released: Any, platform: Platform
) -> None:
    grant = await share(elements=["SW0018"])
    await released()
    commerce, quarantine, customs = (
        await agency("commerce"),
        await agency("inspection_quarantine"),
        await agency("customs"),
    )

    no_grant = await records(client, commerce.headers)
    assert no_grant.status_code == 403
    assert "no grant" in no_grant.json()["detail"]
    assert (await records(client, quarantine.headers)).status_code == 200

    revoked = await client.post(
        f"{API}/grants/{grant['id']}/revoke", json={"reason": "purpose fulfilled"}, headers=customs.headers
    )
    assert revoked.json()["live"] is False
    after = await records(client, quarantine.headers)
    assert after.status_code == 403
    assert "grant revoked" in after.json()["detail"]

    log = (await client.get(f"{API}/access-log", headers=customs.headers)).json()
    seen = [(e["subscriber"], e["channel"], e["granted"], e["records"], e["reason"]) for e in log["items"]]
    assert seen == [
        ("inspection_quarantine", "query", False, 0, "grant revoked"),
        ("inspection_quarantine", "query", True, 1, None),
        ("commerce", "query", False, 0, "no grant"),
    ]
    assert (await client.get(f"{API}/access-log", headers=quarantine.headers)).json()["total"] == 0
    async with platform.sessions() as session:
        actions = set(await session.scalars(select(AuditRecord.action).where(AuditRecord.action.like("sharing.%"))))
    assert actions == {"sharing.published", "sharing.requested", "sharing.granted", "sharing.revoked"}


async def test_an_expired_grant_stops_working_at_once(
    client: httpx.AsyncClient, agency: Any, share: Share, released: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await share(elements=["SW0018"])
    await released()
    quarantine = await agency("inspection_quarantine")
    assert (await records(client, quarantine.headers)).status_code == 200

    later = utcnow().replace(year=utcnow().year + 1)
    monkeypatch.setattr("singlewindow.sharing.service.utcnow", lambda: later)

    expired = await records(client, quarantine.headers)
    assert expired.status_code == 403
    assert "grant expired" in expired.json()["detail"]


async def test_a_refused_request_grants_nothing(client: httpx.AsyncClient, agency: Any, publish: Any) -> None:
    await publish()
    quarantine, customs = await agency("inspection_quarantine"), await agency("customs")
    asked = await client.post(
        f"{API}/data-classes/{RELEASED_CARGO['code']}/requests",
        json={"purpose": "curiosity", "elements": ["SW0018"]},
        headers=quarantine.headers,
    )
    incoming = (await client.get(f"{API}/requests/incoming", headers=customs.headers)).json()
    assert [(r["requester"], r["status"]) for r in incoming] == [("inspection_quarantine", "pending")]
    refused = await client.post(
        f"{API}/requests/{asked.json()['id']}/refuse", json={"reason": "no legal basis"}, headers=customs.headers
    )
    assert refused.json()["status"] == "refused"
    mine = (await client.get(f"{API}/requests", headers=quarantine.headers)).json()
    assert [(r["status"], r["reason"]) for r in mine] == [("refused", "no legal basis")]
    assert (await records(client, quarantine.headers)).status_code == 403


async def test_enterprise_credit_levels_are_shared_the_same_way(
    client: httpx.AsyncClient, agency: Any, share: Share
) -> None:
    await share(body=CREDIT, elements=["SW0006", "SW0054"], filters={"credit_level": ["untrustworthy"]})
    quarantine, customs = await agency("inspection_quarantine"), await agency("customs")
    assert (await records(client, quarantine.headers, CREDIT["code"])).json()["total"] == 0

    path = f"/api/v1/enterprises/{DEMO_TRADER_USCC}/credit-level"
    changed = await client.put(path, json={"level": "untrustworthy", "reason": "smuggling"}, headers=customs.headers)
    assert changed.status_code == 200

    page = (await records(client, quarantine.headers, CREDIT["code"])).json()
    assert [item["data"] for item in page["items"]] == [{"uscc": DEMO_TRADER_USCC, "credit_level": "untrustworthy"}]
    assert DEMO_TRADER_NAME not in str(page)


async def test_enterprises_and_agencies_without_the_role_are_kept_out(
    client: httpx.AsyncClient, trader: dict[str, str], publish: Any
) -> None:
    await publish()
    assert (await client.get(f"{API}/data-classes", headers=trader)).status_code == 403
    assert (await records(client, trader)).status_code == 403


async def test_a_class_over_several_document_types_is_filtered_by_type(
    client: httpx.AsyncClient, agency: Any, share: Share, trader: dict[str, str], run: Any
) -> None:
    vessels_and_cargo = {
        **RELEASED_CARGO,
        "code": "port.arrivals",
        "document_types": ["cargo_declaration", "vessel_declaration"],
        "elements": ["SW0029", "SW0034", "SW0018"],
    }
    grant = await share(
        body=vessels_and_cargo, elements=["SW0029", "SW0034"], filters={"document_type": ["vessel_declaration"]}
    )
    assert grant["filters"] == {"document_type": ["vessel_declaration"]}
    documents = {"cargo_declaration": import_declaration(), "vessel_declaration": sample("vessel_declaration")}
    for document_type, document in documents.items():
        submitted = await client.post(f"/api/v1/declarations/{document_type}", json=document, headers=trader)
        assert submitted.status_code == 201, submitted.text
    await run()

    page = (await records(client, (await agency("inspection_quarantine")).headers, "port.arrivals")).json()

    assert [(i["document_type"], i["data"]) for i in page["items"]] == [
        ("vessel_declaration", {"vessel_name": "COSCO SHIPPING UNIVERSE", "port_of_call": "CNSGH"})
    ]
