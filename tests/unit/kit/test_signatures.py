"""The Ed25519 primitives every signing context shares."""

import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from singlewindow.kit import signatures


def test_a_key_file_is_made_once_private_and_whole(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "key.pem"
    first = signatures.pem_file(path)
    assert signatures.pem_file(path) == first, "the second caller reads the first one's key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["key.pem"], "no draft is left behind"
    signatures.private_key(first, "test key")


def test_threads_racing_to_make_the_key_all_read_one_whole_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first requests of a fresh app resolve the key in several threads at once.

    Every caller is held until all are writing their drafts, the moment a draft shared by
    one process's threads was truncated under a key already linked into place.
    """
    callers = 8
    all_writing = threading.Barrier(callers)
    make = signatures.new_private_pem

    def held_until_all_write() -> bytes:
        all_writing.wait(timeout=10)
        return make()

    monkeypatch.setattr(signatures, "new_private_pem", held_until_all_write)
    path = tmp_path / "key.pem"
    with ThreadPoolExecutor(callers) as pool:
        read = list(pool.map(lambda _: signatures.pem_file(path), range(callers)))
    assert set(read) == {path.read_bytes()}, "every caller reads the one key linked into place"
    signatures.private_key(read[0], "test key")
    assert [p.name for p in tmp_path.iterdir()] == ["key.pem"], "no draft is left behind"


def test_a_key_of_another_kind_is_refused_naming_its_use() -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="the permit key must be an Ed25519 private key"):
        signatures.private_key(pem, "permit key")


@given(st.binary(max_size=64))
def test_base64url_round_trips_without_padding(raw: bytes) -> None:
    encoded = signatures.b64url(raw)
    assert "=" not in encoded
    assert signatures.unb64url(encoded) == raw


def test_only_the_signature_over_exactly_the_message_verifies() -> None:
    private = Ed25519PrivateKey.generate()
    message = signatures.canonical_json({"b": 1, "a": "长江"})
    assert message == '{"a":"长江","b":1}'.encode()
    signature = signatures.b64url(private.sign(message))
    assert signatures.verify(private.public_key(), message, signature)
    assert not signatures.verify(private.public_key(), message + b" ", signature)
    assert not signatures.verify(Ed25519PrivateKey.generate().public_key(), message, signature)
    assert not signatures.verify(private.public_key(), message, "not base64!")


def test_the_key_id_is_the_rfc_7638_thumbprint() -> None:
    """RFC 8037 appendix A.3: the thumbprint of its example Ed25519 public key."""
    x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    assert signatures.thumbprint(x) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
