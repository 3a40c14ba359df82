"""Resolving the caller and checking what a route declares it needs.

Every route declares a permission (``requires("declaration:submit")``) or that it is
public (``dependencies=[PUBLIC]``); the authorization matrix test reads these declarations
from the app's routes, so a route that declares neither fails the suite.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.dependencies.models import Dependant
from fastapi.params import Depends as DependsParam
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.routing import BaseRoute

from singlewindow.errors import Unauthorized
from singlewindow.identity import keys, service
from singlewindow.identity.credentials import API_KEY_PREFIX, unverified_issuer, verify_token
from singlewindow.identity.federation import Federation
from singlewindow.identity.permissions import PERMISSIONS, ensure
from singlewindow.identity.principal import Principal
from singlewindow.kit.cache import lookup_cache
from singlewindow.kit.web import DbSession
from singlewindow.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="JWT from POST /api/v1/auth/token, or an API key")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False)


@dataclass(frozen=True, slots=True)
class Trust:
    """This deployment's signing key and its view of the peers it trusts, one per app."""

    issuer: str
    key: keys.SigningKey
    federation: Federation


def trust(request: Request) -> Trust:
    state = request.app.state
    found: Trust | None = getattr(state, "identity_trust", None)
    if found is None:
        settings: Settings = state.settings
        federation = Federation(
            state.platform.client, dict(settings.trusted_issuers), settings.federation_cache_seconds
        )
        found = Trust(settings.public_url.rstrip("/"), keys.load(settings), federation)
        state.identity_trust = found
    return found


AppTrust = Annotated[Trust, Depends(trust)]


_own_tokens = lookup_cache("verified tokens", remember_missing=False)
"""Claims of our own tokens whose signature verified: a token never changes, so neither does that answer.

Revocation is not decided here (``principal_for_claims`` checks the user on every request),
and expiry is checked on every use, so a cached token is honoured no longer than it says.
"""


async def _own_claims(trusted: Trust, token: str) -> dict[str, Any] | None:
    """The verified claims when ``token`` is one of ours, else None."""

    async def verify() -> dict[str, Any] | None:
        issuer, _ = unverified_issuer(token)
        return verify_token(token, trusted.key.public, issuer) if issuer == trusted.issuer else None

    claims: dict[str, Any] | None = await _own_tokens.get((trusted.issuer, trusted.key.kid, token), verify)
    if claims is not None and claims["exp"] <= time.time():
        raise Unauthorized("invalid token: Signature has expired")
    return claims


async def _from_token(session: DbSession, trusted: Trust, token: str) -> Principal:
    claims = await _own_claims(trusted, token)
    if claims is not None:
        return await service.principal_for_claims(session, claims)
    issuer, kid = unverified_issuer(token)
    if not trusted.federation.trusts(issuer):
        raise Unauthorized(f"tokens from {issuer!r} are not trusted here")
    claims = verify_token(token, await trusted.federation.public_key(issuer, kid), issuer)
    if int(claims.get("ver", 0)) < await trusted.federation.minimum_version(issuer, str(claims["sub"])):
        raise Unauthorized("this token was revoked at the deployment that issued it")
    principal = await service.federated_principal(session, issuer, claims)
    await session.commit()
    return principal


async def current_principal(
    session: DbSession,
    trusted: AppTrust,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
    on_behalf_of: Annotated[
        str | None, Header(alias="X-On-Behalf-Of", max_length=18, description="Client USCC, for a customs broker")
    ] = None,
) -> Principal:
    token = bearer.credentials if bearer else api_key
    if not token:
        raise Unauthorized()
    if token.startswith(API_KEY_PREFIX):
        principal = await service.principal_for_api_key(session, token)
    else:
        principal = await _from_token(session, trusted, token)
    if on_behalf_of:
        principal = await service.acting_for(session, principal, on_behalf_of)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


class Requirement:
    """The dependency a route declares: resolve the caller, then check one permission."""

    def __init__(self, permission: str) -> None:
        if permission not in PERMISSIONS:
            raise ValueError(f"unknown permission {permission!r}")
        self.permission = permission

    async def __call__(self, principal: CurrentPrincipal) -> Principal:
        ensure(principal, self.permission)
        return principal


class Public:
    """Declares a route open to anyone: registration, sign-in, health, published keys."""

    async def __call__(self) -> None:
        return None


def requires(permission: str) -> Any:
    """``principal: Annotated[Principal, requires("declaration:submit")]``"""
    return Depends(Requirement(permission))


PUBLIC: DependsParam = Depends(Public())


@dataclass(frozen=True, slots=True)
class DeclaredRoute:
    method: str
    path: str
    access: str | None
    """The permission the route declares, "public", or None when it declares nothing."""


def declared_routes(routes: Sequence[BaseRoute]) -> list[DeclaredRoute]:
    """Every API operation of an app, with what it declares (routers included at any depth)."""
    found: list[DeclaredRoute] = []
    for context in iter_route_contexts(routes):
        if isinstance(context.original_route, APIRoute) and context.path:
            access = _access(context.dependant)
            found.extend(DeclaredRoute(method, context.path, access) for method in sorted(context.methods or ()))
    return sorted(found, key=lambda r: (r.path, r.method))


def _access(dependant: Dependant) -> str | None:
    pending = list(dependant.dependencies)
    while pending:
        dependant = pending.pop()
        if isinstance(dependant.call, Requirement):
            return dependant.call.permission
        if isinstance(dependant.call, Public):
            return "public"
        pending.extend(dependant.dependencies)
    return None
