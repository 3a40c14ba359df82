"""Identity endpoints: registration, sign-in (password and client credentials), the caller's
account, users, API clients, delegations, credit level, and the published keys and revocations."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Form, status

from singlewindow.errors import Unprocessable
from singlewindow.identity import service
from singlewindow.identity.credentials import issue_token
from singlewindow.identity.dependencies import PUBLIC, AppTrust, requires
from singlewindow.identity.keys import jwks
from singlewindow.identity.permissions import TOTP_ROLES, permissions_of
from singlewindow.identity.principal import Principal
from singlewindow.identity.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    CreditLevelChange,
    DelegationCreate,
    DelegationOut,
    EmailVerification,
    EnterpriseRegistration,
    Me,
    PartyOut,
    Revocations,
    Token,
    TotpCode,
    TotpEnrolment,
    UserCreate,
    UserOut,
)
from singlewindow.kit.web import AppSettings, DbSession
from singlewindow.settings import Settings

router = APIRouter(tags=["identity"])
_api = APIRouter(prefix="/api/v1", tags=["identity"])
_well_known = APIRouter(prefix="/.well-known", tags=["federation"])
Self = Annotated[Principal, requires("account:manage")]
Admin = Annotated[Principal, requires("users:manage")]
KeyManager = Annotated[Principal, requires("api_key:manage")]
FormText = Annotated[str | None, Form(max_length=200)]


@_api.post("/enterprises", status_code=status.HTTP_201_CREATED, response_model=PartyOut, dependencies=[PUBLIC])
async def register_enterprise(data: EnterpriseRegistration, session: DbSession, settings: AppSettings) -> PartyOut:
    """Register an enterprise with its first administrator (register once, use everywhere)."""
    party = await service.register_enterprise(session, data, mail_counterparty=settings.mail_counterparty)
    await session.commit()
    return PartyOut.model_validate(party)


@_api.post("/enterprises/verify-email", response_model=PartyOut, dependencies=[PUBLIC])
async def verify_email(data: EmailVerification, session: DbSession) -> PartyOut:
    """Confirm the contact address with the token from the verification mail."""
    party = await service.verify_email(session, data.token)
    await session.commit()
    return PartyOut.model_validate(party)


@_api.put("/enterprises/{uscc}/credit-level", response_model=PartyOut)
async def set_credit_level(
    uscc: str,
    data: CreditLevelChange,
    principal: Annotated[Principal, requires("credit:set")],
    session: DbSession,
) -> PartyOut:
    """The customs agency grades an enterprise; routing rules may use the grade."""
    party = await service.set_credit_level(session, principal, uscc.upper(), data.level, data.reason)
    await session.commit()
    return PartyOut.model_validate(party)


async def _password_token(
    session: DbSession, settings: Settings, trusted: AppTrust, username: str, password: str, otp: str | None
) -> Token:
    policy = service.LoginPolicy(settings.lockout_threshold, settings.lockout_seconds)
    try:
        principal = await service.authenticate(session, username, password, otp=otp, policy=policy)
        version, uscc, totp_on = await service.token_facts(session, principal)
    finally:
        await session.commit()
    scope = None
    if settings.totp_required and not totp_on and principal.roles & TOTP_ROLES:
        scope = "profile:read account:manage"
        principal = service.with_scopes(principal, frozenset(scope.split()))
    ttl = settings.token_ttl_seconds
    token = issue_token(principal, trusted.key, issuer=trusted.issuer, ttl_seconds=ttl, version=version, uscc=uscc)
    return Token(access_token=token, expires_in=ttl, scope=scope)


@_api.post("/auth/token", response_model=Token, dependencies=[PUBLIC])
async def token(
    session: DbSession,
    settings: AppSettings,
    trusted: AppTrust,
    grant_type: Annotated[Literal["password", "client_credentials"], Form()] = "password",
    username: FormText = None,
    password: FormText = None,
    otp: Annotated[str | None, Form(pattern=r"^[0-9]{6}$", description="TOTP code, once enrolled")] = None,
    client_id: FormText = None,
    client_secret: FormText = None,
    scope: Annotated[str | None, Form(max_length=1000)] = None,
) -> Token:
    """OAuth2 token endpoint: the password grant for people, client credentials for systems."""
    if grant_type == "password":
        if not (username and password):
            raise Unprocessable("the password grant needs username and password")
        return await _password_token(session, settings, trusted, username, password, otp)
    if not (client_id and client_secret):
        raise Unprocessable("the client_credentials grant needs client_id and client_secret")
    try:
        principal = await service.client_credentials(session, client_id, client_secret, scope)
    finally:
        await session.commit()
    ttl = settings.token_ttl_seconds
    granted = " ".join(sorted(principal.scopes or ()))
    issued = issue_token(principal, trusted.key, issuer=trusted.issuer, ttl_seconds=ttl)
    return Token(access_token=issued, expires_in=ttl, scope=granted)


@_api.get("/me", response_model=Me)
async def me(principal: Annotated[Principal, requires("profile:read")], session: DbSession) -> Me:
    """Who is signed in: party (with its credit level), roles and the permissions they give."""
    party = await service.party_of(session, principal)
    return Me(
        party=PartyOut.model_validate(party),
        roles=sorted(principal.roles),
        permissions=sorted(permissions_of(principal)),
        user_id=principal.user_id,
        acting_for=principal.party_id if principal.broker_party_id else None,
        issuer=principal.issuer,
    )


@_api.post("/me/sessions/revoke", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out_everywhere(principal: Self, session: DbSession) -> None:
    """Every token issued to the caller so far stops working."""
    if principal.user_id is None or principal.issuer:
        raise Unprocessable("only a user signed in here has sessions to revoke")
    await service.revoke_sessions(session, principal, principal.user_id)
    await session.commit()


@_api.post("/me/totp", response_model=TotpEnrolment)
async def begin_totp(principal: Self, session: DbSession) -> TotpEnrolment:
    """Start enrolling a second factor; it is on once a code is confirmed."""
    secret, uri = await service.begin_totp(session, principal)
    await session.commit()
    return TotpEnrolment(secret=secret, otpauth_uri=uri)


@_api.post("/me/totp/confirm", response_model=UserOut)
async def confirm_totp(data: TotpCode, principal: Self, session: DbSession) -> UserOut:
    user = await service.confirm_totp(session, principal, data.code)
    await session.commit()
    return UserOut.model_validate(user)


@_api.get("/users", response_model=list[UserOut])
async def list_users(principal: Admin, session: DbSession) -> list[UserOut]:
    return [UserOut.model_validate(u) for u in await service.users_of(session, principal)]


@_api.post("/users", status_code=status.HTTP_201_CREATED, response_model=UserOut)
async def create_user(data: UserCreate, principal: Admin, session: DbSession) -> UserOut:
    """Add a user (declarant, finance, viewer or another administrator) to the caller's enterprise."""
    user = await service.create_user(session, principal, data)
    await session.commit()
    return UserOut.model_validate(user)


@_api.post("/users/{user_id}/sessions/revoke", response_model=UserOut)
async def revoke_sessions(user_id: uuid.UUID, principal: Admin, session: DbSession) -> UserOut:
    user = await service.revoke_sessions(session, principal, user_id)
    await session.commit()
    return UserOut.model_validate(user)


@_api.get("/api-keys", response_model=list[ApiKeyOut])
async def list_api_keys(principal: KeyManager, session: DbSession) -> list[ApiKeyOut]:
    return [ApiKeyOut.model_validate(k) for k in await service.list_api_keys(session, principal)]


@_api.post("/api-keys", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated)
async def create_api_key(data: ApiKeyCreate, principal: KeyManager, session: DbSession) -> ApiKeyCreated:
    """A client for a machine: its id is the OAuth2 client_id, the key (shown once) its secret."""
    api_key, key = await service.create_api_key(session, principal, data.name, data.roles)
    await session.commit()
    return ApiKeyCreated(**ApiKeyOut.model_validate(api_key).model_dump(), key=key)


@_api.delete("/api-keys/{key_id}", response_model=ApiKeyOut)
async def revoke_api_key(key_id: uuid.UUID, principal: KeyManager, session: DbSession) -> ApiKeyOut:
    api_key = await service.revoke_api_key(session, principal, key_id)
    await session.commit()
    return ApiKeyOut.model_validate(api_key)


@_api.get("/delegations", response_model=list[DelegationOut])
async def list_delegations(
    principal: Annotated[Principal, requires("delegation:read")], session: DbSession
) -> list[DelegationOut]:
    """Delegations the caller's enterprise granted, and those it holds as a customs broker."""
    return [DelegationOut.model_validate(d) for d in await service.delegations_of(session, principal)]


@_api.post("/delegations", status_code=status.HTTP_201_CREATED, response_model=DelegationOut)
async def grant_delegation(
    data: DelegationCreate, principal: Annotated[Principal, requires("delegation:manage")], session: DbSession
) -> DelegationOut:
    """Let a customs broker declare in this enterprise's name (header X-On-Behalf-Of: <client USCC>)."""
    delegation = await service.grant_delegation(session, principal, data.broker_uscc)
    await session.commit()
    return DelegationOut.model_validate(delegation)


@_api.delete("/delegations/{delegation_id}", response_model=DelegationOut)
async def revoke_delegation(
    delegation_id: uuid.UUID, principal: Annotated[Principal, requires("delegation:manage")], session: DbSession
) -> DelegationOut:
    delegation = await service.revoke_delegation(session, principal, delegation_id)
    await session.commit()
    return DelegationOut.model_validate(delegation)


@_well_known.get("/jwks.json", dependencies=[PUBLIC])
async def published_keys(trusted: AppTrust) -> dict[str, object]:
    """The public key peers verify this deployment's tokens with."""
    return jwks(trusted.key)


@_well_known.get("/revocations.json", response_model=Revocations, dependencies=[PUBLIC])
async def published_revocations(trusted: AppTrust, session: DbSession) -> Revocations:
    """Users some of whose tokens were revoked here; peers cache this for SW_FEDERATION_CACHE_SECONDS."""
    return Revocations(issuer=trusted.issuer, users=await service.revocations(session))


router.include_router(_api)
router.include_router(_well_known)
