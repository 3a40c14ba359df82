"""Permit signatures: canonical bytes, Ed25519, any change to the content breaks them; the QR code encodes."""

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from singlewindow.kit.signatures import canonical_json
from singlewindow.logistics import signing

DOCUMENT = {"number": "DPCNSGH2026", "vessel": {"name": "长江", "imo_number": "9795610"}, "crew_count": 25}


def test_the_signed_bytes_do_not_depend_on_key_order_or_spacing() -> None:
    reordered = {"crew_count": 25, "vessel": {"imo_number": "9795610", "name": "长江"}, "number": "DPCNSGH2026"}
    assert canonical_json(DOCUMENT) == canonical_json(reordered)
    assert "长江".encode() in canonical_json(DOCUMENT)


def test_a_signature_verifies_and_any_change_breaks_it(tmp_path: Path) -> None:
    key = signing.load(None, tmp_path)
    signature = signing.sign(key, DOCUMENT)
    assert signing.verify(key.public, DOCUMENT, signature)
    assert not signing.verify(key.public, {**DOCUMENT, "crew_count": 24}, signature)
    assert not signing.verify(Ed25519PrivateKey.generate().public_key(), DOCUMENT, signature)
    assert not signing.verify(key.public, DOCUMENT, "not base64!")


def test_the_key_is_made_once_and_kept(tmp_path: Path) -> None:
    first = signing.load(None, tmp_path / "a")
    signing.load.cache_clear()
    again = signing.load(None, tmp_path / "a")
    assert first.kid == again.kid
    assert (tmp_path / "a" / signing.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert again.jwk()["crv"] == "Ed25519"


def test_the_qr_code_is_an_svg() -> None:
    svg = signing.qr_svg("https://sw.example/portal/permits/DP1?s=" + "A" * 86)
    assert svg.startswith("<svg")
    assert "</svg>" in svg
