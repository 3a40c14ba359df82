"""Qualification queries."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.qualifications.models import Qualification, QualificationStatus


async def of_party(session: AsyncSession, party_id: uuid.UUID) -> list[Qualification]:
    rows = await session.scalars(
        select(Qualification).where(Qualification.party_id == party_id).order_by(Qualification.created_at)
    )
    return list(rows)


async def current(session: AsyncSession, party_id: uuid.UUID, kind: str) -> Qualification | None:
    """The application in progress or the grant in force, if any."""
    return await session.scalar(
        select(Qualification).where(
            Qualification.party_id == party_id,
            Qualification.kind == kind,
            Qualification.status.in_([QualificationStatus.APPLIED, QualificationStatus.GRANTED]),
        )
    )


async def for_update(session: AsyncSession, qualification_id: uuid.UUID) -> Qualification | None:
    return await session.scalar(select(Qualification).where(Qualification.id == qualification_id).with_for_update())
