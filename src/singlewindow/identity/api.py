"""Identity endpoints: enterprise registration, sign-in, the caller's profile, API keys."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from singlewindow.identity import service
from singlewindow.identity.credentials import issue_token
from singlewindow.identity.dependencies import CurrentPrincipal
from singlewindow.identity.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    EnterpriseRegistration,
    Me,
    PartyOut,
    Token,
)
from singlewindow.kit.web import AppSettings, DbSession

router = APIRouter(prefix="/api/v1", tags=["identity"])


@router.post("/enterprises", status_code=status.HTTP_201_CREATED, response_model=PartyOut)
async def register_enterprise(data: EnterpriseRegistration, session: DbSession) -> PartyOut:
    """Register an enterprise with its first administrator (register once, use everywhere)."""
    party = await service.register_enterprise(session, data)
    await session.commit()
    return PartyOut.model_validate(party)


@router.post("/auth/token", response_model=Token)
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: DbSession, settings: AppSettings
) -> Token:
    """OAuth2 password flow: a bearer JWT for a user."""
    try:
        principal = await service.authenticate(session, form.username, form.password)
    finally:
        await session.commit()
    ttl = settings.token_ttl_seconds
    return Token(access_token=issue_token(principal, settings.secret_key.get_secret_value(), ttl), expires_in=ttl)


@router.get("/me", response_model=Me)
async def me(principal: CurrentPrincipal, session: DbSession) -> Me:
    party = await service.party_of(session, principal)
    return Me(party=PartyOut.model_validate(party), roles=sorted(principal.roles), user_id=principal.user_id)


@router.get("/api-keys", response_model=list[ApiKeyOut])
async def list_api_keys(principal: CurrentPrincipal, session: DbSession) -> list[ApiKeyOut]:
    return [ApiKeyOut.model_validate(k) for k in await service.list_api_keys(session, principal)]


@router.post("/api-keys", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated)
async def create_api_key(data: ApiKeyCreate, principal: CurrentPrincipal, session: DbSession) -> ApiKeyCreated:
    """A key for a machine client; the plaintext is in this response only."""
    api_key, key = await service.create_api_key(session, principal, data.name, data.roles)
    await session.commit()
    return ApiKeyCreated(**ApiKeyOut.model_validate(api_key).model_dump(), key=key)


@router.delete("/api-keys/{key_id}", response_model=ApiKeyOut)
async def revoke_api_key(key_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession) -> ApiKeyOut:
    api_key = await service.revoke_api_key(session, principal, key_id)
    await session.commit()
    return ApiKeyOut.model_validate(api_key)
