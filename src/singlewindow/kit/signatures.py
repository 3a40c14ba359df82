"""Ed25519 as every context signs with it: PKCS#8 PEM keys, base64url, canonical JSON, verification.

Login tokens (identity), departure permits (logistics), payment receipts (payments) and
certificates of origin (origin) each sign with a key and a format of their own; the
primitives under them are the same, so they live here once.
"""

import base64
import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def b64url(raw: bytes) -> str:
    """Unpadded base64url (RFC 7515), as JWKs and JWS carry bytes."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical_json(document: Any) -> bytes:
    """The exact bytes signed: sorted keys, no spaces, UTF-8 unescaped, so any verifier rebuilds them."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def public_x(public: Ed25519PublicKey) -> str:
    """The raw 32-byte public key, base64url: a JWK's ``x``."""
    return b64url(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key and the id verifiers look it up by."""

    private: Ed25519PrivateKey
    kid: str

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    def jwk(self) -> dict[str, str]:
        """The public half as a JWK (RFC 8037) for signature checks, as a JWKS publishes it."""
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": "EdDSA",
            "use": "sig",
            "kid": self.kid,
            "x": public_x(self.public),
        }


def thumbprint(x: str) -> str:
    """The RFC 7638 thumbprint of an Ed25519 public JWK: the key id peers can recompute."""
    members = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return b64url(hashlib.sha256(members.encode()).digest())


def private_key(pem: bytes, what: str) -> Ed25519PrivateKey:
    """``pem`` as an Ed25519 private key; anything else is refused naming ``what`` it was for."""
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError(f"the {what} must be an Ed25519 private key (PEM, PKCS#8)")
    return private


def new_private_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def pem_file(path: Path) -> bytes:
    """The key kept at ``path``, made there (mode 0600) by the first caller that needs it.

    Several processes, and several threads of one process, may start at once. Each writes
    a whole key to a draft of its own (``mkstemp``: a fresh name per call, so no caller
    ever truncates another's draft, which a per-process name allowed once the draft was
    linked) and links it to ``path``, which only the first link creates: ``path`` never
    holds half a key, and whoever loses the race reads the winner's.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, draft = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(new_private_pem())
                file.flush()
                os.fsync(file.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            os.unlink(draft)
    return path.read_bytes()


def verify(public: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    """True only when ``signature`` (base64url) is the key's signature over exactly ``message``."""
    try:
        public.verify(unb64url(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
