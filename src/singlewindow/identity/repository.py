"""Identity queries."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.models import ApiKey, Party, User


async def party(session: AsyncSession, party_id: uuid.UUID) -> Party | None:
    return await session.get(Party, party_id)


async def party_by_agency(session: AsyncSession, agency_code: str) -> Party | None:
    return await session.scalar(select(Party).where(Party.agency_code == agency_code))


async def party_by_uscc(session: AsyncSession, uscc: str) -> Party | None:
    return await session.scalar(select(Party).where(Party.uscc == uscc))


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(select(User).where(User.username == username))


async def active_api_key(session: AsyncSession, key_hash: str) -> tuple[ApiKey, Party] | None:
    row = (
        await session.execute(
            select(ApiKey, Party)
            .join(Party, Party.id == ApiKey.party_id)
            .where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
        )
    ).first()
    return (row[0], row[1]) if row else None


async def api_keys_of(session: AsyncSession, party_id: uuid.UUID) -> list[ApiKey]:
    rows = await session.scalars(select(ApiKey).where(ApiKey.party_id == party_id).order_by(ApiKey.created_at))
    return list(rows)
