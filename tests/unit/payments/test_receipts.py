"""A receipt verifies against the signing key, and any change to it breaks the signature."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from singlewindow.kit.signatures import b64url
from singlewindow.kit.signatures import canonical_json as canonical
from singlewindow.payments.receipts import verify


def test_signature_covers_every_field() -> None:
    key = Ed25519PrivateKey.generate()
    document = {"receipt_number": "SW1", "amount": "196405.56", "currency": "CNY"}
    signature = b64url(key.sign(canonical(document)))
    assert verify(document, signature, key.public_key())
    assert not verify({**document, "amount": "196405.57"}, signature, key.public_key())
    assert not verify(document, signature, Ed25519PrivateKey.generate().public_key())
    assert not verify(document, "not-base64!", key.public_key())
