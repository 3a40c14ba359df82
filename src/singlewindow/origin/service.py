"""Issue certificates of origin when their application is released, verify them, and exchange them as e-CO.

An ``origin_certificate_application`` travels the core flow like any declaration: routed to
the issuing body (customs, or commerce/CCPIT), decided there, consolidated. This context
keeps each application from ``DeclarationSubmitted`` and, on ``DeclarationStatusChanged`` to
``released``, issues the certificate in the same transaction: numbered, signed with the
active Ed25519 key, valid one year (RCEP Article 3.16). A second release event finds the
certificate already there and changes nothing.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.declarations.events import DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit import signatures
from singlewindow.kit.clock import utcnow
from singlewindow.origin import eco, repository, signing
from singlewindow.origin.errors import (
    AlreadyReceived,
    AlreadyRevoked,
    CertificateNotFound,
    UntrustedSignature,
)
from singlewindow.origin.models import (
    Certificate,
    CertificateStatus,
    NumberSequence,
    OriginApplication,
    ReceivedCertificate,
    SigningKey,
    TrustedIssuer,
)
from singlewindow.origin.schemas import CertificateContent, IssuerIn, Verification

DOCUMENT_TYPE = "origin_certificate_application"
VALIDITY = timedelta(days=365)
"""RCEP Article 3.16(6) and ATIGA Rule 13: a proof of origin is valid for one year from issue."""
ISSUERS = {
    "customs": "中华人民共和国海关总署 General Administration of Customs of the People's Republic of China",
    "commerce": "中国国际贸易促进委员会 China Council for the Promotion of International Trade (CCPIT)",
}
"""Issuing bodies by the agency code the application was routed to."""
NON_PREFERENTIAL = "NP"
ACTOR = "system:origin"


def application_from_export(
    export: dict[str, Any],
    *,
    agreement: str | None,
    invoice_number: str,
    invoice_date: str,
    origin_criterion: str,
    producer: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An ``origin_certificate_application`` for the goods of an export cargo declaration, to review and submit.

    The exporter is the export's consignor; parties, route and goods are copied; the origin
    criterion applies to every item and is left out when no agreement is claimed; the
    producer (name, address, country) is the applicant's to give, when known.
    """
    goods = [
        {k: item[k] for k in ("hs_code", "description", "quantity", "unit", "gross_weight_kg", "value")}
        | ({"origin_criterion": origin_criterion} if agreement else {})
        for item in export["goods"]
    ]
    application = {
        "reference": f"CO-{export['reference']}"[:35],
        "exporter": {k: v for k, v in export["consignor"].items() if k in ("name", "country", "address", "uscc")},
        "consignee": {k: v for k, v in export["consignee"].items() if k in ("name", "country", "address", "uscc")},
        "country": export["country"],
        "transport_mode": export["transport_mode"],
        "port_of_loading": export["port_of_loading"],
        "port_of_discharge": export["port_of_discharge"],
        "invoice_number": invoice_number,
        "invoice_date": invoice_date,
        "goods": goods,
    }
    application |= {"producer": producer} if producer else {}
    return application | ({"agreement": agreement} if agreement else {})


async def on_submitted(session: AsyncSession, event: DeclarationSubmitted) -> None:
    """Keep the application as submitted (an amendment replaces it), to issue from later."""
    if event.document_type != DOCUMENT_TYPE:
        return
    application = await repository.application(session, event.declaration_id, for_update=True)
    if application is None:
        application = OriginApplication(declaration_id=event.declaration_id, submitted_at=event.at)
        session.add(application)
    application.party_id, application.reference, application.revision = event.party_id, event.reference, event.revision
    application.data, application.agencies, application.status = event.data, list(event.agencies), "submitted"
    application.updated_at = event.at
    await session.flush()


async def on_status_changed(session: AsyncSession, event: DeclarationStatusChanged) -> None:
    if event.status == "cancelled":
        await repository.release_uses(session, event.declaration_id)
    if event.document_type != DOCUMENT_TYPE:
        return
    application = await repository.application(session, event.declaration_id, for_update=True)
    if application is None:
        return
    application.status, application.updated_at = event.status, event.at
    await session.flush()
    if event.status == "released":
        await issue(session, application, event.at)


async def issue(session: AsyncSession, application: OriginApplication, at: datetime) -> Certificate:
    """The certificate for a released application: made once, then returned as it is."""
    if existing := await repository.for_declaration(session, application.declaration_id):
        return existing
    key = await _signing_key(session)
    issued_at = at.astimezone(UTC).replace(microsecond=0)
    content = _content(application, await _next_number(session, application.data, issued_at), issued_at)
    certificate = Certificate(
        number=content.number,
        declaration_id=application.declaration_id,
        party_id=application.party_id,
        agreement=content.agreement,
        exporting_country=content.exporting_country,
        importing_country=content.importing_country,
        content=content.model_dump(mode="json", exclude_none=True),
        signature=signing.sign(content, key.private_pem),
        key_id=key.kid,
        status=CertificateStatus.VALID,
        issued_at=issued_at,
        valid_until=content.valid_until,
    )
    session.add(certificate)
    await session.flush()
    await audit.record(session, actor=ACTOR, action="origin.certificate_issued", subject=certificate.number)
    return certificate


def _issuer_code(agencies: list[Any]) -> str:
    return next((a for a in ("customs", "commerce") if a in agencies), "customs")


def _agreement(data: dict[str, Any]) -> str | None:
    agreement = re.sub(r"[^A-Z0-9]", "", str(data.get("agreement") or "").upper())[:10]
    return agreement or None


def _amount(value: Any) -> str:
    return format(Decimal(str(value)), "f")


def _party(party: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": party["name"],
        "country": party["country"],
        "address": party.get("address"),
        "identifier": party.get("uscc"),
    }


def _content(application: OriginApplication, number: str, issued_at: datetime) -> CertificateContent:
    data = application.data
    code = _issuer_code(application.agencies)
    document = {
        "number": number,
        "issued_at": issued_at,
        "valid_until": issued_at + VALIDITY,
        "issuer": {"country": data["exporter"]["country"], "code": code, "name": ISSUERS.get(code, code)},
        "agreement": _agreement(data),
        "exporting_country": data["exporter"]["country"],
        "importing_country": data["country"],
        "exporter": _party(data["exporter"]),
        "producer": _party(data["producer"]) if data.get("producer") else None,
        "consignee": _party(data["consignee"]),
        "transport": {
            "mode": data["transport_mode"],
            "port_of_loading": data["port_of_loading"],
            "port_of_discharge": data["port_of_discharge"],
        },
        "invoice": {"number": data["invoice_number"], "date": data["invoice_date"]},
        "goods": [
            {
                "seq": seq,
                "hs_code": str(item["hs_code"])[:6],
                "description": item["description"],
                "quantity": _amount(item["quantity"]),
                "unit": item["unit"],
                "gross_weight_kg": _amount(item["gross_weight_kg"]),
                "value": _amount(item["value"]),
                "origin_criterion": item.get("origin_criterion"),
            }
            for seq, item in enumerate(data["goods"], start=1)
        ],
    }
    return CertificateContent.model_validate(_without_none(document))


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


async def _next_number(session: AsyncSession, data: dict[str, Any], issued_at: datetime) -> str:
    """``CC-AGR-YYYY-NNNNNN``: issuing country, agreement (``NP`` non-preferential), year, sequence."""
    prefix = f"{data['exporter']['country']}-{_agreement(data) or NON_PREFERENTIAL}-{issued_at.year}"
    sequence = await repository.sequence_for_update(session, prefix)
    if sequence is None:
        sequence = NumberSequence(prefix=prefix, last=0)
        session.add(sequence)
    sequence.last += 1
    await session.flush()
    return f"{prefix}-{sequence.last:06d}"


async def _signing_key(session: AsyncSession) -> SigningKey:
    """The active key; the first certificate ever issued makes one."""
    return await repository.active_key(session) or await _new_key(session, ACTOR)


async def _new_key(session: AsyncSession, actor: str) -> SigningKey:
    pair = signing.generate()
    key = SigningKey(kid=pair.kid, private_pem=pair.private_pem, public_key=pair.public_key, created_at=utcnow())
    session.add(key)
    await session.flush()
    await audit.record(session, actor=actor, action="origin.key_created", subject=key.kid)
    return key


async def rotate_key(session: AsyncSession, principal: Principal) -> SigningKey:
    """Retire the signing key and make a new one; the old one still verifies what it signed."""
    ensure(principal, "origin:manage")
    return await rotate(session, actor=principal.actor)


async def rotate(session: AsyncSession, *, actor: str) -> SigningKey:
    now = utcnow()
    for key in await repository.keys(session):
        if key.retired_at is None:
            key.retired_at = now
    await session.flush()
    return await _new_key(session, actor)


async def published_keys(session: AsyncSession) -> dict[str, Any]:
    """Every key that signed or signs our certificates, as a JWKS, for importing single windows."""
    return {
        "keys": [
            {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": k.kid, "x": k.public_key}
            for k in await repository.keys(session)
        ]
    }


async def verify(session: AsyncSession, number: str) -> Verification:
    """Anyone's check of a number: the certificate, whether its signature holds, and whether it is in force."""
    certificate = await repository.by_number(session, number)
    if certificate is None:
        raise CertificateNotFound(f"no certificate of origin {number} was issued here")
    return await _verification(session, certificate)


async def _verification(session: AsyncSession, certificate: Certificate) -> Verification:
    public = {k.kid: k.public_key for k in await repository.keys(session)}
    try:
        content = CertificateContent.model_validate(certificate.content)
    except ValidationError:
        content = None
    signature_valid = (
        content is not None
        and content.number == certificate.number
        and certificate.key_id in public
        and signing.verify(content, certificate.signature, public[certificate.key_id])
    )
    expired = utcnow() > certificate.valid_until
    return Verification(
        number=certificate.number,
        status=certificate.status,
        signature_valid=signature_valid,
        expired=expired,
        valid=signature_valid and not expired and certificate.status is CertificateStatus.VALID,
        key_id=certificate.key_id,
        signature=certificate.signature,
        certificate=certificate.content,
    )


async def certificates(session: AsyncSession, principal: Principal) -> list[Certificate]:
    ensure(principal, "origin:read")
    return await repository.certificates(session, principal)


async def certificate(session: AsyncSession, principal: Principal, number: str) -> Certificate:
    ensure(principal, "origin:read")
    found = await repository.readable_certificate(session, principal, number)
    if found is None:
        raise CertificateNotFound(f"no certificate of origin {number} that you may see")
    return found


async def export_xml(session: AsyncSession, principal: Principal, number: str) -> bytes:
    """The e-CO for the importing country's single window, valid against ``data/e-co.xsd``."""
    found = await certificate(session, principal, number)
    xml = render(found)
    eco.validate(eco.parse(xml))
    return xml


def render(found: Certificate) -> bytes:
    return eco.render(CertificateContent.model_validate(found.content), found.signature, found.key_id)


async def revoke(session: AsyncSession, principal: Principal, number: str, reason: str) -> Certificate:
    ensure(principal, "origin:manage")
    found = await repository.by_number(session, number, for_update=True)
    if found is None:
        raise CertificateNotFound(f"no certificate of origin {number} was issued here")
    if found.status is CertificateStatus.REVOKED:
        raise AlreadyRevoked(f"{number} was revoked at {found.revoked_at}")
    found.status, found.revoked_at, found.revoked_reason = CertificateStatus.REVOKED, utcnow(), reason
    await session.flush()
    await audit.record(
        session, actor=principal.actor, action="origin.certificate_revoked", subject=number, detail={"reason": reason}
    )
    return found


async def trust_issuer(session: AsyncSession, principal: Principal, data: IssuerIn) -> TrustedIssuer:
    """Accept a foreign issuing body's key; its id must be the key's thumbprint, so it cannot be mislabelled."""
    ensure(principal, "origin:manage")
    if signatures.thumbprint(data.x) != data.kid:
        raise UntrustedSignature(f"kid {data.kid} is not the RFC 7638 thumbprint of the key given")
    issuer = await session.get(TrustedIssuer, data.kid) or TrustedIssuer(kid=data.kid, created_at=utcnow())
    issuer.country, issuer.name, issuer.public_key, issuer.added_by = data.country, data.name, data.x, principal.actor
    session.add(issuer)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="origin.issuer_trusted", subject=data.kid)
    return issuer


async def trusted_issuers(session: AsyncSession, principal: Principal) -> list[TrustedIssuer]:
    ensure(principal, "origin:read")
    return await repository.issuers(session)


async def receive(session: AsyncSession, principal: Principal, xml: bytes) -> ReceivedCertificate:
    """Register an e-CO from another single window once its XML and signature check out."""
    ensure(principal, "origin:manage")
    content, signature, kid = eco.read(xml)
    public_key = await _trusted_key(session, kid, content.issuer.country)
    if not signing.verify(content, signature, public_key):
        raise UntrustedSignature(f"the signature of {content.number} does not verify with key {kid}")
    if await repository.received_one(session, content.exporting_country, content.number):
        raise AlreadyReceived(f"{content.number} from {content.exporting_country} is already registered")
    received = ReceivedCertificate(
        number=content.number,
        agreement=content.agreement,
        exporting_country=content.exporting_country,
        importing_country=content.importing_country,
        content=content.model_dump(mode="json", exclude_none=True),
        signature=signature,
        key_id=kid,
        issued_at=content.issued_at,
        valid_until=content.valid_until,
        xml=xml.decode("utf-8"),
        received_by=principal.actor,
    )
    session.add(received)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="origin.certificate_received", subject=content.number)
    return received


async def _trusted_key(session: AsyncSession, kid: str, country: str) -> str:
    issuer = await session.get(TrustedIssuer, kid)
    if issuer is not None and issuer.country == country:
        return issuer.public_key
    own = await session.get(SigningKey, kid)
    if own is not None:
        return own.public_key
    raise UntrustedSignature(f"key {kid} is not a trusted issuing body of {country} (add it with trust-issuer)")


async def received_certificates(session: AsyncSession, principal: Principal) -> list[ReceivedCertificate]:
    ensure(principal, "origin:read")
    return await repository.received(session)


@dataclass(frozen=True, slots=True)
class CertificateCheck:
    """What a certificate proves for one goods item: the agreement, or why nothing."""

    agreement: str | None
    reason: str | None = None


async def check_certificate(
    session: AsyncSession,
    number: str,
    hs_code: str,
    origin_country: str,
    *,
    importing_country: str | None = None,
    claimed: tuple[Decimal, str] | None = None,
    for_declaration: uuid.UUID | None = None,
) -> CertificateCheck:
    """Whether certificate ``number`` proves origin of goods ``hs_code`` from ``origin_country`` under an agreement.

    A certificate received from a trusted single window is looked up first (its signature was
    verified on receipt), then one issued here (its signature is verified now). The reason
    names the first check that fails: unknown, revoked, signature, expired, origin country,
    importing country, HS subheading, quantity (``claimed``: what the declaration claims
    under it for the subheading, and the unit), non-preferential, and (``for_declaration``)
    already used: a certificate that passes is recorded as that declaration's, once.
    """
    subheading = hs_code[:6]
    received = await repository.received_one(session, origin_country, number)
    if received is not None:
        content: dict[str, Any] = received.content
        valid_until = received.valid_until
    else:
        issued = await repository.by_number(session, number)
        elsewhere = [issued.exporting_country] if issued else await repository.received_countries(session, number)
        if not elsewhere:
            return CertificateCheck(None, f"no certificate of origin {number} was issued or received here")
        if issued is None or issued.exporting_country != origin_country:
            return CertificateCheck(
                None, f"certificate {number} proves origin in {', '.join(elsewhere)}, not in {origin_country}"
            )
        check = await _verification(session, issued)
        if issued.status is CertificateStatus.REVOKED:
            return CertificateCheck(None, f"certificate {number} was revoked: {issued.revoked_reason}")
        if not check.signature_valid:
            return CertificateCheck(None, f"the issuing body's signature on certificate {number} does not verify")
        content, valid_until = issued.content, issued.valid_until
    if valid_until < utcnow():
        return CertificateCheck(None, f"certificate {number} expired on {valid_until.date().isoformat()}")
    if importing_country is not None and content["importing_country"] != importing_country:
        return CertificateCheck(None, f"certificate {number} is for goods imported into {content['importing_country']}")
    covered = sorted({str(item["hs_code"]) for item in content["goods"]})
    if subheading not in covered:
        return CertificateCheck(
            None, f"certificate {number} does not cover HS {subheading} (it covers {', '.join(covered)})"
        )
    if claimed is not None and (short := _short(number, subheading, content["goods"], *claimed)):
        return CertificateCheck(None, short)
    agreement = content.get("agreement")
    if not isinstance(agreement, str):
        return CertificateCheck(None, f"certificate {number} is non-preferential: it claims no agreement")
    if for_declaration is not None:
        holder = await repository.use_once(session, origin_country, number, for_declaration)
        if holder != for_declaration:
            return CertificateCheck(None, f"certificate {number} was used for another declaration (一证一单)")
    return CertificateCheck(agreement)


def _short(number: str, subheading: str, goods: list[dict[str, Any]], quantity: Decimal, unit: str) -> str | None:
    """Why the certificate does not cover ``quantity`` ``unit`` of the subheading, or None when it does."""
    lines = [item for item in goods if str(item["hs_code"]) == subheading]
    certified = sum((Decimal(str(item["quantity"])) for item in lines if item["unit"] == unit), Decimal(0))
    if not any(item["unit"] == unit for item in lines):
        units = ", ".join(sorted({str(item["unit"]) for item in lines}))
        return f"certificate {number} certifies HS {subheading} in {units}, not in {unit}"
    if quantity > certified:
        return (
            f"the declaration claims {quantity} {unit} of HS {subheading}; certificate {number} certifies {certified}"
        )
    return None


async def valid_certificate(session: AsyncSession, number: str, hs_code: str, origin_country: str) -> str | None:
    """The agreement under which certificate ``number`` proves origin of ``hs_code`` goods from ``origin_country``."""
    return (await check_certificate(session, number, hs_code, origin_country)).agreement
