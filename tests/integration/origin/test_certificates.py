"""Certificates of origin: an application released through the core flow is issued a signed certificate once;
anyone verifies it; its e-CO XML validates and is received by a single window that trusts the issuer."""

import re
import uuid
from typing import Any

import httpx
from lxml import etree
from sqlalchemy import select, update
from support.trade_documents import certificate_content, origin_application

from singlewindow.app import Platform
from singlewindow.declarations.events import DeclarationStatusChanged
from singlewindow.kit.clock import utcnow
from singlewindow.origin import eco, signing
from singlewindow.origin import service as origin
from singlewindow.origin.models import Certificate

APPLY = "/api/v1/declarations/origin_certificate_application"
NUMBER = re.compile(r"^CN-RCEP-\d{4}-000001$")


async def issued(client: httpx.AsyncClient, trader: dict[str, str], run: Any, **changes: Any) -> dict[str, Any]:
    applied = await client.post(APPLY, json=origin_application(**changes), headers=trader)
    assert applied.status_code == 201, applied.text
    await run()
    certificates = (await client.get("/api/v1/origin/certificates", headers=trader)).json()
    assert len(certificates) == 1, certificates
    return dict(certificates[0])


async def test_a_released_application_is_issued_one_signed_certificate(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, platform: Platform
) -> None:
    certificate = await issued(client, trader, run)
    assert NUMBER.match(certificate["number"])
    assert (certificate["agreement"], certificate["importing_country"], certificate["status"]) == (
        "RCEP",
        "TH",
        "valid",
    )

    again = DeclarationStatusChanged(
        uuid.UUID(certificate["declaration_id"]), uuid.uuid4(), "DEMO-CO-0001", "in_review", "released", 1, utcnow(),
        origin.DOCUMENT_TYPE,
    )  # fmt: skip
    async with platform.sessions() as session:
        await origin.on_status_changed(session, again)
        await session.commit()
        count = len(list(await session.scalars(select(Certificate))))
    assert count == 1

    verified = await client.get(f"/api/v1/origin/certificates/{certificate['number']}/verify")
    assert verified.status_code == 200
    body = verified.json()
    assert (body["valid"], body["signature_valid"], body["status"]) == (True, True, "valid")
    assert body["certificate"]["goods"][0] == {
        "seq": 1, "hs_code": "847130", "description": "Portable automatic data processing machines (laptops), 14 inch",
        "quantity": "100", "unit": "C62", "gross_weight_kg": "320", "value": "45000.00", "origin_criterion": "CTC",
    }  # fmt: skip
    assert body["certificate"]["producer"] == {
        "name": "深圳示范电脑有限公司 Shenzhen Demo Computer Co., Ltd.",
        "address": "广东省深圳市南山区科技园 Science Park, Nanshan, Shenzhen",
        "country": "CN",
    }
    assert (await client.get("/api/v1/origin/certificates/CN-RCEP-2026-999999/verify")).status_code == 404


async def test_a_tampered_or_revoked_certificate_does_not_verify(
    client: httpx.AsyncClient, trader: dict[str, str], operator: dict[str, str], run: Any, platform: Platform
) -> None:
    number = (await issued(client, trader, run))["number"]
    revoked = await client.post(
        f"/api/v1/origin/certificates/{number}/revoke", json={"reason": "issued in error"}, headers=operator
    )
    assert revoked.json()["status"] == "revoked"
    body = (await client.get(f"/api/v1/origin/certificates/{number}/verify")).json()
    assert (body["valid"], body["signature_valid"], body["status"]) == (False, True, "revoked")

    async with platform.sessions() as session:
        row = await session.scalar(select(Certificate).where(Certificate.number == number))
        assert row is not None
        content = {**row.content, "importing_country": "JP"}
        await session.execute(update(Certificate).where(Certificate.number == number).values(content=content))
        await session.commit()
    tampered = (await client.get(f"/api/v1/origin/certificates/{number}/verify")).json()
    assert (tampered["valid"], tampered["signature_valid"]) == (False, False)


async def test_the_e_co_validates_and_is_received_by_a_window_that_trusts_its_issuer(
    client: httpx.AsyncClient, trader: dict[str, str], operator: dict[str, str], run: Any, platform: Platform
) -> None:
    number = (await issued(client, trader, run))["number"]
    exported = await client.get(f"/api/v1/origin/certificates/{number}/xml", headers=trader)
    assert exported.headers["content-type"].startswith("application/xml")
    assert eco.schema().validate(etree.fromstring(exported.content))
    assert "<Producer>\n    <Name>深圳示范电脑有限公司 Shenzhen Demo Computer Co., Ltd.</Name>" in exported.text

    xml_headers = {**operator, "Content-Type": "application/xml"}
    received = await client.post("/api/v1/origin/received", content=exported.content, headers=xml_headers)
    assert received.status_code == 201, received.text
    assert (received.json()["number"], received.json()["exporting_country"]) == (number, "CN")
    again = await client.post("/api/v1/origin/received", content=exported.content, headers=xml_headers)
    assert again.status_code == 409
    forged = exported.content.replace(b"<Value>45000.00</Value>", b"<Value>4500.00</Value>")
    refused = await client.post("/api/v1/origin/received", content=forged, headers=xml_headers)
    assert refused.status_code == 422
    assert refused.json()["title"] == "Signature not trusted"
    other_producer = exported.content.replace("深圳示范电脑".encode(), "别家".encode())
    refused = await client.post("/api/v1/origin/received", content=other_producer, headers=xml_headers)
    assert refused.json()["title"] == "Signature not trusted"

    async with platform.sessions() as session:
        assert await origin.valid_certificate(session, number, "8471300000", "CN") == "RCEP"
        assert await origin.valid_certificate(session, number, "850760", "CN") == "RCEP"
        assert await origin.valid_certificate(session, number, "610910", "CN") is None
        assert await origin.valid_certificate(session, number, "847130", "TH") is None
        assert await origin.valid_certificate(session, "CN-RCEP-2026-999999", "847130", "CN") is None


async def test_an_e_co_from_a_foreign_window_needs_its_issuer_trusted_first(
    client: httpx.AsyncClient, operator: dict[str, str], trader: dict[str, str], platform: Platform
) -> None:
    thai = signing.generate()
    content = certificate_content(
        number="TH-RCEP-2026-000042",
        exporting_country="TH",
        importing_country="CN",
        issuer={"country": "TH", "code": "customs", "name": "Thai Customs Department"},
    )
    xml = eco.render(content, signing.sign(content, thai.private_pem), thai.kid)
    headers = {**operator, "Content-Type": "application/xml"}
    untrusted = await client.post("/api/v1/origin/received", content=xml, headers=headers)
    assert untrusted.status_code == 422
    assert "not a trusted issuing body of TH" in untrusted.json()["detail"]

    issuer = {"country": "TH", "name": "Thai Customs Department", "kid": thai.kid, "x": thai.public_key}
    mislabelled = await client.post("/api/v1/origin/issuers", json={**issuer, "kid": "x" * 43}, headers=operator)
    assert mislabelled.status_code == 422
    assert (await client.post("/api/v1/origin/issuers", json=issuer, headers=trader)).status_code == 403
    assert (await client.post("/api/v1/origin/issuers", json=issuer, headers=operator)).status_code == 201
    received = await client.post("/api/v1/origin/received", content=xml, headers=headers)
    assert received.status_code == 201, received.text

    async with platform.sessions() as session:
        assert await origin.valid_certificate(session, "TH-RCEP-2026-000042", "847130", "TH") == "RCEP"
        assert await origin.valid_certificate(session, "TH-RCEP-2026-000042", "847130", "CN") is None
    assert [r["number"] for r in (await client.get("/api/v1/origin/received", headers=trader)).json()] == [
        "TH-RCEP-2026-000042"
    ]


async def test_after_a_key_rotation_old_certificates_still_verify_and_new_ones_use_the_new_key(
    client: httpx.AsyncClient, trader: dict[str, str], operator: dict[str, str], run: Any
) -> None:
    first = await issued(client, trader, run)
    old_kid = (await client.get(f"/api/v1/origin/certificates/{first['number']}/verify")).json()["key_id"]
    assert (await client.post("/api/v1/origin/keys/rotate", headers=trader)).status_code == 403
    rotated = await client.post("/api/v1/origin/keys/rotate", headers=operator)
    assert rotated.status_code == 201
    assert rotated.json()["kid"] != old_kid
    keys = (await client.get("/api/v1/origin/keys")).json()["keys"]
    assert {k["kid"] for k in keys} == {old_kid, rotated.json()["kid"]}
    assert (await client.get(f"/api/v1/origin/certificates/{first['number']}/verify")).json()["valid"] is True

    applied = await client.post(APPLY, json=origin_application(reference="DEMO-CO-0002"), headers=trader)
    assert applied.status_code == 201
    await run()
    numbers = sorted(c["number"] for c in (await client.get("/api/v1/origin/certificates", headers=trader)).json())
    assert numbers[1].endswith("-000002")
    second = (await client.get(f"/api/v1/origin/certificates/{numbers[1]}/verify")).json()
    assert (second["key_id"], second["valid"]) == (rotated.json()["kid"], True)


async def test_a_non_preferential_certificate_gives_no_preference_and_an_enterprise_sees_only_its_own(
    client: httpx.AsyncClient, trader: dict[str, str], other_trader: dict[str, str], run: Any, platform: Platform
) -> None:
    application = origin_application()
    del application["agreement"]
    for item in application["goods"]:
        del item["origin_criterion"]
    applied = await client.post(APPLY, json=application, headers=trader)
    assert applied.status_code == 201, applied.text
    await run()
    (certificate,) = (await client.get("/api/v1/origin/certificates", headers=trader)).json()
    assert re.match(r"^CN-NP-\d{4}-000001$", certificate["number"])
    async with platform.sessions() as session:
        assert await origin.valid_certificate(session, certificate["number"], "847130", "CN") is None
    assert (await client.get("/api/v1/origin/certificates", headers=other_trader)).json() == []
    hidden = await client.get(f"/api/v1/origin/certificates/{certificate['number']}/xml", headers=other_trader)
    assert hidden.status_code == 404


async def test_the_cli_lists_verifies_exports_and_receives(
    client: httpx.AsyncClient, trader: dict[str, str], run: Any, cli: Any, tmp_path: Any
) -> None:
    number = (await issued(client, trader, run))["number"]
    assert number in (await cli("origin", "list")).output
    assert '"valid": true' in (await cli("origin", "verify", number)).output
    path = tmp_path / "e-co.xml"
    await cli("origin", "export", number, "--output", str(path))
    assert eco.schema().validate(etree.fromstring(path.read_bytes()))
    assert f"received {number} from CN (RCEP)" in (await cli("origin", "receive", str(path))).output
    await cli("origin", "revoke", number, "--reason", "goods returned")
    await cli("origin", "verify", number, exit_code=1)
    assert "new signing key" in (await cli("origin", "rotate-key")).output
