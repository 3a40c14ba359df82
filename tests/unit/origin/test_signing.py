"""Ed25519 signatures over a certificate: they verify, and any change to content, signature or key breaks them."""

from hypothesis import given
from hypothesis import strategies as st
from support.trade_documents import certificate_content

from singlewindow.kit.signatures import thumbprint
from singlewindow.origin import signing

KEY = signing.generate()
CONTENT = certificate_content()
SIGNATURE = signing.sign(CONTENT, KEY.private_pem)


def test_a_signature_verifies_with_its_key() -> None:
    assert signing.verify(CONTENT, SIGNATURE, KEY.public_key)


def test_the_key_id_is_the_thumbprint_of_the_public_key() -> None:
    assert KEY.kid == thumbprint(KEY.public_key)
    assert signing.generate().kid != KEY.kid


def test_another_key_does_not_verify() -> None:
    assert not signing.verify(CONTENT, SIGNATURE, signing.generate().public_key)


def test_a_changed_value_does_not_verify() -> None:
    item = CONTENT.goods[0].model_copy(update={"value": "45000.01"})
    tampered = CONTENT.model_copy(update={"goods": [item, *CONTENT.goods[1:]]})
    assert not signing.verify(tampered, SIGNATURE, KEY.public_key)


def test_a_corrupt_signature_or_key_is_a_failure_not_an_error() -> None:
    assert not signing.verify(CONTENT, "not-base64!", KEY.public_key)
    assert not signing.verify(CONTENT, SIGNATURE[:-4], KEY.public_key)
    assert not signing.verify(CONTENT, SIGNATURE, "short")


def test_the_canonical_form_is_tagged_sorted_compact_utf8() -> None:
    raw = signing.canonical(CONTENT)
    assert raw.startswith(signing.DOMAIN + b'{"agreement":"RCEP","consignee":')
    assert "上海示范".encode() in raw
    assert b": " not in raw


@given(st.text(min_size=1, max_size=300).filter(lambda s: s.strip() == s and s != CONTENT.exporter.name))
def test_any_change_to_the_exporter_name_breaks_the_signature(name: str) -> None:
    tampered = CONTENT.model_copy(update={"exporter": CONTENT.exporter.model_copy(update={"name": name})})
    assert not signing.verify(tampered, SIGNATURE, KEY.public_key)
