"""The departure permit's signature: Ed25519 over the canonical JSON of the permit, and its QR code.

Permits are signed with a key of their own (``SW_PERMIT_SIGNING_KEY`` or
``<data_dir>/permit_signing_key.pem``, made on first use), not the token key: a document a
ship's master carries for years should not be tied to the rotation of login tokens.
"""

import hashlib
import io
from functools import cache
from pathlib import Path
from typing import Any

import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from singlewindow.kit import signatures
from singlewindow.kit.signatures import SigningKey, b64url, canonical_json, pem_file, private_key, public_x

KEY_FILE = "permit_signing_key.pem"
ALGORITHM = "Ed25519"


def _from_pem(pem: bytes) -> SigningKey:
    """The permit key id is the first 16 characters of the hash of ``x``: permits issued carry it."""
    private = private_key(pem, "permit signing key")
    return SigningKey(private, b64url(hashlib.sha256(public_x(private.public_key()).encode()).digest())[:16])


@cache
def load(pem: str | None, data_dir: Path) -> SigningKey:
    """The configured key, else the one in the data directory (made there by the first process that needs it)."""
    if pem is not None:
        return _from_pem(pem.encode())
    return _from_pem(pem_file(data_dir / KEY_FILE))


def sign(key: SigningKey, document: dict[str, Any]) -> str:
    return b64url(key.private.sign(canonical_json(document)))


def verify(public: Ed25519PublicKey, document: dict[str, Any], signature: str) -> bool:
    return signatures.verify(public, canonical_json(document), signature)


def qr_svg(content: str) -> str:
    """A QR code (error correction M, survives a creased printout) as an inline SVG element."""
    out = io.BytesIO()
    segno.make(content, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True, title="QR")
    return out.getvalue().decode()
