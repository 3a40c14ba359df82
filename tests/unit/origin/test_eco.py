"""The e-CO XML: what we render is valid against the shipped XSD and reads back to exactly what was signed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from support.trade_documents import certificate_content

from singlewindow.errors import InvalidData
from singlewindow.origin import eco, signing

KEY = signing.generate()
CONTENT = certificate_content()
XML = eco.render(CONTENT, signing.sign(CONTENT, KEY.private_pem), KEY.kid)


def test_the_rendered_certificate_is_valid_against_the_xsd() -> None:
    root = etree.fromstring(XML)
    assert eco.schema().validate(root), eco.schema().error_log
    assert root.findtext(f"{{{eco.NAMESPACE}}}CertificateNumber") == "CN-RCEP-2026-000001"


def test_it_reads_back_to_the_signed_content_and_still_verifies() -> None:
    content, signature, kid = eco.read(XML)
    assert content == CONTENT
    assert kid == KEY.kid
    assert signing.verify(content, signature, KEY.public_key)


def test_a_value_changed_in_the_xml_no_longer_verifies() -> None:
    tampered = XML.replace(b"<Value>45000.00</Value>", b"<Value>4500.00</Value>")
    assert tampered != XML
    content, signature, _ = eco.read(tampered)
    assert not signing.verify(content, signature, KEY.public_key)


def test_what_the_xsd_refuses_is_named_by_its_path() -> None:
    broken = XML.replace(b"<HSCode>847130</HSCode>", b"<HSCode>8471</HSCode>")
    with pytest.raises(InvalidData) as refused:
        eco.read(broken)
    assert refused.value.errors[0]["loc"].endswith("/ElectronicCertificateOfOrigin/Goods/Item[1]/HSCode")


def test_a_doctype_and_malformed_xml_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(InvalidData, match="DOCTYPE"):
        eco.read(bomb)
    with pytest.raises(InvalidData, match="well-formed"):
        eco.read(b"<ElectronicCertificateOfOrigin")


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False).map(str)


@given(
    value=amounts,
    quantity=amounts,
    agreement=st.one_of(st.none(), st.from_regex(r"[A-Z0-9]{1,10}", fullmatch=True)),
    address=st.one_of(
        st.none(), st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=300)
    ),
)
def test_any_certificate_round_trips_through_xml(
    value: str, quantity: str, agreement: str | None, address: str | None
) -> None:
    item = CONTENT.goods[0].model_copy(update={"value": value, "quantity": quantity})
    exporter = CONTENT.exporter.model_copy(update={"address": address})
    content = CONTENT.model_copy(update={"goods": [item], "agreement": agreement, "exporter": exporter})
    xml = eco.render(content, signing.sign(content, KEY.private_pem), KEY.kid)
    read, signature, _ = eco.read(xml)
    assert read == content
    assert signing.verify(read, signature, KEY.public_key)
