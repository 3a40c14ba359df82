"""Registry queries; the balance changes are single conditional UPDATEs so concurrent writers cannot overdraw."""

import uuid
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.licences.models import (
    Licence,
    LicenceApplication,
    LicenceGoods,
    LicenceSequence,
    LicenceUse,
    UseState,
)


def readable_by(principal: Principal) -> Select[Licence]:
    """What a principal may see: the holder its own licences; agencies and the operator every licence."""
    query = select(Licence)
    if principal.party_kind is PartyKind.ENTERPRISE:
        query = query.where(Licence.holder_party_id == principal.party_id)
    return query


async def readable(session: AsyncSession, principal: Principal, number: str) -> Licence | None:
    return await session.scalar(readable_by(principal).where(Licence.number == number))


async def held_by(session: AsyncSession, principal: Principal) -> list[Licence]:
    return list(await session.scalars(readable_by(principal).order_by(Licence.created_at.desc())))


async def every(session: AsyncSession) -> list[Licence]:
    return list(await session.scalars(select(Licence).order_by(Licence.created_at.desc())))


async def by_number(session: AsyncSession, number: str, *, for_update: bool = False) -> Licence | None:
    query = select(Licence).where(Licence.number == number)
    return await session.scalar(query.with_for_update() if for_update else query)


async def by_application(session: AsyncSession, application_id: uuid.UUID) -> Licence | None:
    return await session.scalar(select(Licence).where(Licence.application_id == application_id))


async def issued_by(session: AsyncSession, agency: str) -> list[Licence]:
    return list(
        await session.scalars(select(Licence).where(Licence.agency == agency).order_by(Licence.created_at.desc()))
    )


async def goods_of(session: AsyncSession, licence_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[LicenceGoods]]:
    """Each licence's lines, read fresh (the conditional UPDATEs bypass the session's copies)."""
    rows = await session.scalars(
        select(LicenceGoods)
        .where(LicenceGoods.licence_id.in_(licence_ids))
        .order_by(LicenceGoods.line)
        .execution_options(populate_existing=True)
    )
    lines: dict[uuid.UUID, list[LicenceGoods]] = {i: [] for i in licence_ids}
    for line in rows:
        lines[line.licence_id].append(line)
    return lines


async def uses_of(session: AsyncSession, licence_id: uuid.UUID) -> list[tuple[LicenceUse, int]]:
    """The licence's usage history, newest first, with the line each use drew on."""
    rows = await session.execute(
        select(LicenceUse, LicenceGoods.line)
        .join(LicenceGoods, LicenceGoods.id == LicenceUse.goods_id)
        .where(LicenceUse.licence_id == licence_id)
        .order_by(LicenceUse.created_at.desc(), LicenceUse.item)
    )
    return [(use, line) for use, line in rows]


async def held_uses(session: AsyncSession, declaration_id: uuid.UUID) -> list[LicenceUse]:
    """A declaration's reservations, in line order (the order every writer locks lines in)."""
    return list(
        await session.scalars(
            select(LicenceUse)
            .where(LicenceUse.declaration_id == declaration_id, LicenceUse.state == UseState.RESERVED)
            .order_by(LicenceUse.goods_id)
        )
    )


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


async def reserve(session: AsyncSession, goods_id: uuid.UUID, quantity: int, value: int) -> bool:
    """Reserve from one line in ONE conditional UPDATE; False when the balance (as committed now) is short.

    On PostgreSQL a concurrent reserver of the same line waits for our row lock and then
    re-evaluates the WHERE clause against the committed row, so of two declarations racing
    for the last of a balance exactly one gets rowcount 1. SQLite has one writer at a time.
    """
    g = LicenceGoods
    result = await session.execute(
        update(g)
        .where(
            g.id == goods_id,
            or_(g.quantity_allowed.is_(None), g.quantity_allowed - g.quantity_used - g.quantity_reserved >= quantity),
            or_(g.value_allowed.is_(None), g.value_allowed - g.value_used - g.value_reserved >= value),
        )
        .values(quantity_reserved=g.quantity_reserved + quantity, value_reserved=g.value_reserved + value)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


async def settle(session: AsyncSession, use: LicenceUse, state: UseState) -> None:
    """End a reservation: written off (becomes use) or released (given back); a settled use is left alone."""
    g = LicenceGoods
    used = state is UseState.WRITTEN_OFF
    moved = await session.execute(
        update(LicenceUse)
        .where(LicenceUse.id == use.id, LicenceUse.state == UseState.RESERVED)
        .values(state=state, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if _rowcount(moved) != 1:
        return
    await session.execute(
        update(g)
        .where(g.id == use.goods_id)
        .values(
            quantity_reserved=g.quantity_reserved - use.quantity,
            value_reserved=g.value_reserved - use.value,
            quantity_used=g.quantity_used + (use.quantity if used else 0),
            value_used=g.value_used + (use.value if used else 0),
        )
        .execution_options(synchronize_session=False)
    )


async def application(session: AsyncSession, declaration_id: uuid.UUID) -> LicenceApplication | None:
    return await session.get(LicenceApplication, declaration_id)


async def next_serial(session: AsyncSession, prefix: str) -> int:
    """The next serial for a number prefix; the row's update lock orders concurrent issuers."""
    advanced = (
        update(LicenceSequence)
        .where(LicenceSequence.prefix == prefix)
        .values(last=LicenceSequence.last + 1)
        .returning(LicenceSequence.last)
    )
    serial = await session.scalar(advanced)
    if serial is not None:
        return int(serial)
    try:
        async with session.begin_nested():
            session.add(LicenceSequence(prefix=prefix, last=1))
        return 1
    except IntegrityError:
        return int(await session.scalar(advanced) or 0)


async def at_least(session: AsyncSession, prefix: str, serial: int) -> None:
    """Move a prefix's sequence past a serial registered from outside (seeding), so issuing never repeats it."""
    row = await session.get(LicenceSequence, prefix, with_for_update=True, populate_existing=True)
    if row is None:
        session.add(LicenceSequence(prefix=prefix, last=serial))
    elif row.last < serial:
        row.last = serial
    await session.flush()
