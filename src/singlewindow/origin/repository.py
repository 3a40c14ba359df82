"""Certificate of origin queries, each scoped to what the principal may see."""

import uuid

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import insert_for
from singlewindow.origin.models import (
    Certificate,
    CertificateUse,
    NumberSequence,
    OriginApplication,
    ReceivedCertificate,
    SigningKey,
    TrustedIssuer,
)


def readable_by(principal: Principal) -> Select[Certificate]:
    """An enterprise sees its own certificates; agencies and operators see every one."""
    query = select(Certificate)
    if principal.is_enterprise:
        query = query.where(Certificate.party_id == principal.party_id)
    return query


async def certificates(session: AsyncSession, principal: Principal, limit: int = 200) -> list[Certificate]:
    return list(await session.scalars(readable_by(principal).order_by(Certificate.issued_at.desc()).limit(limit)))


async def readable_certificate(session: AsyncSession, principal: Principal, number: str) -> Certificate | None:
    return await session.scalar(readable_by(principal).where(Certificate.number == number))


async def by_number(session: AsyncSession, number: str, *, for_update: bool = False) -> Certificate | None:
    query = select(Certificate).where(Certificate.number == number)
    return await session.scalar(query.with_for_update() if for_update else query)


async def for_declaration(session: AsyncSession, declaration_id: uuid.UUID) -> Certificate | None:
    return await session.scalar(select(Certificate).where(Certificate.declaration_id == declaration_id))


async def application(
    session: AsyncSession, declaration_id: uuid.UUID, *, for_update: bool = False
) -> OriginApplication | None:
    query = select(OriginApplication).where(OriginApplication.declaration_id == declaration_id)
    return await session.scalar(query.with_for_update() if for_update else query)


async def received(session: AsyncSession, limit: int = 200) -> list[ReceivedCertificate]:
    query = select(ReceivedCertificate).order_by(ReceivedCertificate.created_at.desc()).limit(limit)
    return list(await session.scalars(query))


async def received_one(session: AsyncSession, exporting_country: str, number: str) -> ReceivedCertificate | None:
    return await session.scalar(
        select(ReceivedCertificate).where(
            ReceivedCertificate.exporting_country == exporting_country, ReceivedCertificate.number == number
        )
    )


async def received_countries(session: AsyncSession, number: str) -> list[str]:
    """The exporting countries of received certificates that carry this number (numbers are unique per country)."""
    found = await session.scalars(
        select(ReceivedCertificate.exporting_country).where(ReceivedCertificate.number == number)
    )
    return sorted(found)


async def active_key(session: AsyncSession) -> SigningKey | None:
    query = select(SigningKey).where(SigningKey.retired_at.is_(None)).order_by(SigningKey.created_at.desc())
    return await session.scalar(query.limit(1))


async def keys(session: AsyncSession) -> list[SigningKey]:
    return list(await session.scalars(select(SigningKey).order_by(SigningKey.created_at)))


async def issuers(session: AsyncSession) -> list[TrustedIssuer]:
    return list(await session.scalars(select(TrustedIssuer).order_by(TrustedIssuer.country, TrustedIssuer.created_at)))


async def sequence_for_update(session: AsyncSession, prefix: str) -> NumberSequence | None:
    return await session.scalar(select(NumberSequence).where(NumberSequence.prefix == prefix).with_for_update())


async def use_once(session: AsyncSession, exporting_country: str, number: str, declaration_id: uuid.UUID) -> uuid.UUID:
    """Record ``declaration_id`` as the certificate's one use unless another holds it; returns the holder.

    Two declarations claiming at once: the second insert waits for the first to commit, then
    does nothing and reads the first as the holder.
    """
    await session.execute(
        insert_for(session, CertificateUse)
        .values(exporting_country=exporting_country, number=number, declaration_id=declaration_id, used_at=utcnow())
        .on_conflict_do_nothing(index_elements=["exporting_country", "number"])
    )
    holder = await session.scalar(
        select(CertificateUse.declaration_id).where(
            CertificateUse.exporting_country == exporting_country, CertificateUse.number == number
        )
    )
    assert holder is not None, "inserted just above or held already"
    return holder


async def release_uses(session: AsyncSession, declaration_id: uuid.UUID) -> None:
    await session.execute(delete(CertificateUse).where(CertificateUse.declaration_id == declaration_id))
