"""A certificate of origin cited on an import earns the conventional rate only when the origin context accepts it;
otherwise the item pays MFN and its duty line says why."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from support.documents import beef_import, with_goods_field
from support.trade_documents import certificate_content

from singlewindow.app import Platform
from singlewindow.declarations.events import DeclarationStatusChanged
from singlewindow.origin import eco, signing
from singlewindow.origin import service as origin
from singlewindow.origin.models import CertificateUse

PAYMENTS = "/api/v1/payments"
ISSUED = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
BEEF = {
    "seq": 1, "hs_code": "020230", "description": "Frozen boneless bovine meat", "quantity": "24000", "unit": "KGM",
    "gross_weight_kg": "25000", "value": "120000.00", "origin_criterion": "WO",
}  # fmt: skip


async def _trusted(client: httpx.AsyncClient, operator: dict[str, str], country: str) -> signing.KeyPair:
    keys = signing.generate()
    issuer = {"country": country, "name": f"{country} issuing body", "kid": keys.kid, "x": keys.public_key}
    response = await client.post("/api/v1/origin/issuers", json=issuer, headers=operator)
    assert response.status_code == 201, response.text
    return keys


async def _receive(
    client: httpx.AsyncClient,
    operator: dict[str, str],
    keys: signing.KeyPair,
    country: str,
    number: str,
    **changes: Any,
) -> None:
    """An e-CO another single window sent for goods imported into CN, signed by its (trusted) issuing body."""
    document: dict[str, Any] = {
        "number": number,
        "agreement": "CHAFTA" if country == "AU" else "CNZFTA",
        "exporting_country": country,
        "importing_country": "CN",
        "issuer": {"country": country, "code": "customs", "name": f"{country} issuing body"},
        "exporter": {"name": "Darling Downs Meat Exporters Pty Ltd", "country": country},
        "consignee": {"name": "上海示范进出口有限公司", "country": "CN"},
        "transport": {"mode": "1", "port_of_loading": "AUBNE", "port_of_discharge": "CNSGH"},
        "issued_at": ISSUED,
        "valid_until": ISSUED + timedelta(days=365),
        "goods": [BEEF],
    }
    content = certificate_content(**(document | changes))
    xml = eco.render(content, signing.sign(content, keys.private_pem), keys.kid)
    headers = {**operator, "Content-Type": "application/xml"}
    received = await client.post("/api/v1/origin/received", content=xml, headers=headers)
    assert received.status_code == 201, received.text


def _citing(number: str | None, reference: str) -> dict[str, Any]:
    document = with_goods_field(beef_import(), 0, origin_certificate_number=number) if number else beef_import()
    return {**document, "reference": reference}


async def _beef_line(client: httpx.AsyncClient, trader: dict[str, str], submit_import: Any, **cite: Any) -> Any:
    imported = await submit_import(_citing(**cite))
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    (beef,) = detail["assessment"]["items"]
    return beef


async def test_a_valid_certificate_of_origin_earns_the_conventional_rate(
    client: httpx.AsyncClient, trader: dict[str, str], operator: dict[str, str], submit_import: Any
) -> None:
    australia = await _trusted(client, operator, "AU")
    await _receive(client, operator, australia, "AU", "AU-CHAFTA-2026-000101")

    beef = await _beef_line(client, trader, submit_import, number="AU-CHAFTA-2026-000101", reference="BEEF-CO-1")

    assert (beef["duty_column"], beef["agreement"], beef["proof_of_origin"]) == (
        "conventional",
        "ChAFTA",
        "AU-CHAFTA-2026-000101",
    )
    assert (beef["duty_rate"], beef["duty"], beef["preference_refused"]) == ("0%", "0.00", None)
    duty = next(line for line in beef["lines"] if line["code"] == "duty_conventional")
    assert "China–Australia Free Trade Agreement, proof of origin AU-CHAFTA-2026-000101" in duty["basis"]
    vat = next(line for line in beef["lines"] if line["code"] == "vat")
    assert Decimal(vat["amount"]) == (Decimal(beef["customs_value"]) * Decimal("0.09")).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("number", "origin", "changes", "reason"),
    [
        (
            "AU-CHAFTA-2025-000007",
            "AU",
            {"issued_at": ISSUED - timedelta(days=400), "valid_until": ISSUED - timedelta(days=35)},
            "certificate AU-CHAFTA-2025-000007 expired on 2025-12-01",
        ),
        (
            "AU-CHAFTA-2026-000102",
            "AU",
            {"goods": [{**BEEF, "hs_code": "020130", "description": "Fresh boneless bovine meat"}]},
            "certificate AU-CHAFTA-2026-000102 does not cover HS 020230 (it covers 020130)",
        ),
        (
            "AU-CHAFTA-2026-000103",
            "AU",
            {"goods": [{**BEEF, "quantity": "20000"}]},
            "the declaration claims 24000 KGM of HS 020230; certificate AU-CHAFTA-2026-000103 certifies 20000",
        ),
        (
            "AU-CHAFTA-2026-000104",
            "AU",
            {"goods": [{**BEEF, "quantity": "24", "unit": "TNE"}]},
            "certificate AU-CHAFTA-2026-000104 certifies HS 020230 in TNE, not in KGM",
        ),
        ("NZ-CNZFTA-2026-000009", "NZ", {}, "certificate NZ-CNZFTA-2026-000009 proves origin in NZ, not in AU"),
        (None, "AU", {}, "no certificate of origin was cited for this item"),
        ("AU-CHAFTA-2026-999999", None, {}, "no certificate of origin AU-CHAFTA-2026-999999 was issued or received"),
    ],
    ids=["expired", "other-hs", "short", "other-unit", "other-country", "none-cited", "unknown"],
)
async def test_without_a_valid_certificate_the_item_pays_mfn_and_the_duty_line_says_why(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    operator: dict[str, str],
    submit_import: Any,
    number: str | None,
    origin: str | None,
    changes: dict[str, Any],
    reason: str,
) -> None:
    if number is not None and origin is not None:
        await _receive(client, operator, await _trusted(client, operator, origin), origin, number, **changes)

    beef = await _beef_line(client, trader, submit_import, number=number, reference="BEEF-CO-2")

    assert (beef["duty_column"], beef["agreement"], beef["proof_of_origin"], beef["duty_rate"]) == (
        "mfn",
        None,
        None,
        "12%",
    )
    assert reason in beef["preference_refused"]
    duty = next(line for line in beef["lines"] if line["code"] == "duty_mfn")
    assert duty["basis"].startswith("12%, mfn rate, tariff 2025; no conventional rate: ")
    assert reason in duty["basis"]
    assert Decimal(beef["duty"]) == (Decimal(beef["customs_value"]) * Decimal("0.12")).quantize(Decimal("0.01"))


async def test_items_citing_one_certificate_together_may_claim_no_more_than_it_certifies(
    client: httpx.AsyncClient, trader: dict[str, str], operator: dict[str, str], submit_import: Any
) -> None:
    """Two lines of 15,000 kg each under a certificate for 24,000 kg: the second line's share is not proven."""
    australia = await _trusted(client, operator, "AU")
    await _receive(client, operator, australia, "AU", "AU-CHAFTA-2026-000105")
    document = _citing(number="AU-CHAFTA-2026-000105", reference="BEEF-CO-3")
    line = {**document["goods"][0], "quantity": "15000"}
    document["goods"] = [line, {**line, "description": "Frozen boneless bovine meat, second lot"}]
    imported = await submit_import(document)
    detail = (await client.get(f"{PAYMENTS}/orders/{imported.order['id']}", headers=trader)).json()
    refused = {item["preference_refused"] for item in detail["assessment"]["items"]}
    assert refused == {
        "the declaration claims 30000 KGM of HS 020230; certificate AU-CHAFTA-2026-000105 certifies 24000"
    }


async def test_a_certificate_earns_one_declaration_its_preference_until_that_one_is_cancelled(
    client: httpx.AsyncClient,
    trader: dict[str, str],
    operator: dict[str, str],
    submit_import: Any,
    platform: Platform,
) -> None:
    """一证一单: the first declaration citing a certificate validly holds it; a cancellation frees it."""
    australia = await _trusted(client, operator, "AU")
    await _receive(client, operator, australia, "AU", "AU-CHAFTA-2026-000106")
    first = await _beef_line(client, trader, submit_import, number="AU-CHAFTA-2026-000106", reference="BEEF-CO-4")
    again = await _beef_line(client, trader, submit_import, number="AU-CHAFTA-2026-000106", reference="BEEF-CO-5")

    assert (first["duty_column"], again["duty_column"]) == ("conventional", "mfn")
    assert (
        again["preference_refused"] == "certificate AU-CHAFTA-2026-000106 was used for another declaration (一证一单)"
    )
    async with platform.sessions() as session:
        (holder,) = (await session.scalars(select(CertificateUse.declaration_id))).all()
        later = uuid.uuid4()
        await origin.on_status_changed(
            session, DeclarationStatusChanged(holder, uuid.uuid4(), "BEEF-CO-4", "in_review", "cancelled", 1, ISSUED)
        )
        freed = await origin.check_certificate(session, "AU-CHAFTA-2026-000106", "020230", "AU", for_declaration=later)
        assert freed.agreement == "CHAFTA"
        assert (await session.scalars(select(CertificateUse.declaration_id))).all() == [later]
