"""E-mail verification, qualification applications decided by the granting agency, gating,
credit levels used by routing, and a customs broker declaring under a delegation."""

import re
from typing import Any

import httpx
from sqlalchemy import select, text
from support.accounts import sign_in
from support.clock import ManualClock, lookup_caches_on
from support.documents import import_declaration

from singlewindow.app import Platform
from singlewindow.demo import DEMO_TRADER_USCC
from singlewindow.identity.models import MailMessage

PASSWORD = "a long enough passphrase"
NEW_USCC = "9144030071526726XG"
BROKER_USCC = "914403001922038216"


def registration(uscc: str, username: str, roles: list[str], email: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": f"测试企业 Test enterprise {uscc[-4:]}",
        "uscc": uscc,
        "legal_representative": "张三 Zhang San",
        "roles": roles,
        "admin": {"username": username, "password": PASSWORD},
    }
    if email:
        body["contact_email"] = email
    return body


async def register(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, str]:
    assert (await client.post("/api/v1/enterprises", json=body)).status_code == 201
    token = await sign_in(client, body["admin"]["username"], PASSWORD)
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def mailed_token(platform: Platform, to: str) -> str:
    async with platform.sessions() as session:
        mail = await session.scalar(select(MailMessage).where(MailMessage.to == to))
    assert mail is not None, f"no mail to {to}"
    found = re.search(r"token: (\S+)", mail.body)
    assert found
    return found.group(1)


async def test_no_declaration_before_the_customs_registration_is_granted(
    client: httpx.AsyncClient, platform: Platform, run: Any
) -> None:
    admin = await register(client, registration(NEW_USCC, "new-admin", ["importer"], "trade@example.cn"))
    refused = await client.post("/api/v1/declarations", json=import_declaration(), headers=admin)
    assert refused.status_code == 403
    assert "customs_registration" in refused.json()["detail"]

    unverified = await client.post("/api/v1/qualifications", json={"kind": "customs_registration"}, headers=admin)
    assert unverified.status_code == 403
    assert unverified.json()["title"] == "E-mail not verified"
    token = await mailed_token(platform, "trade@example.cn")
    assert (await client.post("/api/v1/enterprises/verify-email", json={"token": "wrong-token-xyz"})).status_code == 404
    verified = await client.post("/api/v1/enterprises/verify-email", json={"token": token})
    assert verified.json()["email_verified_at"] is not None

    applied = await client.post("/api/v1/qualifications", json={"kind": "customs_registration"}, headers=admin)
    assert applied.status_code == 201, applied.text
    assert (applied.json()["status"], applied.json()["agency"]) == ("applied", "customs")
    again = await client.post("/api/v1/qualifications", json={"kind": "customs_registration"}, headers=admin)
    assert again.status_code == 409
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=admin)).status_code == 403

    await run()

    held = (await client.get("/api/v1/qualifications", headers=admin)).json()
    assert [(q["kind"], q["status"]) for q in held] == [("customs_registration", "granted")]
    assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=admin)).status_code == 201


async def test_each_qualification_goes_to_the_agency_that_grants_it(
    client: httpx.AsyncClient, platform: Platform, run: Any
) -> None:
    admin = await register(client, registration(NEW_USCC, "new-admin", ["importer", "carrier"], "a@example.cn"))
    await client.post("/api/v1/enterprises/verify-email", json={"token": await mailed_token(platform, "a@example.cn")})
    expected = {
        "customs_broker": "customs",
        "foreign_trade_operator": "commerce",
        "inspection_registration": "inspection_quarantine",
        "carrier_agent": "maritime",
    }
    for kind, agency in expected.items():
        applied = await client.post("/api/v1/qualifications", json={"kind": kind}, headers=admin)
        assert applied.json()["agency"] == agency
    unknown = await client.post("/api/v1/qualifications", json={"kind": "fishing_licence"}, headers=admin)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == "$.kind"

    await run()

    held = (await client.get("/api/v1/qualifications", headers=admin)).json()
    assert {q["kind"]: (q["agency"], q["status"]) for q in held} == {k: (a, "granted") for k, a in expected.items()}


async def test_a_refusal_from_the_agency_is_kept_and_a_second_answer_ignored(
    client: httpx.AsyncClient, platform: Platform, agency: Any
) -> None:
    admin = await register(client, registration(NEW_USCC, "new-admin", ["carrier"], "ops@example.cn"))
    await client.post(
        "/api/v1/enterprises/verify-email", json={"token": await mailed_token(platform, "ops@example.cn")}
    )
    applied = (await client.post("/api/v1/qualifications", json={"kind": "carrier_agent"}, headers=admin)).json()
    maritime, customs = await agency("maritime"), await agency("customs")

    def answer(message_id: str, decision: str) -> dict[str, Any]:
        return {
            "message_id": message_id,
            "kind": "qualification_decision",
            "subject_id": applied["id"],
            "revision": 1,
            "issued_at": "2026-11-23T10:00:00Z",
            "payload": {"decision": decision, "reason": "no vessel registered"},
        }

    inbound = "/api/v1/exchange/inbound"
    wrong_agency = await client.post(inbound, json=answer("c-1", "granted"), headers=customs.headers)
    assert wrong_agency.status_code == 404
    refused = await client.post(inbound, json=answer("m-1", "refused"), headers=maritime.headers)
    assert refused.json()["outcome"] == "refused"
    late = await client.post(inbound, json=answer("m-2", "granted"), headers=maritime.headers)
    assert late.json()["outcome"].startswith("ignored")
    held = (await client.get("/api/v1/qualifications", headers=admin)).json()
    assert [(q["status"], q["reason"]) for q in held] == [("refused", "no vessel registered")]


async def test_only_customs_sets_the_credit_level_and_routing_can_use_it(
    client: httpx.AsyncClient, trader: dict[str, str], operator: dict[str, str], agency: Any
) -> None:
    assert (await client.get("/api/v1/me", headers=trader)).json()["party"]["credit_level"] == "general"
    change = {"level": "untrustworthy", "reason": "unpaid duties"}
    path = f"/api/v1/enterprises/{DEMO_TRADER_USCC}/credit-level"
    quarantine = await agency("inspection_quarantine")
    assert (await client.put(path, json=change, headers=quarantine.headers)).status_code == 403
    customs = await agency("customs")
    assert (await client.put(path, json=change, headers=customs.headers)).status_code == 200
    assert (await client.get("/api/v1/me", headers=trader)).json()["party"]["credit_level"] == "untrustworthy"

    rules = (await client.get("/api/v1/routing/rules", headers=operator)).json()
    rules["rules"].append(
        {
            "id": "ciq-untrustworthy-declarant",
            "agency": "inspection_quarantine",
            "description": "Every import of an untrustworthy enterprise is inspected",
            "when": {"credit_level_in": ["untrustworthy"]},
        }
    )
    assert (await client.put("/api/v1/routing/rules", json=rules, headers=operator)).status_code == 200
    routed = (await client.post("/api/v1/declarations", json=import_declaration(), headers=trader)).json()
    assert "inspection_quarantine" in {a["agency"] for a in routed["agencies"]}

    restore = {"level": "aeo_advanced", "reason": "certified"}
    assert (await client.put(path, json=restore, headers=customs.headers)).status_code == 200
    plain = (await client.post("/api/v1/declarations", json=import_declaration(), headers=trader)).json()
    assert "inspection_quarantine" not in {a["agency"] for a in plain["agencies"]}


async def test_a_broker_declares_for_its_client_until_the_client_revokes(
    client: httpx.AsyncClient, trader: dict[str, str]
) -> None:
    broker = await register(client, registration(BROKER_USCC, "broker-admin", ["customs_broker"]))
    for_client = {**broker, "X-On-Behalf-Of": DEMO_TRADER_USCC}
    refused = await client.post("/api/v1/declarations", json=import_declaration(), headers=for_client)
    assert refused.status_code == 403
    assert refused.json()["title"] == "No delegation"

    granted = await client.post("/api/v1/delegations", json={"broker_uscc": BROKER_USCC}, headers=trader)
    assert granted.status_code == 201, granted.text
    declared = await client.post("/api/v1/declarations", json=import_declaration(), headers=for_client)
    assert declared.status_code == 201, declared.text
    seen_by_client = await client.get(f"/api/v1/declarations/{declared.json()['id']}", headers=trader)
    assert seen_by_client.status_code == 200
    me = (await client.get("/api/v1/me", headers=for_client)).json()
    assert me["party"]["uscc"] == DEMO_TRADER_USCC
    assert "users:manage" not in me["permissions"]
    assert (await client.get("/api/v1/api-keys", headers=for_client)).status_code == 403

    assert len((await client.get("/api/v1/delegations", headers=broker)).json()) == 1
    revoked = await client.delete(f"/api/v1/delegations/{granted.json()['id']}", headers=trader)
    assert revoked.json()["revoked_at"] is not None
    after = await client.post("/api/v1/declarations", json=import_declaration(), headers=for_client)
    assert after.status_code == 403


async def test_only_a_customs_broker_can_be_delegated_to(client: httpx.AsyncClient, trader: dict[str, str]) -> None:
    await register(client, registration(BROKER_USCC, "importer-admin", ["importer"]))
    response = await client.post("/api/v1/delegations", json={"broker_uscc": BROKER_USCC}, headers=trader)
    assert response.status_code == 404
    assert "customs broker" in response.json()["detail"]


async def test_a_qualification_withdrawn_by_another_node_stops_gating_here_within_the_ttl(
    client: httpx.AsyncClient, platform: Platform, trader: dict[str, str]
) -> None:
    """The grant is cached per process; SQL on its own connection plays the other node."""
    clock = ManualClock()
    with lookup_caches_on(clock, 3.0):
        assert (await client.post("/api/v1/declarations", json=import_declaration(), headers=trader)).status_code == 201
        async with platform.engine.begin() as connection:
            await connection.execute(text("UPDATE qualifications SET status = 'refused'"))
        still = await client.post("/api/v1/declarations", json=import_declaration(reference="CACHED-1"), headers=trader)
        assert still.status_code == 201
        clock.advance(3.0)
        refused = await client.post(
            "/api/v1/declarations", json=import_declaration(reference="CACHED-2"), headers=trader
        )
        assert refused.status_code == 403
        assert "customs_registration" in refused.json()["detail"]
