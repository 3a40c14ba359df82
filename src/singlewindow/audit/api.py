"""The audit chain, checked on demand by an auditor or operator (the same check as ``audit verify``)."""

from typing import Annotated

from fastapi import APIRouter

from singlewindow.audit import service
from singlewindow.audit.schemas import VerificationOut
from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.post("/verification", response_model=VerificationOut)
async def verify(principal: Annotated[Principal, requires("audit:verify")], session: DbSession) -> VerificationOut:
    """Seal every record written so far into the hash chain, then recompute the whole chain.

    ``intact`` is false, with one line per problem, when a sealed record was edited or deleted.
    A POST because sealing writes; it reads every record, so it is an auditor's tool, not a probe.
    """
    await service.record(session, actor=principal.actor, action="audit.verified", subject="audit_records")
    await session.commit()
    while await service.seal(session) == service.SEAL_BATCH:
        await session.commit()
    await session.commit()
    report = await service.verify(session)
    return VerificationOut(
        intact=report.intact, sealed=report.sealed, unsealed=report.unsealed, problems=report.problems
    )
