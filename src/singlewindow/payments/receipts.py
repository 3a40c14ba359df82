"""Electronic payment receipts: a JSON document signed with the deployment's Ed25519 key.

Anyone holding the receipt checks it against the key published at /.well-known/jwks.json:
the signature covers the canonical JSON (sorted keys, no spaces, UTF-8) of the document.
"""

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from singlewindow.kit import signatures
from singlewindow.kit.signatures import canonical_json


def verify(document: dict[str, Any], signature: str, public_key: Ed25519PublicKey) -> bool:
    """True when ``signature`` is the key's signature of exactly this document."""
    return signatures.verify(public_key, canonical_json(document), signature)
