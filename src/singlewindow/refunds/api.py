"""Export tax refund endpoints: purchase invoices, refundable exports, the one-call pre-fill, applications."""

from typing import Annotated

from fastapi import APIRouter, status

from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession
from singlewindow.refunds import service
from singlewindow.refunds.schemas import (
    ApplicationOut,
    ExportOut,
    InvoiceIn,
    InvoiceOut,
    Prefill,
    PrefillRequest,
)

router = APIRouter(prefix="/api/v1/refunds", tags=["refunds"])
Reader = Annotated[Principal, requires("refund:read")]
Preparer = Annotated[Principal, requires("refund:prepare")]


@router.post("/invoices", status_code=status.HTTP_201_CREATED, response_model=InvoiceOut)
async def record_invoice(data: InvoiceIn, principal: Preparer, session: DbSession) -> InvoiceOut:
    """Record a special VAT invoice for goods bought for export."""
    invoice = await service.record_invoice(session, principal, data)
    await session.commit()
    return InvoiceOut.model_validate(invoice)


@router.get("/invoices", response_model=list[InvoiceOut])
async def invoices(principal: Reader, session: DbSession) -> list[InvoiceOut]:
    return [InvoiceOut.model_validate(i) for i in await service.invoices(session, principal)]


@router.get("/exports", response_model=list[ExportOut])
async def exports(principal: Reader, session: DbSession) -> list[ExportOut]:
    """The enterprise's export cargo declarations, with the entry number a refund application quotes."""
    return [ExportOut.model_validate(e) for e in await service.exports(session, principal)]


@router.post("/prefill", response_model=Prefill)
async def prefill(data: PrefillRequest, principal: Preparer, session: DbSession) -> Prefill:
    """One call: the complete application for a released export, ready to review and submit at ``submit_to``."""
    return await service.prefill(session, principal, data.export)


@router.get("/applications", response_model=list[ApplicationOut])
async def applications(principal: Reader, session: DbSession) -> list[ApplicationOut]:
    """Submitted applications: the claim as computed here and the refund the tax bureau approved."""
    return [ApplicationOut.model_validate(a) for a in await service.applications(session, principal)]
