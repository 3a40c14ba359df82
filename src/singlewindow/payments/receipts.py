"""Electronic payment receipts: a JSON document signed with the deployment's Ed25519 key.

Anyone holding the receipt checks it against the key published at /.well-known/jwks.json:
the signature covers the canonical JSON (sorted keys, no spaces, UTF-8) of the document.
"""

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def verify(document: dict[str, Any], signature: str, public_key: Ed25519PublicKey) -> bool:
    """True when ``signature`` is the key's signature of exactly this document."""
    try:
        public_key.verify(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)), canonical(document))
    except (InvalidSignature, ValueError):
        return False
    return True
