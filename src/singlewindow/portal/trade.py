"""Certificates of origin (the trader's list, the public verification page with its QR code) and export tax refunds."""

import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from singlewindow.declarations import documents
from singlewindow.declarations import repository as declarations_read
from singlewindow.declarations import service as declarations
from singlewindow.declarations.lifecycle import DeclarationStatus
from singlewindow.errors import InvalidData, NotFound, SingleWindowError
from singlewindow.kit.web import AppSettings, DbSession
from singlewindow.origin import service as origin
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Trader, flash, render
from singlewindow.refunds import service as refunds
from singlewindow.refunds.schemas import InvoiceIn

router = APIRouter()
AGREEMENTS = ("RCEP", "CAFTA", "APTA")
"""Offered in the application form: RCEP, the China–ASEAN FTA, the Asia-Pacific Trade Agreement (blank: none)."""


@router.get("/origin", response_class=HTMLResponse)
async def certificates(request: Request, user: Trader, session: DbSession) -> HTMLResponse:
    return await _origin(request, user, session)


async def _origin(
    request: Request, user: Trader, session: DbSession, *, errors: list[str] | None = None, status_code: int = 200
) -> HTMLResponse:
    released = declarations_read.Filters(
        status=DeclarationStatus.RELEASED, type="export", document_type=documents.CARGO
    )
    exports, _ = await declarations_read.search(session, user.principal, released, limit=100, offset=0)
    rows = await origin.certificates(session, user.principal)
    return render(
        request,
        "origin_list.html",
        status_code=status_code,
        rows=rows,
        exports=exports,
        agreements=AGREEMENTS,
        errors=errors or [],
    )


@router.post("/origin/apply")
async def apply(
    request: Request,
    user: Trader,
    session: DbSession,
    settings: AppSettings,
    export_id: Annotated[uuid.UUID, Form()],
    invoice_number: Annotated[str, Form()],
    invoice_date: Annotated[str, Form()],
    agreement: Annotated[str, Form()] = "",
    origin_criterion: Annotated[str, Form()] = "",
    producer_name: Annotated[str, Form()] = "",
    producer_address: Annotated[str, Form()] = "",
    producer_country: Annotated[str, Form()] = "",
) -> Response:
    """Apply for a certificate for the goods of a released export; the issuing body decides through the core flow."""
    export = await declarations_read.get(session, user.principal, export_id)
    if export is None or export.type != "export" or export.status is not DeclarationStatus.RELEASED:
        return await _origin(request, user, session, errors=[f"no released export {export_id}"], status_code=404)
    body = origin.application_from_export(
        export.data,
        agreement=agreement.strip() or None,
        invoice_number=invoice_number.strip(),
        invoice_date=invoice_date,
        origin_criterion=origin_criterion.strip().upper(),
        producer=_producer(producer_name, producer_address, producer_country),
    )
    try:
        document = documents.accept(origin.DOCUMENT_TYPE, body, settings.country)
        accepted = await declarations.submit(session, user.principal, document, idempotency_key=None)
    except SingleWindowError as exc:
        await session.rollback()
        messages = [f"{e['loc']}: {e['msg']}" for e in exc.errors] if isinstance(exc, InvalidData) else [exc.detail]
        return await _origin(request, user, session, errors=messages, status_code=exc.status)
    await session.commit()
    flash(request, N_("Certificate of origin application submitted."))
    return RedirectResponse(
        f"{request.scope.get('root_path', '')}/declarations/{accepted.declaration.id}", status_code=303
    )


def _producer(name: str, address: str, country: str) -> dict[str, str] | None:
    """The producer when any of it is given; the catalogue then requires all three."""
    given = {"name": name.strip(), "address": address.strip(), "country": country.strip().upper()}
    return {k: v for k, v in given.items() if v} if any(given.values()) else None


@router.get("/origin/certificates/{number}.xml")
async def certificate_xml(number: str, user: Trader, session: DbSession) -> Response:
    xml = await origin.export_xml(session, user.principal, number)
    headers = {"Content-Disposition": f'attachment; filename="{number}.xml"'}
    return Response(xml, media_type="application/xml", headers=headers)


@router.get("/origin/verify/{number}", response_class=HTMLResponse)
async def verify(request: Request, number: str, session: DbSession, settings: AppSettings) -> HTMLResponse:
    """Public: whoever holds the paper or the number checks it here, signed in or not."""
    try:
        result = await origin.verify(session, number)
    except NotFound:
        return render(request, "origin_verify.html", status_code=404, number=number, result=None, qr=None)
    page = f"{settings.public_url.rstrip('/')}{request.scope.get('root_path', '')}/origin/verify/{number}"
    qr = Markup(segno.make(page, error="m").svg_inline(scale=3, title=page))  # noqa: S704 - segno escapes the URL
    return render(request, "origin_verify.html", number=number, result=result, qr=qr, page=page)


@router.get("/refunds", response_class=HTMLResponse)
async def refunds_page(request: Request, user: Trader, session: DbSession) -> HTMLResponse:
    return await _refunds(request, user, session)


async def _refunds(
    request: Request, user: Trader, session: DbSession, *, errors: list[str] | None = None, status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "refunds.html",
        status_code=status_code,
        exports=await refunds.exports(session, user.principal),
        invoices=await refunds.invoices(session, user.principal),
        applications=await refunds.applications(session, user.principal),
        errors=errors or [],
    )


@router.post("/refunds/invoices", response_class=HTMLResponse)
async def add_invoice(
    request: Request,
    user: Trader,
    session: DbSession,
    number: Annotated[str, Form()],
    issued_on: Annotated[str, Form()],
    supplier: Annotated[str, Form()],
    hs_code: Annotated[str, Form()],
    amount: Annotated[str, Form()],
    vat_amount: Annotated[str, Form()],
) -> Response:
    try:
        data = InvoiceIn.model_validate(
            {
                "number": number.strip(),
                "issued_on": issued_on,
                "supplier": supplier.strip(),
                "hs_code": hs_code.strip(),
                "amount": Decimal(amount.strip()),
                "vat_amount": Decimal(vat_amount.strip()),
            }
        )
        await refunds.record_invoice(session, user.principal, data)
    except ValidationError as exc:
        messages = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return await _refunds(request, user, session, errors=messages, status_code=422)
    except InvalidOperation:
        return await _refunds(request, user, session, errors=["amount: not a number"], status_code=422)
    except SingleWindowError as exc:
        return await _refunds(request, user, session, errors=[exc.detail], status_code=exc.status)
    await session.commit()
    flash(request, N_("Invoice recorded."))
    return RedirectResponse(f"{request.scope.get('root_path', '')}/refunds", status_code=303)


@router.get("/refunds/prefill/{declaration_id}", response_class=HTMLResponse)
async def prefill(request: Request, declaration_id: uuid.UUID, user: Trader, session: DbSession) -> HTMLResponse:
    """The application built in one step, every line's refund explained, ready to submit."""
    try:
        result = await refunds.prefill(session, user.principal, str(declaration_id))
    except SingleWindowError as exc:
        return await _refunds(request, user, session, errors=[exc.detail], status_code=exc.status)
    return render(request, "refund_prefill.html", result=result, declaration_id=declaration_id)


@router.post("/refunds/prefill/{declaration_id}/submit")
async def submit_refund(
    request: Request, declaration_id: uuid.UUID, user: Trader, session: DbSession, settings: AppSettings
) -> Response:
    """Submit the application as reviewed: built again from the same export and invoices, then the core flow."""
    try:
        result = await refunds.prefill(session, user.principal, str(declaration_id))
        document = documents.accept(refunds.DOCUMENT_TYPE, result.document, settings.country)
        accepted = await declarations.submit(session, user.principal, document, idempotency_key=None)
    except SingleWindowError as exc:
        await session.rollback()
        return await _refunds(request, user, session, errors=[exc.detail], status_code=exc.status)
    await session.commit()
    flash(request, N_("Refund application submitted to the tax authority."))
    return RedirectResponse(
        f"{request.scope.get('root_path', '')}/declarations/{accepted.declaration.id}", status_code=303
    )
