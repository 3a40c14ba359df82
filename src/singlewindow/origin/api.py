"""Certificate of origin endpoints: list, verify (public), e-CO XML out and in, revocation, keys, trusted issuers."""

from typing import Annotated, Any

from fastapi import APIRouter, Request, status
from fastapi.responses import Response

from singlewindow.identity.dependencies import PUBLIC, requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession
from singlewindow.origin import eco, service
from singlewindow.origin.schemas import (
    CertificateOut,
    IssuerIn,
    IssuerOut,
    ReceivedOut,
    Revocation,
    Verification,
)

router = APIRouter(prefix="/api/v1/origin", tags=["origin"])
Reader = Annotated[Principal, requires("origin:read")]
Manager = Annotated[Principal, requires("origin:manage")]
XML_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {eco.CONTENT_TYPE: {"schema": {"type": "string", "description": "e-CO XML (e-co.xsd)"}}},
    }
}


@router.get("/certificates", response_model=list[CertificateOut])
async def certificates(principal: Reader, session: DbSession) -> list[CertificateOut]:
    """Certificates issued here: an enterprise's own, or all of them for agencies and operators."""
    return [CertificateOut.model_validate(c) for c in await service.certificates(session, principal)]


@router.get("/certificates/{number}", response_model=CertificateOut)
async def certificate(number: str, principal: Reader, session: DbSession) -> CertificateOut:
    return CertificateOut.model_validate(await service.certificate(session, principal, number))


@router.get("/certificates/{number}/verify", response_model=Verification, dependencies=[PUBLIC])
async def verify(number: str, session: DbSession) -> Verification:
    """Anyone (an importer, a foreign customs officer) checks a certificate's signature and status."""
    return await service.verify(session, number)


@router.get(
    "/certificates/{number}/xml",
    response_class=Response,
    responses={200: {"content": {eco.CONTENT_TYPE: {}}, "description": "The e-CO, valid against e-co.xsd"}},
)
async def certificate_xml(number: str, principal: Reader, session: DbSession) -> Response:
    """The e-CO to send to the importing country's single window."""
    xml = await service.export_xml(session, principal, number)
    return Response(xml, media_type=eco.CONTENT_TYPE)


@router.post("/certificates/{number}/revoke", response_model=CertificateOut)
async def revoke(number: str, data: Revocation, principal: Manager, session: DbSession) -> CertificateOut:
    revoked = await service.revoke(session, principal, number, data.reason)
    await session.commit()
    return CertificateOut.model_validate(revoked)


@router.get("/keys", dependencies=[PUBLIC])
async def keys(session: DbSession) -> dict[str, Any]:
    """Our certificate signing keys (JWKS), retired ones included, for single windows that verify our e-COs."""
    return await service.published_keys(session)


@router.post("/keys/rotate", status_code=status.HTTP_201_CREATED)
async def rotate(principal: Manager, session: DbSession) -> dict[str, str]:
    key = await service.rotate_key(session, principal)
    await session.commit()
    return {"kid": key.kid, "x": key.public_key}


@router.get("/issuers", response_model=list[IssuerOut])
async def issuers(principal: Reader, session: DbSession) -> list[IssuerOut]:
    return [IssuerOut.model_validate(i) for i in await service.trusted_issuers(session, principal)]


@router.post("/issuers", status_code=status.HTTP_201_CREATED, response_model=IssuerOut)
async def trust(data: IssuerIn, principal: Manager, session: DbSession) -> IssuerOut:
    """Trust a foreign issuing body's key (one entry of its published JWKS)."""
    issuer = await service.trust_issuer(session, principal, data)
    await session.commit()
    return IssuerOut.model_validate(issuer)


@router.post("/received", status_code=status.HTTP_201_CREATED, response_model=ReceivedOut, openapi_extra=XML_BODY)
async def receive(request: Request, principal: Manager, session: DbSession) -> ReceivedOut:
    """Register an e-CO from a foreign single window; its signature must verify with a trusted key."""
    received = await service.receive(session, principal, await request.body())
    await session.commit()
    return ReceivedOut.model_validate(received)


@router.get("/received", response_model=list[ReceivedOut])
async def received(principal: Reader, session: DbSession) -> list[ReceivedOut]:
    return [ReceivedOut.model_validate(r) for r in await service.received_certificates(session, principal)]
