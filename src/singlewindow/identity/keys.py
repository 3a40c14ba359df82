"""This deployment's token signing key (Ed25519) and the JWKS that publishes its public half.

The key comes from ``SW_SIGNING_KEY`` (PEM) or from ``<data_dir>/signing_key.pem``, which is
generated on first start. Peers verify our tokens with the published JWKS, so no secret is
ever shared between deployments.
"""

import base64
import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from singlewindow.settings import Settings

ALGORITHM = "EdDSA"
KEY_FILE = "signing_key.pem"


@dataclass(frozen=True, slots=True)
class SigningKey:
    private: Ed25519PrivateKey
    kid: str

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    def jwk(self) -> dict[str, Any]:
        return {"kty": "OKP", "crv": "Ed25519", "alg": ALGORITHM, "use": "sig", "kid": self.kid, "x": _x(self.public)}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _x(public: Ed25519PublicKey) -> str:
    return _b64(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _from_pem(pem: bytes) -> SigningKey:
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError("the signing key must be an Ed25519 private key (PEM, PKCS#8)")
    thumbprint = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": _x(private.public_key())}, separators=(",", ":"))
    return SigningKey(private, _b64(hashlib.sha256(thumbprint.encode()).digest()))


def _generate(path: Path) -> bytes:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
    return path.read_bytes()


def load(settings: Settings) -> SigningKey:
    """The configured key, else the one in the data directory, made there on first start."""
    if settings.signing_key is not None:
        return _from_pem(settings.signing_key.get_secret_value().encode())
    path = settings.data_dir / KEY_FILE
    return _from_pem(path.read_bytes() if path.exists() else _generate(path))


def jwks(key: SigningKey) -> dict[str, Any]:
    return {"keys": [key.jwk()]}
