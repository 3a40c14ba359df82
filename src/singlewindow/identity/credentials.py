"""Password hashes (argon2id), bearer tokens (JWT, EdDSA) and API keys (random, stored as SHA-256)."""

import hashlib
import secrets
import time
import uuid
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from singlewindow.errors import Unauthorized
from singlewindow.identity.keys import ALGORITHM, SigningKey
from singlewindow.identity.principal import Principal

API_KEY_PREFIX = "sw_"


class _Hashing:
    """The deployment's argon2id cost; each stored hash carries the cost it was made with."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self.hasher = hasher
        self.dummy_hash = hasher.hash("timing-equaliser")
        """Checked against when the user does not exist, so a miss costs what a hit does."""


_hashing = _Hashing(PasswordHasher())


def configure_password_hashing(*, time_cost: int, memory_kib: int, parallelism: int) -> None:
    """Hash new passwords at this cost; older hashes still verify and are upgraded at their next sign-in."""
    global _hashing
    current = _hashing.hasher
    if (current.time_cost, current.memory_cost, current.parallelism) != (time_cost, memory_kib, parallelism):
        hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        _hashing = _Hashing(hasher)


def hash_password(password: str) -> str:
    return _hashing.hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` is the one behind ``password_hash``; None (no such user) never matches, at the same cost."""
    try:
        return _hashing.hasher.verify(password_hash or _hashing.dummy_hash, password) and password_hash is not None
    except VerificationError:
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """True when the hash was made at another cost than the deployment's current one."""
    return _hashing.hasher.check_needs_rehash(password_hash)


def issue_token(
    principal: Principal, key: SigningKey, *, issuer: str, ttl_seconds: int, version: int = 0, uscc: str | None = None
) -> str:
    """A bearer token any deployment that trusts ``issuer`` can verify with its published JWKS."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": str(principal.user_id or principal.api_key_id),
        "pty": str(principal.party_id),
        "knd": principal.party_kind.value,
        "rol": sorted(principal.roles),
        "ver": version,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    optional = {
        "agy": principal.agency,
        "uscc": uscc,
        "cid": str(principal.api_key_id) if principal.api_key_id else None,
        "scp": sorted(principal.scopes) if principal.scopes is not None else None,
    }
    claims.update({name: value for name, value in optional.items() if value is not None})
    return jwt.encode(claims, key.private, algorithm=ALGORITHM, headers={"kid": key.kid})


def unverified_issuer(token: str) -> tuple[str, str | None]:
    """Whose token this claims to be, so the right key can verify it."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}") from exc
    return str(claims.get("iss", "")), kid


def verify_token(token: str, public_key: Any, issuer: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            public_key,
            algorithms=[ALGORITHM],
            issuer=issuer,
            options={"require": ["exp", "sub", "iss", "pty", "knd", "rol"]},
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}") from exc
    return claims


def uuid_claim(claims: dict[str, Any], name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(claims[name]))
    except (KeyError, ValueError) as exc:
        raise Unauthorized(f"invalid token: claim {name!r} is not an id") from exc


def new_api_key() -> tuple[str, str]:
    """A fresh key and the prefix shown in listings so a user can tell keys apart."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key[:11]


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_email_token() -> str:
    return secrets.token_urlsafe(24)
