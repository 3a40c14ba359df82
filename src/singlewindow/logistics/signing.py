"""The departure permit's signature: Ed25519 over the canonical JSON of the permit, and its QR code.

Permits are signed with a key of their own (``SW_PERMIT_SIGNING_KEY`` or
``<data_dir>/permit_signing_key.pem``, made on first use), not the token key: a document a
ship's master carries for years should not be tied to the rotation of login tokens.
"""

import base64
import binascii
import contextlib
import hashlib
import io
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import segno
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_FILE = "permit_signing_key.pem"
ALGORITHM = "Ed25519"


@dataclass(frozen=True, slots=True)
class PermitKey:
    private: Ed25519PrivateKey
    kid: str

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    def jwk(self) -> dict[str, str]:
        return {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": self.kid, "x": _raw(self.public)}


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _raw(public: Ed25519PublicKey) -> str:
    return b64url(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def canonical(document: dict[str, Any]) -> bytes:
    """The exact bytes signed: sorted keys, no spaces, UTF-8, so any verifier can rebuild them."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _from_pem(pem: bytes) -> PermitKey:
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError("the permit signing key must be an Ed25519 private key (PEM, PKCS#8)")
    return PermitKey(private, b64url(hashlib.sha256(_raw(private.public_key()).encode()).digest())[:16])


def _generated(path: Path) -> bytes:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
    return path.read_bytes()


@cache
def load(pem: str | None, data_dir: Path) -> PermitKey:
    """The configured key, else the one in the data directory (made there by the first process that needs it)."""
    if pem is not None:
        return _from_pem(pem.encode())
    path = data_dir / KEY_FILE
    return _from_pem(path.read_bytes() if path.exists() else _generated(path))


def sign(key: PermitKey, document: dict[str, Any]) -> str:
    return b64url(key.private.sign(canonical(document)))


def verify(public: Ed25519PublicKey, document: dict[str, Any], signature: str) -> bool:
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        public.verify(raw, canonical(document))
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def qr_svg(content: str) -> str:
    """A QR code (error correction M, survives a creased printout) as an inline SVG element."""
    out = io.BytesIO()
    segno.make(content, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True, title="QR")
    return out.getvalue().decode()
