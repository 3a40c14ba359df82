"""What every authenticated request asks about its caller, cached per process (``kit.cache``).

A token is checked against its user's version and active flag, the caller's party gives the
principal its kind and agency, routing reads the declarant's credit level, a broker's request
needs its delegation: without a cache, each is a query on every request. The facts are small
frozen copies, never ORM instances, so no session's state leaks into another. Every change to
a party, user, API key or delegation made through the ORM in this process drops the entries
it affects at once and again on commit; other processes see it within the TTL.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity import repository
from singlewindow.identity.models import ApiKey, CreditLevel, Delegation, Party, PartyKind, User
from singlewindow.kit.cache import forget_on_change, lookup_cache


@dataclass(frozen=True, slots=True)
class PartyFacts:
    id: uuid.UUID
    kind: PartyKind
    name: str
    uscc: str | None
    customs_code: str | None
    agency_code: str | None
    credit_level: CreditLevel | None

    @classmethod
    def of(cls, party: Party) -> "PartyFacts":
        return cls(
            party.id, party.kind, party.name, party.uscc, party.customs_code, party.agency_code, party.credit_level
        )


@dataclass(frozen=True, slots=True)
class UserFacts:
    id: uuid.UUID
    party_id: uuid.UUID
    roles: tuple[str, ...]
    active: bool
    token_version: int


@dataclass(frozen=True, slots=True)
class ApiKeyFacts:
    id: uuid.UUID
    party_id: uuid.UUID
    roles: tuple[str, ...]
    revoked: bool


_parties = lookup_cache("parties")
_users = lookup_cache("users")
_api_keys = lookup_cache("api_keys", remember_missing=False)
_delegations = lookup_cache("delegations")


def _present(*keys: Any) -> Iterable[Any]:
    """The keys of an instance, less those not known before its first flush (a new row's id)."""
    return [key for key in keys if None not in key]


forget_on_change(_parties, Party, lambda p: _present(("id", p.id), ("uscc", p.uscc)))
forget_on_change(_users, User, lambda u: _present((u.id,)))
forget_on_change(_api_keys, ApiKey, lambda k: _present(("id", k.id), ("hash", k.key_hash)))
forget_on_change(_delegations, Delegation, lambda d: _present((d.client_party_id, d.broker_party_id)))


async def party(session: AsyncSession, party_id: uuid.UUID) -> PartyFacts | None:
    async def load() -> PartyFacts | None:
        found = await repository.party(session, party_id)
        return PartyFacts.of(found) if found else None

    facts: PartyFacts | None = await _parties.get(("id", party_id), load)
    return facts


async def party_by_uscc(session: AsyncSession, uscc: str) -> PartyFacts | None:
    async def load() -> PartyFacts | None:
        found = await repository.party_by_uscc(session, uscc)
        return PartyFacts.of(found) if found else None

    facts: PartyFacts | None = await _parties.get(("uscc", uscc), load)
    return facts


async def user(session: AsyncSession, user_id: uuid.UUID) -> UserFacts | None:
    async def load() -> UserFacts | None:
        found = await repository.user(session, user_id)
        if found is None:
            return None
        return UserFacts(found.id, found.party_id, tuple(found.roles), found.active, found.token_version)

    facts: UserFacts | None = await _users.get((user_id,), load)
    return facts


def _api_key_facts(found: ApiKey | None) -> ApiKeyFacts | None:
    return ApiKeyFacts(found.id, found.party_id, tuple(found.roles), found.revoked_at is not None) if found else None


async def api_key(session: AsyncSession, api_key_id: uuid.UUID) -> ApiKeyFacts | None:
    async def load() -> ApiKeyFacts | None:
        return _api_key_facts(await session.get(ApiKey, api_key_id))

    facts: ApiKeyFacts | None = await _api_keys.get(("id", api_key_id), load)
    return facts


async def api_key_by_hash(session: AsyncSession, key_hash: str) -> ApiKeyFacts | None:
    async def load() -> ApiKeyFacts | None:
        return _api_key_facts(await repository.api_key_by_hash(session, key_hash))

    facts: ApiKeyFacts | None = await _api_keys.get(("hash", key_hash), load)
    return facts


async def delegated(session: AsyncSession, client_id: uuid.UUID, broker_id: uuid.UUID) -> bool:
    """Whether the client has a delegation in force to the broker."""

    async def load() -> bool:
        return await repository.active_delegation(session, client_id, broker_id) is not None

    held: bool = await _delegations.get((client_id, broker_id), load)
    return held
