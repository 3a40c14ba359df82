"""Licence endpoints: the registry, online verification, and issuing or revoking by the issuing agency."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession
from singlewindow.licences import service
from singlewindow.licences.kinds import kinds
from singlewindow.licences.schemas import (
    HsPrefix,
    LicenceIssue,
    LicenceOut,
    LicenceRevoke,
    LicenceUseOut,
    Verification,
)

router = APIRouter(prefix="/api/v1/licences", tags=["licences"])
Number = Annotated[str, Path(min_length=1, max_length=35)]


@router.get("", response_model=list[LicenceOut])
async def licences(principal: Annotated[Principal, requires(service.READ)], session: DbSession) -> list[LicenceOut]:
    """The caller's licences with their balances (an agency: those it issued; the operator: all)."""
    return await service.listing(session, principal)


@router.get("/kinds")
async def licence_kinds(_: Annotated[Principal, requires(service.READ)]) -> list[dict[str, str | list[str] | None]]:
    """The code list of licence kinds: number prefix, issuing agency, regulatory condition, directions."""
    return [
        {
            "code": k.code,
            "prefix": k.prefix,
            "agency": k.agency,
            "condition": k.condition,
            "directions": sorted(k.directions),
            "name_en": k.name_en,
            "name_zh": k.name_zh,
        }
        for k in kinds().values()
    ]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=LicenceOut)
async def issue(
    data: LicenceIssue, principal: Annotated[Principal, requires(service.ISSUE)], session: DbSession
) -> LicenceOut:
    """The issuing agency issues a licence; the number is generated (``YY-PP-NNNNNN``)."""
    licence = await service.issue(session, principal, data)
    await session.commit()
    return await service.view(session, principal, licence.number)


@router.get("/{number}", response_model=LicenceOut)
async def licence(
    number: Number, principal: Annotated[Principal, requires(service.READ)], session: DbSession
) -> LicenceOut:
    """One licence with its goods lines: allowed, used, reserved and available."""
    return await service.view(session, principal, number)


@router.get("/{number}/verify", response_model=Verification)
async def verify(
    number: Number,
    hs: Annotated[HsPrefix, Query(description="HS code of the goods")],
    principal: Annotated[Principal, requires(service.READ)],
    session: DbSession,
    quantity: Annotated[Decimal | None, Query(ge=0, max_digits=18, decimal_places=4)] = None,
) -> Verification:
    """Online verification: valid now, covering ``hs``, with at least ``quantity`` left (in the line's unit)."""
    return await service.verify(session, principal, number, hs, quantity)


@router.get("/{number}/uses", response_model=list[LicenceUseOut])
async def uses(
    number: Number, principal: Annotated[Principal, requires(service.READ)], session: DbSession
) -> list[LicenceUseOut]:
    """Usage history: each declaration's goods item, reserved, written off or released."""
    return await service.uses(session, principal, number)


@router.post("/{number}/revoke", response_model=LicenceOut)
async def revoke(
    number: Number, data: LicenceRevoke, principal: Annotated[Principal, requires(service.ISSUE)], session: DbSession
) -> LicenceOut:
    await service.revoke(session, principal, number, data.reason, actor=principal.actor)
    await session.commit()
    return await service.view(session, principal, number)
