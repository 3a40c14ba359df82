"""Identity use cases: register, sign in, manage API keys. Services flush; the edge commits."""

import uuid
from collections.abc import Iterable

from anyio import to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.errors import Forbidden, NotFound, Unauthorized
from singlewindow.identity import repository
from singlewindow.identity.credentials import api_key_hash, hash_password, new_api_key, password_matches
from singlewindow.identity.errors import DuplicateParty, DuplicateUsername
from singlewindow.identity.models import ApiKey, Party, PartyKind, User
from singlewindow.identity.principal import Principal
from singlewindow.identity.schemas import EnterpriseRegistration
from singlewindow.kit.clock import utcnow

_DUMMY_HASH = hash_password("timing-equaliser")


async def register_enterprise(session: AsyncSession, data: EnterpriseRegistration) -> Party:
    if await repository.party_by_uscc(session, data.uscc):
        raise DuplicateParty(f"an enterprise with unified social credit code {data.uscc} is already registered")
    party = Party(
        kind=PartyKind.ENTERPRISE,
        name=data.name,
        uscc=data.uscc,
        customs_code=data.customs_code,
        address=data.address,
        roles=list(data.roles),
    )
    session.add(party)
    await session.flush()
    await add_user(session, party, data.admin.username, data.admin.password, ["admin", "declarant"])
    await audit.record(session, actor=f"party:{party.id}", action="enterprise.registered", subject=str(party.id))
    return party


async def add_party(session: AsyncSession, kind: PartyKind, name: str, *, agency_code: str | None = None) -> Party:
    party = Party(kind=kind, name=name, agency_code=agency_code, roles=[])
    session.add(party)
    await session.flush()
    return party


async def add_user(session: AsyncSession, party: Party, username: str, password: str, roles: Iterable[str]) -> User:
    if await repository.user_by_username(session, username):
        raise DuplicateUsername(f"username {username!r} is taken")
    password_hash = await to_thread.run_sync(hash_password, password)
    user = User(party_id=party.id, username=username, password_hash=password_hash, roles=sorted(roles))
    session.add(user)
    await session.flush()
    return user


async def authenticate(session: AsyncSession, username: str, password: str) -> Principal:
    user = await repository.user_by_username(session, username)
    stored = user.password_hash if user and user.active else _DUMMY_HASH
    matches = await to_thread.run_sync(password_matches, stored, password)
    if not (user and user.active and matches):
        await audit.record(session, actor=f"username:{username[:60]}", action="auth.failed", subject=username[:80])
        raise Unauthorized("wrong username or password")
    party = await repository.party(session, user.party_id)
    assert party is not None
    await audit.record(session, actor=f"user:{user.id}", action="auth.login", subject=str(party.id))
    return _principal(party, user.roles, user_id=user.id)


async def principal_for_api_key(session: AsyncSession, key: str) -> Principal:
    found = await repository.active_api_key(session, api_key_hash(key))
    if not found:
        raise Unauthorized("unknown or revoked API key")
    api_key, party = found
    return _principal(party, api_key.roles, api_key_id=api_key.id)


async def create_api_key(
    session: AsyncSession, principal: Principal, name: str, roles: Iterable[str]
) -> tuple[ApiKey, str]:
    if "admin" not in principal.roles and not principal.is_operator:
        raise Forbidden("only an administrator may create API keys")
    return await issue_api_key(session, principal.party_id, name, roles, actor=principal.actor)


async def issue_api_key(
    session: AsyncSession, party_id: uuid.UUID, name: str, roles: Iterable[str], *, actor: str
) -> tuple[ApiKey, str]:
    key, prefix = new_api_key()
    api_key = ApiKey(party_id=party_id, name=name, prefix=prefix, key_hash=api_key_hash(key), roles=sorted(roles))
    session.add(api_key)
    await session.flush()
    await audit.record(session, actor=actor, action="api_key.created", subject=str(api_key.id))
    return api_key, key


async def revoke_api_key(session: AsyncSession, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    api_key = await session.get(ApiKey, key_id)
    if api_key is None or api_key.party_id != principal.party_id:
        raise NotFound("no such API key")
    if "admin" not in principal.roles:
        raise Forbidden("only an administrator may revoke API keys")
    api_key.revoked_at = api_key.revoked_at or utcnow()
    await session.flush()
    await audit.record(session, actor=principal.actor, action="api_key.revoked", subject=str(key_id))
    return api_key


async def list_api_keys(session: AsyncSession, principal: Principal) -> list[ApiKey]:
    return await repository.api_keys_of(session, principal.party_id)


async def party_of(session: AsyncSession, principal: Principal) -> Party:
    party = await repository.party(session, principal.party_id)
    if party is None:
        raise Unauthorized("the party behind these credentials no longer exists")
    return party


def _principal(
    party: Party, roles: Iterable[str], *, user_id: uuid.UUID | None = None, api_key_id: uuid.UUID | None = None
) -> Principal:
    return Principal(
        party_id=party.id,
        party_kind=party.kind,
        roles=frozenset(roles),
        user_id=user_id,
        api_key_id=api_key_id,
        agency=party.agency_code,
    )
