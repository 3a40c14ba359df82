"""Pre-fill an export tax refund application in one call, check it on submission, follow the tax bureau's answer.

The application itself travels the core flow (``export_tax_refund_application``, routed to
``tax``). This context keeps what it needs from the events of the trader's export cargo
declarations, the trader's purchase invoices, and the shipped refund-rate table. On
submission it recomputes every line and refuses (rolling the submission back) an application
whose export is not released, whose invoice is unknown or already claimed, or whose rate is
not the rate in force on the export date.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.declarations.events import DeclarationStatusChanged, DeclarationSubmitted
from singlewindow.errors import InvalidData
from singlewindow.exchange.schemas import InboundEnvelope
from singlewindow.identity.permissions import ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.refunds import repository
from singlewindow.refunds.arithmetic import Line, total
from singlewindow.refunds.errors import ApplicationNotFound, ExportNotFound, InvoiceExists, NothingToClaim
from singlewindow.refunds.models import PurchaseInvoice, RefundApplication, RefundExport
from singlewindow.refunds.rates import rate_for
from singlewindow.refunds.schemas import InvoiceIn, LineOut, Prefill, RefundDecision

DOCUMENT_TYPE = "export_tax_refund_application"
CARGO = "cargo_declaration"
DECISION = "export_tax_refund_decision"
TAX = "tax"
CHINA = ZoneInfo("Asia/Shanghai")
"""The export date is the release date in China, where the goods left."""
CLOSED = frozenset({"rejected", "cancelled"})


def entry_number(declaration_id: uuid.UUID) -> str:
    """An 18-character export declaration number (SW0049 is an18) for a declaration the platform holds.

    The declarations context assigns no customs entry number yet, so the number is the
    declaration's UUIDv7 millisecond timestamp (12 hex digits) and 24 of its random bits:
    stable, unique in practice, and found again by ``repository.export_of``.
    """
    digits = declaration_id.hex
    return (digits[:12] + digits[13:16] + digits[17:20]).upper()


async def on_submitted(session: AsyncSession, event: DeclarationSubmitted) -> None:
    if event.document_type == CARGO and event.type == "export":
        await _keep_export(session, event)
    elif event.document_type == DOCUMENT_TYPE:
        await _check_application(session, event)


async def _keep_export(session: AsyncSession, event: DeclarationSubmitted) -> None:
    export = await repository.export_for_update(session, event.declaration_id)
    if export is None:
        export = RefundExport(
            declaration_id=event.declaration_id, entry_number=entry_number(event.declaration_id), submitted_at=event.at
        )
        session.add(export)
    export.party_id, export.reference, export.revision = event.party_id, event.reference, event.revision
    export.currency, export.data, export.status, export.updated_at = (
        event.data["currency"],
        event.data,
        "submitted",
        event.at,
    )
    await session.flush()


async def on_status_changed(session: AsyncSession, event: DeclarationStatusChanged) -> None:
    if event.document_type == CARGO:
        export = await repository.export_for_update(session, event.declaration_id)
        if export is not None:
            export.status, export.updated_at = event.status, event.at
            if event.status == "released":
                export.released_at = event.at
            await session.flush()
    elif event.document_type == DOCUMENT_TYPE:
        await _follow_application(session, event)


async def _follow_application(session: AsyncSession, event: DeclarationStatusChanged) -> None:
    application = await repository.application_for_update(session, event.declaration_id)
    if application is None:
        return
    application.status, application.updated_at = event.status, event.at
    if event.status in {"released", *CLOSED}:
        application.decided_at = event.at
    if event.status in CLOSED:
        for invoice in await repository.claimed_by(session, application.declaration_id):
            invoice.claimed_by = None
    await session.flush()


def export_date(export: RefundExport) -> date:
    assert export.released_at is not None
    return export.released_at.astimezone(CHINA).date()


def _exporter(data: dict[str, Any]) -> dict[str, Any]:
    party = data["consignor"]
    return {k: party[k] for k in ("name", "country", "address", "uscc") if party.get(k)}


async def prefill(session: AsyncSession, principal: Principal, key: str) -> Prefill:
    """The whole application for one released export: invoices matched, rates looked up, refund computed."""
    ensure(principal, "refund:prepare")
    export = await _released_export(session, principal.party_id, key)
    on = export_date(export)
    available = await repository.unclaimed_invoices(session, principal.party_id)
    lines: list[Line] = []
    goods: list[dict[str, Any]] = []
    skipped: list[str] = []
    for seq, item in enumerate(export.data["goods"], start=1):
        hs = str(item["hs_code"])
        rate = rate_for(hs, on)
        invoice = next((i for i in available if i.hs_code[:6] == hs[:6] and i.issued_on <= on), None)
        if rate is None or invoice is None:
            missing = (
                f"no refund rate is known for HS {hs} on {on}" if rate is None else "no unclaimed purchase invoice"
            )
            skipped.append(f"item {seq} HS {hs}: {missing} (see GET /api/v1/refunds/invoices)")
            continue
        available.remove(invoice)
        line = Line(len(lines) + 1, hs, item["description"], invoice.number, invoice.amount, invoice.vat_amount,
                    rate.refund_rate, rate.source)  # fmt: skip
        lines.append(line)
        goods.append(_goods_line(item, line))
    if not lines:
        raise NothingToClaim(f"export {export.reference} has nothing to claim: " + "; ".join(skipped))
    document = {
        "reference": f"TR-{export.reference}"[:35],
        "exporter": _exporter(export.data),
        "export_declaration_number": export.entry_number,
        "export_date": on.isoformat(),
        "currency": export.currency,
        "goods": goods,
    }
    return Prefill(
        document=document, lines=[_line_out(line) for line in lines], skipped=skipped, total_refund=total(lines)
    )


def _goods_line(item: dict[str, Any], line: Line) -> dict[str, Any]:
    return {
        "hs_code": line.hs_code,
        "description": item["description"],
        "quantity": str(item["quantity"]),
        "unit": item["unit"],
        "value": str(item["value"]),
        "vat_invoice_number": line.invoice_number,
        "vat_amount": f"{line.vat_amount:.2f}",
        "refund_rate": f"{line.rate:.2f}",
    }


def _line_out(line: Line) -> LineOut:
    return LineOut(
        seq=line.seq,
        hs_code=line.hs_code,
        description=line.description,
        invoice_number=line.invoice_number,
        taxable=line.taxable,
        vat_amount=line.vat_amount,
        refund_rate=line.rate,
        refund=line.refund,
        rate_source=line.rate_source,
        explanation=line.explanation,
    )


async def _released_export(session: AsyncSession, party_id: uuid.UUID, key: str) -> RefundExport:
    export = await repository.export_of(session, party_id, key)
    if export is None:
        raise ExportNotFound(f"no export declaration {key} of your enterprise")
    if export.status != "released" or export.released_at is None:
        raise NothingToClaim(f"export {export.reference} is {export.status}; only released exports earn a refund")
    return export


def _refused(loc: tuple[str | int, ...], message: str, value: object) -> InvalidData:
    error: Any = {"type": "value_error", "loc": loc, "msg": message, "input": value}
    return InvalidData([error])


async def _check_application(session: AsyncSession, event: DeclarationSubmitted) -> None:
    """Recompute the claim; refuse the submission when it is not what the export and invoices support.

    An export this platform never saw (declared at another single window, or before this one
    ran) cannot be checked here: the application goes to the tax bureau, which holds customs'
    export data, and is kept without a computed claim.
    """
    data = event.data
    export = await repository.export_of(session, event.party_id, str(data["export_declaration_number"]))
    if export is None:
        await _keep_application(session, event, None, [])
        return
    if export.status != "released" or export.released_at is None:
        number = data["export_declaration_number"]
        raise _refused(("export_declaration_number",), f"export {export.reference} is {export.status}", number)
    on = export_date(export)
    if str(data["export_date"]) != on.isoformat():
        raise _refused(("export_date",), f"the export was released on {on.isoformat()}", data["export_date"])
    for invoice in await repository.claimed_by(session, event.declaration_id):
        invoice.claimed_by = None
    lines = [await _checked_line(session, event, on, index, item) for index, item in enumerate(data["goods"])]
    await _keep_application(session, event, export.declaration_id, lines)


async def _keep_application(
    session: AsyncSession, event: DeclarationSubmitted, export_id: uuid.UUID | None, lines: list[Line]
) -> None:
    application = await repository.application_for_update(session, event.declaration_id)
    if application is None:
        application = RefundApplication(declaration_id=event.declaration_id, submitted_at=event.at)
        session.add(application)
    application.party_id, application.reference, application.export_declaration_id = (
        event.party_id,
        event.reference,
        export_id,
    )
    application.status, application.updated_at = "submitted", event.at
    application.claimed_amount = total(lines) if export_id else None
    application.lines = [_line_out(line).model_dump(mode="json") for line in lines]
    await session.flush()


async def _checked_line(
    session: AsyncSession, event: DeclarationSubmitted, on: date, index: int, item: dict[str, Any]
) -> Line:
    hs, number = str(item["hs_code"]), str(item["vat_invoice_number"])
    invoice = await repository.invoice(session, event.party_id, number)
    if invoice is None or invoice.claimed_by not in (None, event.declaration_id):
        raise _refused(("goods", index, "vat_invoice_number"), "unknown or already claimed invoice", number)
    if invoice.hs_code[:6] != hs[:6]:
        raise _refused(("goods", index, "hs_code"), f"invoice {number} is for HS {invoice.hs_code}", hs)
    if Decimal(str(item["vat_amount"])) != invoice.vat_amount:
        raise _refused(
            ("goods", index, "vat_amount"), f"invoice {number} shows VAT {invoice.vat_amount}", item["vat_amount"]
        )
    rate = rate_for(hs, on)
    if rate is None or Decimal(str(item["refund_rate"])) != rate.refund_rate:
        expected = f"{rate.refund_rate}%" if rate else "none known"
        raise _refused(
            ("goods", index, "refund_rate"), f"the rate for HS {hs} on {on} is {expected}", item["refund_rate"]
        )
    invoice.claimed_by = event.declaration_id
    return Line(index + 1, hs, str(item["description"]), number, invoice.amount, invoice.vat_amount,
                rate.refund_rate, rate.source)  # fmt: skip


async def apply_decision(session: AsyncSession, agency: str, envelope: InboundEnvelope) -> str:
    """The tax bureau's refund amount; the release itself arrives as the core flow's decision."""
    try:
        decision = RefundDecision.model_validate(envelope.payload)
    except ValidationError as exc:
        raise InvalidData([{**e, "loc": ("payload", *e["loc"])} for e in exc.errors()]) from exc
    application = await repository.application_for_update(session, envelope.subject_id) if envelope.subject_id else None
    if application is None or agency != TAX:
        raise ApplicationNotFound(f"no export tax refund application {envelope.subject_id} was sent to {agency}")
    if application.approved_amount is not None:
        return f"ignored: refund already set at {application.approved_amount}"
    application.approved_amount, application.updated_at = decision.refund_amount, utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=f"agency:{agency}",
        action="refund.amount_approved",
        subject=str(application.declaration_id),
        detail={"refund_amount": str(decision.refund_amount), "claimed": str(application.claimed_amount)},
    )
    return f"refund {decision.refund_amount} {decision.currency}"


async def record_invoice(session: AsyncSession, principal: Principal, data: InvoiceIn) -> PurchaseInvoice:
    ensure(principal, "refund:prepare")
    if await repository.invoice(session, principal.party_id, data.number):
        raise InvoiceExists(f"invoice {data.number} is already recorded")
    invoice = PurchaseInvoice(party_id=principal.party_id, **data.model_dump())
    session.add(invoice)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="refund.invoice_recorded", subject=str(invoice.id))
    return invoice


async def invoices(session: AsyncSession, principal: Principal) -> list[PurchaseInvoice]:
    ensure(principal, "refund:read")
    return await repository.invoices(session, principal)


async def exports(session: AsyncSession, principal: Principal) -> list[RefundExport]:
    ensure(principal, "refund:read")
    return await repository.exports(session, principal)


async def applications(session: AsyncSession, principal: Principal) -> list[RefundApplication]:
    ensure(principal, "refund:read")
    return await repository.applications(session, principal)
