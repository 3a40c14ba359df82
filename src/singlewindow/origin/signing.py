"""Ed25519 signatures over a certificate's canonical bytes, and the keys that make them.

The canonical form is the content as compact JSON with sorted keys (UTF-8, no escaping of
non-ASCII), prefixed with a domain tag so a signature over a certificate can never be
replayed as a signature over anything else this deployment signs (its JWTs use another key
and another format). Receivers rebuild the same bytes from the e-CO XML, so the XML itself
need not be canonicalised.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from singlewindow.origin.schemas import CertificateContent

ALGORITHM = "Ed25519"
DOMAIN = b"singlewindow:e-co:1\n"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(content: CertificateContent) -> bytes:
    document = content.model_dump(mode="json", exclude_none=True)
    return DOMAIN + json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True, slots=True)
class KeyPair:
    kid: str
    private_pem: str
    public_key: str
    """Raw 32-byte public key, base64url (the JWK ``x``)."""


def generate() -> KeyPair:
    """A new key; its id is the RFC 7638 thumbprint of its public JWK, as identity's token key."""
    private = Ed25519PrivateKey.generate()
    x = b64(private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return KeyPair(thumbprint(x), pem.decode(), x)


def thumbprint(x: str) -> str:
    members = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return b64(hashlib.sha256(members.encode()).digest())


def sign(content: CertificateContent, private_pem: str) -> str:
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError("a certificate signing key must be Ed25519")
    return b64(private.sign(canonical(content)))


def verify(content: CertificateContent, signature: str, public_key: str) -> bool:
    """True only when ``signature`` is the key's signature over exactly this content."""
    try:
        key = Ed25519PublicKey.from_public_bytes(unb64(public_key))
        key.verify(unb64(signature), canonical(content))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
