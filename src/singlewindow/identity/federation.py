"""Trust between deployments: a peer's public keys and revocation list, fetched and cached.

A token from a peer is honoured only when its issuer is in ``SW_TRUSTED_ISSUERS``, its
signature verifies against that issuer's published JWKS, and the issuer's revocation list
(``/.well-known/revocations.json``) does not cover it. Both documents are cached for
``SW_FEDERATION_CACHE_SECONDS``: that is the bound on how late a revocation at the peer
takes effect here. When the peer cannot be reached after the cache expires, its tokens are
refused (fail closed).
"""

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from jwt import PyJWK, PyJWKError

from singlewindow.errors import Unauthorized

REVOCATIONS_PATH = "/.well-known/revocations.json"
JWKS_PATH = "/.well-known/jwks.json"
NEVER = 2**31
"""The minimum token version of a deactivated user: no token of theirs is valid."""


@dataclass
class _Cached:
    value: dict[str, Any]
    fetched_at: float


@dataclass
class Federation:
    client: httpx.AsyncClient
    trusted: dict[str, str]
    ttl_seconds: float
    _cache: dict[str, _Cached] = field(default_factory=dict)

    def trusts(self, issuer: str) -> bool:
        return issuer in self.trusted

    async def _document(self, url: str) -> dict[str, Any]:
        cached = self._cache.get(url)
        if cached and time.monotonic() - cached.fetched_at < self.ttl_seconds:
            return cached.value
        try:
            response = await self.client.get(url)
            response.raise_for_status()
            value: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise Unauthorized(f"the issuing deployment cannot be reached to check this token: {exc}") from exc
        self._cache[url] = _Cached(value, time.monotonic())
        return value

    async def public_key(self, issuer: str, kid: str | None) -> Any:
        jwks = await self._document(self.trusted[issuer])
        for jwk in jwks.get("keys", []):
            if kid is None or jwk.get("kid") == kid:
                try:
                    return PyJWK(jwk).key
                except PyJWKError as exc:
                    raise Unauthorized(f"the issuer's key {kid} is unusable: {exc}") from exc
        raise Unauthorized(f"the issuer publishes no key {kid!r}")

    async def minimum_version(self, issuer: str, subject: str) -> int:
        """Tokens of ``subject`` with a lower version than this were revoked at the issuer."""
        revocations = await self._document(issuer.rstrip("/") + REVOCATIONS_PATH)
        return int(revocations.get("users", {}).get(subject, 0))
