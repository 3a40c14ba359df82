"""Payment pages: a trader's orders, one order's explained assessment with pay and guarantee forms,
and the public catalogue of port charges with a comparison across ports."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from singlewindow.errors import NotFound
from singlewindow.kit.web import DbSession
from singlewindow.payments import reference, service, views
from singlewindow.payments.bank import DEMO_ACCOUNT
from singlewindow.payments.models import OrderStatus
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Trader, flash, render

router = APIRouter()
LINE_LABELS = {
    "value": N_("Invoice value in yuan"),
    "freight_share": N_("Freight (this item's share)"),
    "insurance_share": N_("Insurance (this item's share)"),
    "customs_value": N_("Customs value (CIF)"),
    "duty_mfn": N_("Duty at the MFN rate"),
    "duty_provisional": N_("Duty at the provisional rate"),
    "duty_conventional": N_("Duty at the conventional (agreement) rate"),
    "consumption_tax": N_("Consumption tax"),
    "vat": N_("Import VAT"),
    "freight_included": N_("Freight is included in the price (delivery term)"),
    "insurance_included": N_("Insurance is included in the price (delivery term)"),
    "freight_declared": N_("Declared freight"),
    "insurance_declared": N_("Declared insurance"),
    "freight_standard": N_("Standard freight (not declared)"),
    "insurance_standard": N_("Standard insurance, 3‰ of cost and freight (not declared)"),
    "freight_rate": N_("Declared freight rate"),
    "insurance_rate": N_("Declared insurance rate"),
    "exchange_rate": N_("Customs exchange rate"),
    "exchange_rate_stale": N_("Customs exchange rate (the month's rate is not loaded: latest earlier rate)"),
}


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


@router.get("/payments", response_class=HTMLResponse)
async def orders(
    request: Request, user: Trader, session: DbSession, status: Annotated[OrderStatus | None, Query()] = None
) -> HTMLResponse:
    rows = await service.orders(session, user.principal, status=status, limit=100)
    return render(request, "payments_list.html", rows=rows, statuses=list(OrderStatus), status=status or "")


@router.get("/payments/{order_id}", response_class=HTMLResponse)
async def order(request: Request, order_id: uuid.UUID, user: Trader, session: DbSession) -> HTMLResponse:
    detail = views.order_detail(*await service.order_detail(session, user.principal, order_id))
    return render(
        request,
        "payment_order.html",
        o=detail,
        labels=LINE_LABELS,
        payable=detail.status is OrderStatus.AWAITING_PAYMENT,
        pending=any(p.status == "pending" for p in detail.payments),
        payment_key=str(uuid.uuid4()),
        demo_account=DEMO_ACCOUNT,
    )


@router.post("/payments/{order_id}/pay")
async def pay(
    request: Request,
    order_id: uuid.UUID,
    user: Trader,
    session: DbSession,
    payer_account: Annotated[str, Form(pattern=r"^[0-9A-Za-z-]{4,40}$")],
    payment_key: Annotated[str, Form(min_length=8, max_length=120)],
) -> Response:
    """The key is made when the page is shown, so a double click or a resubmitted form pays once."""
    await service.pay(session, user.principal, order_id, payment_key, payer_account, "simulated")
    await session.commit()
    flash(request, N_("Payment sent to the bank. The order settles when the bank answers."))
    return RedirectResponse(f"{_base(request)}/payments/{order_id}", status_code=303)


@router.post("/payments/{order_id}/guarantee")
async def guarantee(
    request: Request,
    order_id: uuid.UUID,
    user: Trader,
    session: DbSession,
    reference_number: Annotated[str, Form(min_length=4, max_length=60)],
) -> Response:
    await service.lodge_guarantee(session, user.principal, order_id, reference_number)
    await session.commit()
    flash(request, N_("Guarantee lodged. Customs releases against it."))
    return RedirectResponse(f"{_base(request)}/payments/{order_id}", status_code=303)


@router.get("/port-charges", response_class=HTMLResponse)
async def port_charges(
    request: Request,
    session: DbSession,
    port: Annotated[str, Query(max_length=5)] = "",
    service_code: Annotated[str, Query(alias="service", max_length=40)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    compare: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """Public: anyone may read and compare published port charges, signed in or not."""
    rows = await reference.search_charges(session, port=port or None, service=service_code or None, text=q or None)
    everything = await reference.search_charges(session)
    comparisons = []
    if compare:
        try:
            comparisons = await reference.compare(session, compare)
        except NotFound:
            comparisons = []
    return render(
        request,
        "port_charges.html",
        rows=rows,
        ports=sorted({c.port for c in everything}),
        services=sorted({(c.service_code, c.service_zh, c.service_en) for c in everything}),
        query={"port": port, "service": service_code, "q": q},
        compare=compare,
        comparisons=comparisons,
    )
