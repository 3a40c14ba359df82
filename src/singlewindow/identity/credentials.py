"""Password hashes (argon2id), bearer tokens (JWT) and API keys (random, stored as SHA-256)."""

import hashlib
import secrets
import time
import uuid
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from singlewindow.errors import Unauthorized
from singlewindow.identity.models import PartyKind
from singlewindow.identity.principal import Principal

_hasher = PasswordHasher()
_ALGORITHM = "HS256"
API_KEY_PREFIX = "sw_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except VerificationError:
        return False


def issue_token(principal: Principal, secret: str, ttl_seconds: int) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": str(principal.user_id),
        "pty": str(principal.party_id),
        "knd": principal.party_kind.value,
        "rol": sorted(principal.roles),
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if principal.agency:
        claims["agy"] = principal.agency
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def principal_from_token(token: str, secret: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=[_ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}") from exc
    return Principal(
        party_id=uuid.UUID(claims["pty"]),
        party_kind=PartyKind(claims["knd"]),
        roles=frozenset(claims["rol"]),
        user_id=uuid.UUID(claims["sub"]),
        agency=claims.get("agy"),
    )


def new_api_key() -> tuple[str, str]:
    """A fresh key and the prefix shown in listings so a user can tell keys apart."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key[:11]


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
