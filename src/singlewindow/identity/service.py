"""Identity use cases: register, sign in, users, API clients, delegations, credit level.

Services flush; the edge commits. Every check of who may do what goes through
``permissions.ensure``.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from anyio import to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.errors import Forbidden, NotFound, Unauthorized
from singlewindow.exchange import service as exchange
from singlewindow.exchange.service import NewMessage
from singlewindow.identity import lookups, repository, totp
from singlewindow.identity.credentials import (
    api_key_hash,
    hash_password,
    new_api_key,
    new_email_token,
    password_matches,
    password_needs_rehash,
)
from singlewindow.identity.errors import (
    AccountLocked,
    DuplicateParty,
    DuplicateUsername,
    NoDelegation,
    OneTimeCodeNeeded,
    UnknownEnterprise,
)
from singlewindow.identity.events import CreditLevelChanged
from singlewindow.identity.federation import NEVER
from singlewindow.identity.lookups import PartyFacts
from singlewindow.identity.models import ApiKey, CreditLevel, Delegation, MailMessage, Party, PartyKind, User
from singlewindow.identity.permissions import PERMISSIONS, ensure, permissions_of
from singlewindow.identity.principal import Principal
from singlewindow.identity.schemas import EnterpriseRegistration, UserCreate
from singlewindow.kit import events
from singlewindow.kit.clock import utcnow


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    lockout_threshold: int = 5
    lockout_seconds: int = 900


# --- enterprises -----------------------------------------------------------------------------


async def register_enterprise(
    session: AsyncSession, data: EnterpriseRegistration, *, mail_counterparty: str | None = None
) -> Party:
    if await repository.party_by_uscc(session, data.uscc):
        raise DuplicateParty(f"an enterprise with unified social credit code {data.uscc} is already registered")
    party = Party(
        kind=PartyKind.ENTERPRISE,
        name=data.name,
        uscc=data.uscc,
        customs_code=data.customs_code,
        address=data.address,
        legal_representative=data.legal_representative,
        contact_email=data.contact_email,
        credit_level=CreditLevel.GENERAL,
        roles=list(data.roles),
    )
    session.add(party)
    await session.flush()
    await add_user(session, party, data.admin.username, data.admin.password, ["admin", "declarant"])
    await audit.record(session, actor=f"party:{party.id}", action="enterprise.registered", subject=str(party.id))
    await _credit_changed(session, party, None)
    if data.contact_email:
        await _send_verification(session, party, data.contact_email, mail_counterparty)
    return party


async def _send_verification(session: AsyncSession, party: Party, to: str, mail_counterparty: str | None) -> None:
    token = new_email_token()
    party.email_token_hash = api_key_hash(token)
    body = (
        f"请确认贵企业 {party.name} 的联系邮箱。Please confirm the contact address of {party.name}.\n"
        f"POST /api/v1/enterprises/verify-email with token: {token}\n"
    )
    await send_mail(session, to, "单一窗口邮箱验证 Single Window e-mail verification", body, mail_counterparty)


async def send_mail(session: AsyncSession, to: str, subject: str, body: str, counterparty: str | None) -> None:
    """Keep the mail, and hand it to the exchange when a mail relay counterparty is configured."""
    session.add(MailMessage(to=to, subject=subject, body=body))
    if counterparty:
        mail = {"to": to, "subject": subject, "body": body}
        await exchange.enqueue(session, [NewMessage(destination=counterparty, kind="mail", payload=mail)])
    await session.flush()


async def verify_email(session: AsyncSession, token: str) -> Party:
    party = await repository.party_by_email_token(session, api_key_hash(token))
    if party is None:
        raise NotFound("unknown or already used verification token")
    party.email_verified_at, party.email_token_hash = utcnow(), None
    await session.flush()
    await audit.record(session, actor=f"party:{party.id}", action="enterprise.email_verified", subject=str(party.id))
    return party


async def set_credit_level(
    session: AsyncSession, principal: Principal, uscc: str, level: CreditLevel, reason: str
) -> Party:
    """Only the customs agency grades enterprises."""
    ensure(principal, "credit:set")
    if principal.agency != "customs":
        raise Forbidden("only the customs agency changes an enterprise's credit level")
    party = await repository.party_by_uscc(session, uscc)
    if party is None or party.kind is not PartyKind.ENTERPRISE:
        raise UnknownEnterprise(f"no enterprise with unified social credit code {uscc}")
    before, party.credit_level = party.credit_level, level
    await session.flush()
    await audit.record(
        session,
        actor=principal.actor,
        action="enterprise.credit_level",
        subject=str(party.id),
        detail={"from": before, "to": level, "reason": reason},
    )
    await _credit_changed(session, party, before)
    return party


async def _credit_changed(session: AsyncSession, party: Party, before: CreditLevel | None) -> None:
    """Other contexts (the sharing catalogue) follow credit levels without reading the parties table."""
    assert party.credit_level is not None
    changed = CreditLevelChanged(party.id, party.uscc, party.name, before, party.credit_level, utcnow())
    await events.publish(session, changed)


async def graded_enterprises(session: AsyncSession) -> list[Party]:
    """Every enterprise that holds a credit level, for a context that starts following them late."""
    return await repository.graded_enterprises(session)


async def agency(session: AsyncSession, code: str) -> Party:
    found = await repository.party_by_agency(session, code)
    if found is None or found.kind is not PartyKind.AGENCY:
        raise NotFound(f"no agency {code!r}")
    return found


async def credit_level_of(session: AsyncSession, party_id: uuid.UUID) -> CreditLevel | None:
    """Cached per process: routing asks on every submission (see ``lookups``)."""
    party = await lookups.party(session, party_id)
    return party.credit_level if party else None


async def add_party(session: AsyncSession, kind: PartyKind, name: str, *, agency_code: str | None = None) -> Party:
    party = Party(kind=kind, name=name, agency_code=agency_code, roles=[])
    session.add(party)
    await session.flush()
    return party


async def party_of(session: AsyncSession, principal: Principal) -> Party:
    party = await repository.party(session, principal.party_id)
    if party is None:
        raise Unauthorized("the party behind these credentials no longer exists")
    return party


async def party(session: AsyncSession, party_id: uuid.UUID) -> Party | None:
    """A party by id, for contexts that link to parties by id (a licence's holder)."""
    return await repository.party(session, party_id)


async def party_facts(session: AsyncSession, principal: Principal) -> PartyFacts:
    """What the hot path needs of the caller's party (name, codes, credit level), cached per process."""
    party = await lookups.party(session, principal.party_id)
    if party is None:
        raise Unauthorized("the party behind these credentials no longer exists")
    return party


# --- users and sign-in -----------------------------------------------------------------------


async def add_user(session: AsyncSession, party: Party, username: str, password: str, roles: Iterable[str]) -> User:
    if await repository.user_by_username(session, username):
        raise DuplicateUsername(f"username {username!r} is taken")
    password_hash = await to_thread.run_sync(hash_password, password)
    user = User(party_id=party.id, username=username, password_hash=password_hash, roles=sorted(roles))
    session.add(user)
    await session.flush()
    return user


async def create_user(session: AsyncSession, principal: Principal, data: UserCreate) -> User:
    ensure(principal, "users:manage")
    user = await add_user(session, await party_of(session, principal), data.username, data.password, data.roles)
    await audit.record(session, actor=principal.actor, action="user.created", subject=str(user.id))
    return user


async def users_of(session: AsyncSession, principal: Principal) -> list[User]:
    ensure(principal, "users:manage")
    return await repository.users_of(session, principal.party_id)


async def authenticate(
    session: AsyncSession, username: str, password: str, *, otp: str | None = None, policy: LoginPolicy | None = None
) -> Principal:
    """Check the password (and the one-time code once enrolled); lock the account after repeated failures."""
    policy = policy or LoginPolicy()
    user = await repository.user_by_username(session, username)
    stored = user.password_hash if user and user.active else None
    matches = await to_thread.run_sync(password_matches, stored, password)
    now = utcnow()
    if user and user.locked_until and user.locked_until > now:
        await audit.record(session, actor=f"user:{user.id}", action="auth.refused_locked", subject=username[:80])
        raise AccountLocked(f"too many failed sign-ins; the account is locked until {user.locked_until.isoformat()}")
    second_factor = user is None or not user.totp_enabled or totp.verify(user.totp_secret, otp)
    if not (user and user.active and matches and second_factor):
        await _failed(session, user, username, policy)
        if user and matches and not second_factor:
            raise OneTimeCodeNeeded("a valid one-time code (TOTP) is needed for this account")
        raise Unauthorized("wrong username or password")
    user.failed_logins, user.locked_until = 0, None
    if password_needs_rehash(user.password_hash):
        user.password_hash = await to_thread.run_sync(hash_password, password)
    party = await repository.party(session, user.party_id)
    assert party is not None
    await audit.record(session, actor=f"user:{user.id}", action="auth.login", subject=str(party.id))
    return _principal(PartyFacts.of(party), user.roles, user_id=user.id)


async def _failed(session: AsyncSession, user: User | None, username: str, policy: LoginPolicy) -> None:
    await audit.record(session, actor=f"username:{username[:60]}", action="auth.failed", subject=username[:80])
    if user is None:
        return
    user.failed_logins += 1
    if user.failed_logins >= policy.lockout_threshold:
        user.failed_logins, user.locked_until = 0, utcnow() + timedelta(seconds=policy.lockout_seconds)
        await audit.record(session, actor="system", action="auth.locked", subject=str(user.id))
    await session.flush()


async def token_facts(session: AsyncSession, principal: Principal) -> tuple[int, str | None, bool]:
    """What a session token carries besides the principal: token version, USCC, whether TOTP is on."""
    party = await party_of(session, principal)
    user = await repository.user(session, principal.user_id) if principal.user_id else None
    return (user.token_version if user else 0), party.uscc, bool(user and user.totp_enabled)


async def revoke_sessions(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> User:
    """Every token issued to the user so far stops working (here at once, at peers within their cache bound)."""
    if user_id != principal.user_id:
        ensure(principal, "users:manage")
    user = await repository.user(session, user_id)
    if user is None or user.party_id != principal.party_id:
        raise NotFound("no such user")
    user.token_version += 1
    await session.flush()
    await audit.record(session, actor=principal.actor, action="user.sessions_revoked", subject=str(user.id))
    return user


async def revocations(session: AsyncSession) -> dict[str, int]:
    return {str(u.id): (u.token_version if u.active else NEVER) for u in await repository.revoked_users(session)}


async def begin_totp(session: AsyncSession, principal: Principal) -> tuple[str, str]:
    ensure(principal, "account:manage")
    user = await _own_user(session, principal)
    if user.totp_enabled:
        raise Forbidden("TOTP is already enrolled; ask an administrator to reset it")
    user.totp_secret = totp.new_secret()
    await session.flush()
    return user.totp_secret, totp.uri(user.totp_secret, user.username)


async def confirm_totp(session: AsyncSession, principal: Principal, code: str) -> User:
    ensure(principal, "account:manage")
    user = await _own_user(session, principal)
    if not totp.verify(user.totp_secret, code):
        raise Unauthorized("that one-time code does not match; TOTP stays off")
    user.totp_enabled = True
    await session.flush()
    await audit.record(session, actor=principal.actor, action="user.totp_enrolled", subject=str(user.id))
    return user


async def _own_user(session: AsyncSession, principal: Principal) -> User:
    user = await repository.user(session, principal.user_id) if principal.user_id and not principal.issuer else None
    if user is None:
        raise Forbidden("only a user signed in here has an account to manage")
    return user


async def change_password(session: AsyncSession, principal: Principal, current: str, new: str) -> None:
    """The signed-in user's own password; the current one must be right, or nothing changes.

    A new password ends every session and token issued before it (the token version moves on),
    so whoever learnt the old password is signed out too.
    """
    user = await _own_user(session, principal)
    if not await to_thread.run_sync(password_matches, user.password_hash, current):
        raise Unauthorized("the current password is wrong")
    user.password_hash = await to_thread.run_sync(hash_password, new)
    user.token_version += 1
    await session.flush()
    await audit.record(session, actor=principal.actor, action="auth.password_changed", subject=str(user.id))


# --- resolving credentials -------------------------------------------------------------------


async def principal_for_api_key(session: AsyncSession, key: str) -> Principal:
    api_key = await lookups.api_key_by_hash(session, api_key_hash(key))
    party = await lookups.party(session, api_key.party_id) if api_key and not api_key.revoked else None
    if api_key is None or party is None:
        raise Unauthorized("unknown or revoked API key")
    return _principal(party, api_key.roles, api_key_id=api_key.id)


async def client_credentials(session: AsyncSession, client_id: str, secret: str, scope: str | None) -> Principal:
    """OAuth2 client-credentials: the API key is the secret; the token may narrow it to some scopes."""
    principal = await principal_for_api_key(session, secret)
    if str(principal.api_key_id) != client_id:
        raise Unauthorized("client_id and client_secret do not belong together")
    held = permissions_of(principal)
    wanted = frozenset(scope.split()) if scope else held
    unknown = sorted(s for s in wanted if s not in PERMISSIONS or s not in held)
    if unknown:
        raise Forbidden(f"scopes this client does not hold: {', '.join(unknown)}")
    await audit.record(session, actor=principal.actor, action="auth.client_credentials", subject=client_id)
    return _principal_with(principal, scopes=wanted)


async def principal_for_claims(session: AsyncSession, claims: dict[str, Any]) -> Principal:
    """A token of ours is good while its user is active and has not signed out everywhere since.

    Both are read through the per-process lookup cache: a revocation made in this process
    counts from its commit, one made elsewhere within ``SW_LOOKUP_CACHE_SECONDS``.
    """
    scopes = frozenset(str(s) for s in claims["scp"]) if isinstance(claims.get("scp"), list) else None
    if "cid" in claims:
        api_key = await lookups.api_key(session, uuid.UUID(str(claims["cid"])))
        party = await lookups.party(session, api_key.party_id) if api_key and not api_key.revoked else None
        if api_key is None or party is None:
            raise Unauthorized("the API client behind this token was revoked")
        return _principal(party, api_key.roles, api_key_id=api_key.id, scopes=scopes)
    user = await lookups.user(session, uuid.UUID(str(claims["sub"])))
    if user is None or not user.active or user.token_version != claims.get("ver", 0):
        raise Unauthorized("this token was revoked; sign in again")
    party = await lookups.party(session, user.party_id)
    if party is None:
        raise Unauthorized("the party behind this token no longer exists")
    return _principal(party, user.roles, user_id=user.id, scopes=scopes)


async def federated_principal(session: AsyncSession, issuer: str, claims: dict[str, Any]) -> Principal:
    """A user of a trusted peer: the same enterprise (by USCC) and roles, provisioned here on first sight."""
    uscc = claims.get("uscc")
    if claims.get("knd") != PartyKind.ENTERPRISE.value or not isinstance(uscc, str):
        raise Unauthorized("only enterprise users are federated between deployments")
    party = await repository.party_by_uscc(session, uscc)
    if party is None:
        party = Party(kind=PartyKind.ENTERPRISE, name=str(claims.get("name") or uscc), uscc=uscc, roles=[])
        party.credit_level = CreditLevel.GENERAL
        session.add(party)
        await session.flush()
        await audit.record(session, actor=f"issuer:{issuer[:70]}", action="enterprise.federated", subject=str(party.id))
    roles = [str(r) for r in claims.get("rol", [])]
    user_id = uuid.UUID(str(claims["sub"]))
    return Principal(party_id=party.id, party_kind=party.kind, roles=frozenset(roles), user_id=user_id, issuer=issuer)


# --- delegations -----------------------------------------------------------------------------


async def grant_delegation(session: AsyncSession, principal: Principal, broker_uscc: str) -> Delegation:
    ensure(principal, "delegation:manage")
    broker = await repository.party_by_uscc(session, broker_uscc)
    if broker is None or "customs_broker" not in broker.roles or broker.id == principal.party_id:
        raise UnknownEnterprise(f"no customs broker with unified social credit code {broker_uscc}")
    existing = await repository.active_delegation(session, principal.party_id, broker.id)
    if existing:
        return existing
    delegation = Delegation(client_party_id=principal.party_id, broker_party_id=broker.id, granted_by=principal.actor)
    session.add(delegation)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="delegation.granted", subject=str(delegation.id))
    return delegation


async def revoke_delegation(session: AsyncSession, principal: Principal, delegation_id: uuid.UUID) -> Delegation:
    ensure(principal, "delegation:manage")
    delegation = await session.get(Delegation, delegation_id)
    if delegation is None or delegation.client_party_id != principal.party_id:
        raise NotFound("no such delegation granted by your enterprise")
    delegation.revoked_at = delegation.revoked_at or utcnow()
    await session.flush()
    await audit.record(session, actor=principal.actor, action="delegation.revoked", subject=str(delegation.id))
    return delegation


async def delegations_of(session: AsyncSession, principal: Principal) -> list[Delegation]:
    ensure(principal, "delegation:read")
    return await repository.delegations_of(session, principal.party_id)


@dataclass(frozen=True, slots=True)
class DelegationView:
    """A delegation with both enterprises loaded, for pages that show names and codes rather than ids."""

    delegation: Delegation
    client: Party
    broker: Party

    @property
    def active(self) -> bool:
        return self.delegation.revoked_at is None


async def delegation_views(session: AsyncSession, principal: Principal) -> list[DelegationView]:
    """Delegations granted by or to the principal's enterprise, oldest first, with both parties."""
    found = await delegations_of(session, principal)
    parties = await repository.parties(session, {d.client_party_id for d in found} | {d.broker_party_id for d in found})
    return [DelegationView(d, parties[d.client_party_id], parties[d.broker_party_id]) for d in found]


async def acting_for(session: AsyncSession, principal: Principal, client_uscc: str) -> Principal:
    """A broker's principal narrowed to what the client delegated, in the client's name."""
    client = await lookups.party_by_uscc(session, client_uscc.strip().upper())
    if client is None or principal.broker_party_id is not None:
        raise NoDelegation(f"no delegation from {client_uscc} to your enterprise")
    if not await lookups.delegated(session, client.id, principal.party_id):
        raise NoDelegation(f"no delegation from {client_uscc} to your enterprise, or it was revoked")
    return _principal_with(principal, party_id=client.id, broker_party_id=principal.party_id)


# --- API clients -----------------------------------------------------------------------------


async def create_api_key(
    session: AsyncSession, principal: Principal, name: str, roles: Iterable[str]
) -> tuple[ApiKey, str]:
    ensure(principal, "api_key:manage")
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
    ensure(principal, "api_key:manage")
    api_key = await session.get(ApiKey, key_id)
    if api_key is None or api_key.party_id != principal.party_id:
        raise NotFound("no such API key")
    api_key.revoked_at = api_key.revoked_at or utcnow()
    await session.flush()
    await audit.record(session, actor=principal.actor, action="api_key.revoked", subject=str(key_id))
    return api_key


async def list_api_keys(session: AsyncSession, principal: Principal) -> list[ApiKey]:
    ensure(principal, "api_key:manage")
    return await repository.api_keys_of(session, principal.party_id)


def _principal(
    party: PartyFacts,
    roles: Iterable[str],
    *,
    user_id: uuid.UUID | None = None,
    api_key_id: uuid.UUID | None = None,
    scopes: frozenset[str] | None = None,
) -> Principal:
    return Principal(
        party_id=party.id,
        party_kind=party.kind,
        roles=frozenset(roles),
        user_id=user_id,
        api_key_id=api_key_id,
        agency=party.agency_code,
        scopes=scopes,
    )


def with_scopes(principal: Principal, scopes: frozenset[str]) -> Principal:
    return replace(principal, scopes=scopes)


def _principal_with(principal: Principal, **changes: object) -> Principal:
    return replace(principal, **changes)  # type: ignore[arg-type]


# --- operator commands -----------------------------------------------------------------------


async def unlock(session: AsyncSession, username: str, *, actor: str) -> User:
    """Lift a lockout before it expires (the operator, after checking who asks)."""
    user = await repository.user_by_username(session, username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    user.failed_logins, user.locked_until = 0, None
    await session.flush()
    await audit.record(session, actor=actor, action="user.unlocked", subject=str(user.id))
    return user


async def revoke_all_sessions(session: AsyncSession, username: str, *, actor: str) -> User:
    """Every token of the user stops working: here at once, at peer deployments within their cache bound."""
    user = await repository.user_by_username(session, username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    user.token_version += 1
    await session.flush()
    await audit.record(session, actor=actor, action="user.sessions_revoked", subject=str(user.id))
    return user


async def mail(session: AsyncSession, to: str | None, limit: int) -> list[MailMessage]:
    return await repository.mail(session, to, limit)


async def enterprise_by_uscc(session: AsyncSession, uscc: str) -> Party:
    party = await repository.party_by_uscc(session, uscc.strip().upper())
    if party is None or party.kind is not PartyKind.ENTERPRISE:
        raise UnknownEnterprise(f"no enterprise with unified social credit code {uscc}")
    return party
