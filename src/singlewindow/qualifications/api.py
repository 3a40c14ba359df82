"""Qualification endpoints: apply, and see one's qualifications."""

from typing import Annotated

from fastapi import APIRouter, status

from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession
from singlewindow.qualifications import service
from singlewindow.qualifications.schemas import QualificationApply, QualificationOut

router = APIRouter(prefix="/api/v1/qualifications", tags=["qualifications"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=QualificationOut)
async def apply(
    data: QualificationApply, principal: Annotated[Principal, requires("qualification:apply")], session: DbSession
) -> QualificationOut:
    """Apply; the application goes to the granting agency, whose answer arrives through the exchange."""
    qualification = await service.apply(session, principal, data.kind)
    await session.commit()
    return QualificationOut.model_validate(qualification)


@router.get("", response_model=list[QualificationOut])
async def qualifications(
    principal: Annotated[Principal, requires("qualification:read")], session: DbSession
) -> list[QualificationOut]:
    return [QualificationOut.model_validate(q) for q in await service.of(session, principal)]
