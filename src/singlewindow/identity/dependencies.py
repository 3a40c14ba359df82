"""Resolving the caller: a JWT bearer token for people, an API key for systems."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from singlewindow.errors import Forbidden, Unauthorized
from singlewindow.identity import service
from singlewindow.identity.credentials import API_KEY_PREFIX, principal_from_token
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import AppSettings, DbSession

_bearer = HTTPBearer(auto_error=False, description="JWT from POST /api/v1/auth/token, or an API key")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False)


async def current_principal(
    session: DbSession,
    settings: AppSettings,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> Principal:
    token = bearer.credentials if bearer else api_key
    if not token:
        raise Unauthorized()
    if token.startswith(API_KEY_PREFIX):
        return await service.principal_for_api_key(session, token)
    return principal_from_token(token, settings.secret_key.get_secret_value())


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_kind(*kinds: PartyKind) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.party_kind not in kinds:
            raise Forbidden(f"this needs a {' or '.join(k.value for k in kinds)} account")
        return principal

    return check


EnterprisePrincipal = Annotated[Principal, Depends(require_kind(PartyKind.ENTERPRISE))]
AgencyPrincipal = Annotated[Principal, Depends(require_kind(PartyKind.AGENCY))]
OperatorPrincipal = Annotated[Principal, Depends(require_kind(PartyKind.OPERATOR))]
