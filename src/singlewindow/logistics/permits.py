"""Departure permits: one signed document from every agency's release of a departure, in any transport mode.

When a departure declaration is released, the platform signs the permit (Ed25519 over its
canonical JSON) and keeps it. The master shows the signed JSON or its QR code; anyone can
verify either at a public endpoint or portal page, without an account.
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.kit.clock import utcnow
from singlewindow.kit.signatures import SigningKey
from singlewindow.logistics import config, repository, signing
from singlewindow.logistics.models import Permit, VehicleCall
from singlewindow.logistics.schemas import IDENTITY_FIELDS, MODE_NAMES, PermitOut, PermitVerification, SignedPermit
from singlewindow.settings import Settings

PERMIT_TYPE = "departure_permit"
VERIFY_PATH = "/portal/permits"


def key(settings: Settings | None = None) -> SigningKey:
    settings = settings or config.current()
    pem = settings.permit_signing_key.get_secret_value() if settings.permit_signing_key else None
    return signing.load(pem, settings.data_dir)


def _means_of_transport(call: VehicleCall) -> dict[str, Any]:
    """The vessel, train, road vehicle or aircraft, named as its mode names it."""
    named: dict[str, Any] = {"mode": call.transport_mode, "kind": MODE_NAMES[call.transport_mode]}
    for name in IDENTITY_FIELDS[call.transport_mode]:
        value = getattr(call, name)
        named[name] = f"{value:f}" if name == "gross_tonnage" and value is not None else value
    return named


def _document(call: VehicleCall, number: str, issuer: str) -> dict[str, Any]:
    return {
        "type": PERMIT_TYPE,
        "number": number,
        "issuer": issuer,
        "issued_at": utcnow().isoformat(),
        "declaration_id": str(call.declaration_id),
        "revision": call.revision,
        "means_of_transport": _means_of_transport(call),
        "port_of_call": call.port_of_call,
        "next_port_of_call": call.next_port_of_call,
        "estimated_departure": call.estimated_departure.isoformat() if call.estimated_departure else None,
        "crew_count": call.crew_count,
        "passenger_count": call.passenger_count,
        "dangerous_goods": [
            {k: g[k] for k in ("un_number", "hazard_class", "packing_group", "quantity", "unit") if k in g}
            for g in call.dangerous_goods
        ],
        "ships_stores_items": len(call.ships_stores),
        "cleared_by": sorted(a for a, decision in call.clearances.items() if decision == "release"),
    }


async def issue(session: AsyncSession, call: VehicleCall) -> Permit:
    """The permit for the call's current revision, signed once: a repeated release event changes nothing."""
    existing = await repository.permit_of_revision(session, call.declaration_id, call.revision)
    if existing is not None:
        return existing
    settings = config.current()
    signer = key(settings)
    number = f"DP{call.port_of_call}{utcnow():%Y%m%d}{call.declaration_id.hex[-8:].upper()}-{call.revision}"
    document = _document(call, number, settings.public_url.rstrip("/"))
    permit = Permit(
        number=number,
        declaration_id=call.declaration_id,
        revision=call.revision,
        party_id=call.party_id,
        document=document,
        signature=signing.sign(signer, document),
        kid=signer.kid,
    )
    session.add(permit)
    await session.flush()
    await audit.record(session, actor="system:logistics", action="logistics.permit_issued", subject=number)
    return permit


def signed(permit: Permit) -> SignedPermit:
    return SignedPermit(
        permit=permit.document, signature={"alg": signing.ALGORITHM, "kid": permit.kid, "value": permit.signature}
    )


def verify_url(permit: Permit, settings: Settings | None = None) -> str:
    """What the QR code holds: the public verification page of this permit, with its signature."""
    base = (settings or config.current()).public_url.rstrip("/")
    return f"{base}{VERIFY_PATH}/{permit.number}?s={permit.signature}"


def out(permit: Permit) -> PermitOut:
    return PermitOut(
        id=permit.id,
        number=permit.number,
        declaration_id=permit.declaration_id,
        issued_at=permit.created_at,
        signed=signed(permit),
        verify_url=verify_url(permit),
    )


def qr(permit: Permit) -> str:
    return signing.qr_svg(verify_url(permit))


async def verify_document(session: AsyncSession, document: SignedPermit) -> PermitVerification:
    """Is this the permit we signed, unaltered, and do we still hold it?"""
    signer = key()
    value = document.signature.get("value", "")
    if document.signature.get("alg") != signing.ALGORITHM or document.signature.get("kid") != signer.kid:
        return PermitVerification(valid=False, reason="not signed with this single window's permit key")
    if not signing.verify(signer.public, document.permit, value):
        return PermitVerification(
            valid=False, reason="the signature does not match the content: the permit was altered"
        )
    number = str(document.permit.get("number", ""))
    held = await repository.permit_by_number(session, number)
    if held is None or held.signature != value:
        return PermitVerification(valid=False, reason="validly signed, but not a permit this single window holds")
    return PermitVerification(
        valid=True, reason="issued by this single window, unaltered", number=number, permit=held.document
    )


async def verify_reference(session: AsyncSession, number: str, signature: str) -> PermitVerification:
    """What the QR code leads to: the permit we hold under that number, if the signature is the one issued."""
    held = await repository.permit_by_number(session, number)
    if held is None:
        return PermitVerification(valid=False, reason=f"no departure permit {number}")
    if signature != held.signature or not signing.verify(key().public, held.document, held.signature):
        return PermitVerification(
            valid=False, reason="the signature is not the one issued with this permit", number=number
        )
    return PermitVerification(
        valid=True, reason="issued by this single window, unaltered", number=number, permit=held.document
    )
