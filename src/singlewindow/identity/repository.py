"""Identity queries."""

import uuid
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity.models import ApiKey, Delegation, MailMessage, Party, PartyKind, User


async def party(session: AsyncSession, party_id: uuid.UUID) -> Party | None:
    return await session.get(Party, party_id)


async def parties(session: AsyncSession, party_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Party]:
    wanted = set(party_ids)
    if not wanted:
        return {}
    return {p.id: p for p in await session.scalars(select(Party).where(Party.id.in_(wanted)))}


async def party_by_agency(session: AsyncSession, agency_code: str) -> Party | None:
    return await session.scalar(select(Party).where(Party.agency_code == agency_code))


async def graded_enterprises(session: AsyncSession) -> list[Party]:
    rows = await session.scalars(
        select(Party).where(Party.kind == PartyKind.ENTERPRISE, Party.credit_level.is_not(None)).order_by(Party.id)
    )
    return list(rows)


async def party_by_uscc(session: AsyncSession, uscc: str) -> Party | None:
    return await session.scalar(select(Party).where(Party.uscc == uscc))


async def party_by_email_token(session: AsyncSession, token_hash: str) -> Party | None:
    return await session.scalar(select(Party).where(Party.email_token_hash == token_hash))


async def user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(select(User).where(User.username == username))


async def users_of(session: AsyncSession, party_id: uuid.UUID) -> list[User]:
    return list(await session.scalars(select(User).where(User.party_id == party_id).order_by(User.username)))


async def revoked_users(session: AsyncSession) -> list[User]:
    """Users some of whose tokens are no longer valid: signed out everywhere, or deactivated."""
    return list(await session.scalars(select(User).where(or_(User.token_version > 0, User.active.is_(False)))))


async def api_key_by_hash(session: AsyncSession, key_hash: str) -> ApiKey | None:
    """The key with this hash, revoked or not."""
    return await session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))


async def api_keys_of(session: AsyncSession, party_id: uuid.UUID) -> list[ApiKey]:
    rows = await session.scalars(select(ApiKey).where(ApiKey.party_id == party_id).order_by(ApiKey.created_at))
    return list(rows)


async def active_delegation(session: AsyncSession, client_id: uuid.UUID, broker_id: uuid.UUID) -> Delegation | None:
    return await session.scalar(
        select(Delegation).where(
            Delegation.client_party_id == client_id,
            Delegation.broker_party_id == broker_id,
            Delegation.revoked_at.is_(None),
        )
    )


async def delegations_of(session: AsyncSession, party_id: uuid.UUID) -> list[Delegation]:
    """Delegations the party granted (as client) or holds (as broker)."""
    rows = await session.scalars(
        select(Delegation)
        .where(or_(Delegation.client_party_id == party_id, Delegation.broker_party_id == party_id))
        .order_by(Delegation.created_at)
    )
    return list(rows)


async def mail(session: AsyncSession, to: str | None, limit: int) -> list[MailMessage]:
    query = select(MailMessage).order_by(MailMessage.created_at.desc()).limit(limit)
    if to:
        query = query.where(MailMessage.to == to)
    return list(await session.scalars(query))
