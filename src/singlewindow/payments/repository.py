"""Payment queries, each starting from what the principal may read."""

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.principal import Principal
from singlewindow.payments.models import (
    Assessment,
    CustomsRate,
    Payment,
    PaymentOrder,
    PaymentStatus,
    PortCharge,
    Receipt,
)


def _orders(principal: Principal) -> Select[PaymentOrder]:
    """An enterprise reads its own orders; the operator and auditors read every order."""
    query = select(PaymentOrder)
    return query if principal.is_operator else query.where(PaymentOrder.party_id == principal.party_id)


async def orders(
    session: AsyncSession, principal: Principal, *, status: str | None, limit: int, offset: int
) -> list[PaymentOrder]:
    query = _orders(principal)
    if status:
        query = query.where(PaymentOrder.status == status)
    rows = await session.scalars(query.order_by(PaymentOrder.created_at.desc()).limit(limit).offset(offset))
    return list(rows)


async def order(
    session: AsyncSession, principal: Principal, order_id: uuid.UUID, *, for_update: bool = False
) -> PaymentOrder | None:
    query = _orders(principal).where(PaymentOrder.id == order_id)
    return await session.scalar(query.with_for_update() if for_update else query)


async def order_by_id_for_update(session: AsyncSession, order_id: uuid.UUID) -> PaymentOrder | None:
    return await session.scalar(select(PaymentOrder).where(PaymentOrder.id == order_id).with_for_update())


async def orders_of_declaration(session: AsyncSession, declaration_id: uuid.UUID) -> list[PaymentOrder]:
    rows = await session.scalars(
        select(PaymentOrder).where(PaymentOrder.declaration_id == declaration_id).order_by(PaymentOrder.revision)
    )
    return list(rows)


async def assessment(session: AsyncSession, assessment_id: uuid.UUID) -> Assessment | None:
    return await session.get(Assessment, assessment_id)


async def assessment_of(session: AsyncSession, declaration_id: uuid.UUID, revision: int) -> Assessment | None:
    return await session.scalar(
        select(Assessment).where(Assessment.declaration_id == declaration_id, Assessment.revision == revision)
    )


async def payments_of(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[Payment]:
    rows = await session.scalars(select(Payment).where(Payment.order_id.in_(order_ids)).order_by(Payment.created_at))
    return list(rows)


async def payment_by_key(session: AsyncSession, order_id: uuid.UUID, key: str) -> Payment | None:
    return await session.scalar(select(Payment).where(Payment.order_id == order_id, Payment.idempotency_key == key))


async def pending_payment(session: AsyncSession, order_id: uuid.UUID) -> Payment | None:
    return await session.scalar(
        select(Payment).where(Payment.order_id == order_id, Payment.status == PaymentStatus.PENDING)
    )


async def payment_for_update(session: AsyncSession, payment_id: uuid.UUID) -> Payment | None:
    return await session.scalar(select(Payment).where(Payment.id == payment_id).with_for_update())


async def receipt_of(session: AsyncSession, order_id: uuid.UUID) -> Receipt | None:
    return await session.scalar(select(Receipt).where(Receipt.order_id == order_id))


async def receipt_by_number(session: AsyncSession, number: str) -> Receipt | None:
    return await session.scalar(select(Receipt).where(Receipt.number == number))


async def rates_up_to(session: AsyncSession, month: str) -> list[CustomsRate]:
    """Every currency's rate for ``month`` or, where that month is not loaded, its latest earlier month."""
    rows = await session.scalars(
        select(CustomsRate).where(CustomsRate.month <= month).order_by(CustomsRate.currency, CustomsRate.month.desc())
    )
    latest: dict[str, CustomsRate] = {}
    for row in rows:
        latest.setdefault(row.currency, row)
    return list(latest.values())


async def rates(session: AsyncSession, month: str | None) -> list[CustomsRate]:
    query = select(CustomsRate).order_by(CustomsRate.month.desc(), CustomsRate.currency)
    if month:
        query = query.where(CustomsRate.month == month)
    return list(await session.scalars(query))


async def port_charges(
    session: AsyncSession, *, port: str | None, operator: str | None, service: str | None, text: str | None
) -> list[PortCharge]:
    query = select(PortCharge)
    if port:
        query = query.where(PortCharge.port == port.upper())
    if operator:
        query = query.where(PortCharge.operator.contains(operator))
    if service:
        query = query.where(PortCharge.service_code == service)
    if text:
        query = query.where(
            or_(
                PortCharge.service_zh.contains(text),
                PortCharge.service_en.ilike(f"%{text}%"),
                PortCharge.operator.ilike(f"%{text}%"),
            )
        )
    rows = await session.scalars(query.order_by(PortCharge.port, PortCharge.service_code, PortCharge.operator))
    return list(rows)


async def port_charge(
    session: AsyncSession, port: str, operator: str, service_code: str, unit: str
) -> PortCharge | None:
    return await session.scalar(
        select(PortCharge).where(
            PortCharge.port == port,
            PortCharge.operator == operator,
            PortCharge.service_code == service_code,
            PortCharge.unit == unit,
        )
    )


async def any_port_charge(session: AsyncSession) -> bool:
    return await session.scalar(select(PortCharge.id).limit(1)) is not None
