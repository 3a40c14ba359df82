"""Export tax refund queries, each scoped to the principal's enterprise (operators see all)."""

import contextlib
import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.principal import Principal
from singlewindow.refunds.models import PurchaseInvoice, RefundApplication, RefundExport


async def export_for_update(session: AsyncSession, declaration_id: uuid.UUID) -> RefundExport | None:
    return await session.scalar(
        select(RefundExport).where(RefundExport.declaration_id == declaration_id).with_for_update()
    )


async def exports(session: AsyncSession, principal: Principal, limit: int = 200) -> list[RefundExport]:
    query = select(RefundExport).order_by(RefundExport.submitted_at.desc()).limit(limit)
    if principal.is_enterprise:
        query = query.where(RefundExport.party_id == principal.party_id)
    return list(await session.scalars(query))


async def export_of(session: AsyncSession, party_id: uuid.UUID, key: str) -> RefundExport | None:
    """One of the party's exports by declaration id, entry number or the trader's reference."""
    conditions = [RefundExport.entry_number == key.upper(), RefundExport.reference == key]
    with contextlib.suppress(ValueError):
        conditions.append(RefundExport.declaration_id == uuid.UUID(key))
    query = select(RefundExport).where(RefundExport.party_id == party_id, or_(*conditions))
    return await session.scalar(query.order_by(RefundExport.submitted_at.desc()).limit(1))


async def invoices(session: AsyncSession, principal: Principal, limit: int = 500) -> list[PurchaseInvoice]:
    query = select(PurchaseInvoice).order_by(PurchaseInvoice.issued_on.desc(), PurchaseInvoice.number).limit(limit)
    if principal.is_enterprise:
        query = query.where(PurchaseInvoice.party_id == principal.party_id)
    return list(await session.scalars(query))


async def invoice(session: AsyncSession, party_id: uuid.UUID, number: str) -> PurchaseInvoice | None:
    query = select(PurchaseInvoice).where(PurchaseInvoice.party_id == party_id, PurchaseInvoice.number == number)
    return await session.scalar(query.with_for_update())


async def unclaimed_invoices(session: AsyncSession, party_id: uuid.UUID) -> list[PurchaseInvoice]:
    query = select(PurchaseInvoice).where(PurchaseInvoice.party_id == party_id, PurchaseInvoice.claimed_by.is_(None))
    return list(await session.scalars(query.order_by(PurchaseInvoice.issued_on, PurchaseInvoice.number)))


async def claimed_by(session: AsyncSession, application_id: uuid.UUID) -> list[PurchaseInvoice]:
    return list(await session.scalars(select(PurchaseInvoice).where(PurchaseInvoice.claimed_by == application_id)))


async def application_for_update(session: AsyncSession, declaration_id: uuid.UUID) -> RefundApplication | None:
    query = select(RefundApplication).where(RefundApplication.declaration_id == declaration_id)
    return await session.scalar(query.with_for_update())


async def applications(session: AsyncSession, principal: Principal, limit: int = 200) -> list[RefundApplication]:
    query = select(RefundApplication).order_by(RefundApplication.submitted_at.desc()).limit(limit)
    if principal.is_enterprise:
        query = query.where(RefundApplication.party_id == principal.party_id)
    return list(await session.scalars(query))
