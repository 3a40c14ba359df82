"""Payment endpoints: orders and their explained assessments, paying, guarantees, receipts, rates, port charges."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response, status

from singlewindow.identity.dependencies import PUBLIC, requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession
from singlewindow.payments import bank, reference, service, views
from singlewindow.payments.errors import ReceiptNotFound
from singlewindow.payments.models import OrderStatus
from singlewindow.payments.schemas import (
    Comparison,
    GuaranteeRequest,
    Month,
    OrderDetail,
    OrderOut,
    PaymentOut,
    PayRequest,
    PortChargeIn,
    PortChargeOut,
    RateIn,
    RateOut,
    ReceiptOut,
    SimulatedAccountIn,
    SimulatedAccountOut,
)
from singlewindow.payments.tariff import shipped

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])
simulated_bank = APIRouter(prefix="/api/v1/payments/simulated-bank", tags=["simulators"])
Reader = Annotated[Principal, requires("payment:read")]
Payer = Annotated[Principal, requires("payment:pay")]
Operator = Annotated[Principal, requires("payment:operate")]
IdempotencyKey = Annotated[
    str, Header(alias="Idempotency-Key", min_length=1, max_length=120, description="The same key never pays twice")
]


@router.get("/orders", response_model=list[OrderOut])
async def orders(
    principal: Reader,
    session: DbSession,
    status_filter: Annotated[OrderStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[OrderOut]:
    found = await service.orders(session, principal, status=status_filter, limit=limit, offset=offset)
    return [OrderOut.model_validate(o) for o in found]


@router.get("/orders/{order_id}", response_model=OrderDetail)
async def order(order_id: uuid.UUID, principal: Reader, session: DbSession) -> OrderDetail:
    """The order with its assessment explained line by line, its payments and its receipt."""
    return views.order_detail(*await service.order_detail(session, principal, order_id))


@router.get("/declarations/{declaration_id}/orders", response_model=list[OrderOut])
async def declaration_orders(declaration_id: uuid.UUID, principal: Reader, session: DbSession) -> list[OrderOut]:
    """Every revision's order for one declaration (an amendment opens a new one)."""
    return [
        OrderOut.model_validate(o) for o in await service.orders_for_declaration(session, principal, declaration_id)
    ]


@router.post(
    "/orders/{order_id}/pay",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PaymentOut,
    responses={200: {"description": "The payment this Idempotency-Key already started"}},
)
async def pay(
    order_id: uuid.UUID, data: PayRequest, key: IdempotencyKey, principal: Payer, session: DbSession, response: Response
) -> PaymentOut:
    """Send the payment to the bank; its answer settles the order (poll the order, or take the webhook)."""
    payment, created = await service.pay(session, principal, order_id, key, data.payer_account, data.bank)
    await session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return PaymentOut.model_validate(payment)


@router.post("/orders/{order_id}/guarantee", response_model=OrderOut)
async def guarantee(order_id: uuid.UUID, data: GuaranteeRequest, principal: Payer, session: DbSession) -> OrderOut:
    """Secure the order with a bank guarantee: customs releases now, the duty is collected later."""
    order = await service.lodge_guarantee(session, principal, order_id, data.reference)
    await session.commit()
    return OrderOut.model_validate(order)


@router.get("/receipts/{number}", response_model=ReceiptOut)
async def receipt(number: str, principal: Reader, session: DbSession) -> ReceiptOut:
    """The signed receipt; check its signature against /.well-known/jwks.json (key_id)."""
    found = await service.receipt(session, principal, number)
    if found is None:
        raise ReceiptNotFound(f"no receipt {number}")
    return ReceiptOut.model_validate(found)


@router.get("/rates", response_model=list[RateOut], dependencies=[PUBLIC])
async def rates(session: DbSession, month: Annotated[Month | None, Query()] = None) -> list[RateOut]:
    """Customs exchange rates by month (public, as customs publishes them)."""
    return [RateOut.model_validate(r) for r in await reference.rates(session, month)]


@router.put("/rates/{currency}/{month}", response_model=RateOut)
async def put_rate(
    currency: Annotated[str, Path(pattern=r"^[A-Z]{3}$")],
    month: Annotated[str, Path(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")],
    data: RateIn,
    principal: Operator,
    session: DbSession,
) -> RateOut:
    row = await reference.put_rate(session, principal, currency, month, data)
    await session.commit()
    return RateOut.model_validate(row)


@router.get("/tariff/{hs_code}", dependencies=[PUBLIC])
async def tariff_line(hs_code: Annotated[str, Path(pattern=r"^[0-9]{6,10}$")]) -> dict[str, object]:
    """The shipped tariff line a declared HS code falls under (rates, consumption tax, VAT, agreements)."""
    tariff = shipped()
    key, line = tariff.line(hs_code)
    return {"hs_code": hs_code, "tariff_line": key, "edition": tariff.edition, **line.model_dump(mode="json")}


@router.get("/port-charges", response_model=list[PortChargeOut], dependencies=[PUBLIC])
async def port_charges(
    session: DbSession,
    port: Annotated[str | None, Query(max_length=5)] = None,
    operator: Annotated[str | None, Query(max_length=200)] = None,
    service_code: Annotated[str | None, Query(alias="service", max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Words in the service or operator name")] = None,
) -> list[PortChargeOut]:
    """The public catalogue of port charges (收费公示)."""
    rows = await reference.search_charges(session, port=port, operator=operator, service=service_code, text=q)
    return [PortChargeOut.model_validate(r) for r in rows]


@router.get("/port-charges/compare/{service_code}", response_model=list[Comparison], dependencies=[PUBLIC])
async def compare(service_code: str, session: DbSession) -> list[Comparison]:
    """One service across ports, cheapest first (one comparison per unit and currency)."""
    return await reference.compare(session, service_code)


@router.put("/port-charges", response_model=PortChargeOut)
async def publish_charge(data: PortChargeIn, principal: Operator, session: DbSession) -> PortChargeOut:
    row = await reference.publish_charge(session, principal, data)
    await session.commit()
    return PortChargeOut.model_validate(row)


@simulated_bank.put("/accounts/{account}", response_model=SimulatedAccountOut)
async def put_account(
    account: Annotated[str, Path(pattern=r"^[0-9A-Za-z-]{4,40}$")],
    data: SimulatedAccountIn,
    principal: Operator,
    session: DbSession,
) -> SimulatedAccountOut:
    """Open or change an account at the simulated bank: its balance and whether it accepts, declines or times out."""
    row = await bank.put_account(session, principal, account, data)
    await session.commit()
    return SimulatedAccountOut.model_validate(row)


@simulated_bank.get("/accounts/{account}", response_model=SimulatedAccountOut)
async def get_account(account: str, principal: Operator, session: DbSession) -> SimulatedAccountOut:
    return SimulatedAccountOut.model_validate(await bank.get_account(session, principal, account))
