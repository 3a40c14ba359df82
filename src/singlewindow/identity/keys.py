"""This deployment's token signing key (Ed25519) and the JWKS that publishes its public half.

The key comes from ``SW_SIGNING_KEY`` (PEM) or from ``<data_dir>/signing_key.pem``, which is
generated on first start. Peers verify our tokens with the published JWKS, so no secret is
ever shared between deployments.
"""

from typing import Any

from singlewindow.kit.signatures import SigningKey as SigningKey
from singlewindow.kit.signatures import pem_file, private_key, public_x, thumbprint
from singlewindow.settings import Settings

ALGORITHM = "EdDSA"
KEY_FILE = "signing_key.pem"


def _from_pem(pem: bytes) -> SigningKey:
    private = private_key(pem, "signing key")
    return SigningKey(private, thumbprint(public_x(private.public_key())))


def load(settings: Settings) -> SigningKey:
    """The configured key, else the one in the data directory, made there on first start."""
    if settings.signing_key is not None:
        return _from_pem(settings.signing_key.get_secret_value().encode())
    return _from_pem(pem_file(settings.data_dir / KEY_FILE))


def jwks(key: SigningKey) -> dict[str, Any]:
    return {"keys": [key.jwk()]}
