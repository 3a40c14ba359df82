"""Ed25519 signatures over a certificate's canonical bytes, and the keys that make them.

The canonical form is the content as compact JSON with sorted keys (UTF-8, no escaping of
non-ASCII), prefixed with a domain tag so a signature over a certificate can never be
replayed as a signature over anything else this deployment signs (its JWTs use another key
and another format). Receivers rebuild the same bytes from the e-CO XML, so the XML itself
need not be canonicalised.
"""

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from singlewindow.kit import signatures
from singlewindow.kit.signatures import b64url, canonical_json, new_private_pem, private_key, public_x, thumbprint
from singlewindow.origin.schemas import CertificateContent

ALGORITHM = "Ed25519"
DOMAIN = b"singlewindow:e-co:1\n"


def canonical(content: CertificateContent) -> bytes:
    return DOMAIN + canonical_json(content.model_dump(mode="json", exclude_none=True))


@dataclass(frozen=True, slots=True)
class KeyPair:
    kid: str
    private_pem: str
    public_key: str
    """Raw 32-byte public key, base64url (the JWK ``x``)."""


def generate() -> KeyPair:
    """A new key; its id is the RFC 7638 thumbprint of its public JWK, as identity's token key."""
    pem = new_private_pem()
    x = public_x(private_key(pem, "certificate signing key").public_key())
    return KeyPair(thumbprint(x), pem.decode(), x)


def sign(content: CertificateContent, private_pem: str) -> str:
    return b64url(private_key(private_pem.encode(), "certificate signing key").sign(canonical(content)))


def verify(content: CertificateContent, signature: str, public_key: str) -> bool:
    """True only when ``signature`` is the key's signature over exactly this content."""
    try:
        key = Ed25519PublicKey.from_public_bytes(signatures.unb64url(public_key))
    except ValueError:
        return False
    return signatures.verify(key, canonical(content), signature)
