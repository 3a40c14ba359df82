"""Logistics endpoints: tracking, subscriptions, notices, departure permits and their public verification."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from singlewindow.identity.dependencies import PUBLIC, requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession
from singlewindow.logistics import permits, service
from singlewindow.logistics.schemas import (
    BillTracking,
    ContainerTracking,
    NoticeOut,
    PermitOut,
    PermitVerification,
    SignedPermit,
    SubscriptionCreate,
    SubscriptionOut,
)

router = APIRouter(prefix="/api/v1/logistics", tags=["logistics"])
Reader = Annotated[Principal, requires("logistics:read")]
Subscriber = Annotated[Principal, requires("logistics:subscribe")]


@router.get("/containers/{number}", response_model=ContainerTracking)
async def track_container(number: str, principal: Reader, session: DbSession) -> ContainerTracking:
    """Where a container is, whether its goods are released, and its timeline across carrier, terminal and agencies."""
    return await service.track_container(session, principal, number)


@router.get("/bills-of-lading/{number}", response_model=BillTracking)
async def track_bill(number: str, principal: Reader, session: DbSession) -> BillTracking:
    """A bill of lading's manifest status (registered, declared, written off), its containers and timeline."""
    return await service.track_bill(session, principal, number)


@router.post("/subscriptions", status_code=status.HTTP_201_CREATED, response_model=SubscriptionOut)
async def subscribe(data: SubscriptionCreate, principal: Subscriber, session: DbSession) -> SubscriptionOut:
    """Push each new event of a container or bill of lading to one's webhooks (POST /api/v1/webhooks)."""
    found = await service.subscribe(session, principal, data)
    await session.commit()
    return SubscriptionOut.model_validate(found)


@router.get("/subscriptions", response_model=list[SubscriptionOut])
async def subscriptions(principal: Reader, session: DbSession) -> list[SubscriptionOut]:
    return [SubscriptionOut.model_validate(s) for s in await service.subscriptions(session, principal)]


@router.delete("/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(subscription_id: uuid.UUID, principal: Subscriber, session: DbSession) -> None:
    await service.unsubscribe(session, principal, subscription_id)
    await session.commit()


@router.get("/notices", response_model=list[NoticeOut])
async def notices(
    principal: Reader, session: DbSession, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[NoticeOut]:
    """Manifest mismatches, unchecked deadlines, gate-outs before release: newest first."""
    return [NoticeOut.model_validate(n) for n in await service.notices(session, principal, limit)]


@router.get("/permits", response_model=list[PermitOut])
async def list_permits(principal: Reader, session: DbSession) -> list[PermitOut]:
    return [permits.out(p) for p in await service.permits_of(session, principal)]


@router.get("/permits/public-key", dependencies=[PUBLIC])
async def public_key() -> dict[str, str]:
    """The permit signing key as a JWK (Ed25519), for verifying permits offline."""
    return permits.key().jwk()


@router.post("/permits/verify", response_model=PermitVerification, dependencies=[PUBLIC])
async def verify(document: SignedPermit, session: DbSession) -> PermitVerification:
    """Anyone may check a signed permit: valid only if unaltered and issued here."""
    return await permits.verify_document(session, document)


@router.get("/permits/{number}/verification", response_model=PermitVerification, dependencies=[PUBLIC])
async def verification(
    number: str, session: DbSession, s: Annotated[str, Query(max_length=200, description="The signature")]
) -> PermitVerification:
    """What the permit's QR code leads to: the permit held under this number, if the signature is the one issued."""
    return await permits.verify_reference(session, number, s)


@router.get("/permits/{permit_id}", response_model=PermitOut)
async def get_permit(permit_id: uuid.UUID, principal: Reader, session: DbSession) -> PermitOut:
    return permits.out(await service.permit(session, principal, permit_id))


@router.get("/permits/{permit_id}/qr.svg", response_class=Response)
async def permit_qr(permit_id: uuid.UUID, principal: Reader, session: DbSession) -> Response:
    """The QR code to print on the permit: it leads to the public verification page."""
    found = await service.permit(session, principal, permit_id)
    return Response(permits.qr(found), media_type="image/svg+xml")
