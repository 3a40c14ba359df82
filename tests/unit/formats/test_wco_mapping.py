"""The WCO DEC-DMS mapping follows the WCO ids the data element catalogue records."""

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from singlewindow.catalogue import elements as catalogue
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.formats import wco
from singlewindow.formats.errors import MessageRefused
from singlewindow.formats.parsed import validate

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "xml" / "wco-dm-import-cn.xml"


def _with_wco_ids(monkeypatch: pytest.MonkeyPatch, **wco_ids: str | None) -> None:
    changed = {
        key: dataclasses.replace(element, wco_id=wco_ids[key]) if key in wco_ids else element
        for key, element in catalogue.elements().items()
    }
    monkeypatch.setattr(catalogue, "elements", lambda: changed)


def test_every_wco_keyed_xpath_lands_on_the_element_recording_that_id() -> None:
    known = catalogue.elements()
    for kind in ("import", "export"):
        for section, targets in wco.targets(kind).items():
            for target in targets:
                assert target.wco_id == known[target.element].wco_id, (section, target)
    header = {t.field: t for t in wco.targets("import")["header"]}
    assert (header["reference"].element, header["reference"].wco_id) == ("SW0002", "D026")
    assert header["reference"].xpath == "d:FunctionalReferenceID"


def test_moving_a_wco_id_in_the_catalogue_moves_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    before = validate(wco.parse_declaration(SAMPLE.read_bytes()), CargoDeclaration)
    # The catalogue now says the trader reference is the transport document number (D023) and
    # the bill of lading field carries the functional reference (D026): the mapping follows it.
    _with_wco_ids(monkeypatch, SW0002="D023", SW0014="D026")
    swapped = wco.parse_declaration(SAMPLE.read_bytes()).document
    assert swapped["reference"] == before.bill_of_lading
    assert swapped["bill_of_lading"] == before.reference


def test_a_wco_id_no_element_records_is_a_mapping_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_wco_ids(monkeypatch, SW0015=None)
    with pytest.raises(wco.MappingError, match="containers: no catalogue element records WCO id 159"):
        wco.targets("import")


def test_a_catalogue_key_for_an_element_with_a_wco_id_must_use_the_id(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_wco_ids(monkeypatch, SW0007="161")
    with pytest.raises(wco.MappingError, match="header: SW0007 records WCO id 161; key its XPath by that id"):
        wco.targets("import")


def test_two_elements_with_one_wco_id_are_a_mapping_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_wco_ids(monkeypatch, SW0031="D026")
    with pytest.raises(wco.MappingError, match="SW0002, SW0031 all record WCO id D026"):
        wco.targets("import")


def test_catalogue_wco_ids_are_unique() -> None:
    ids = [e.wco_id for e in catalogue.elements().values() if e.wco_id]
    assert len(ids) == len(set(ids)) >= 17


def _with_header_documents(*documents: tuple[str, str]) -> bytes:
    xml = "".join(
        f"<AdditionalDocument><ID>{n}</ID><TypeCode>{t}</TypeCode></AdditionalDocument>" for t, n in documents
    )
    text = SAMPLE.read_text(encoding="utf-8")
    return text.replace("<GoodsShipment>", f"{xml}<GoodsShipment>", 1).encode()


def test_header_additional_documents_become_the_attached_documents() -> None:
    parsed = wco.parse_declaration(_with_header_documents(("A", "310000126000123000"), ("7", "26-AL-000001")))
    declaration = validate(parsed, CargoDeclaration)
    assert [(d.code, d.number) for d in declaration.documents] == [("A", "310000126000123000"), ("7", "26-AL-000001")]


def test_an_eu_document_code_is_refused_naming_its_xpath() -> None:
    parsed = wco.parse_declaration(_with_header_documents(("N935", "INV-1")))
    with pytest.raises(MessageRefused) as refused:
        validate(parsed, CargoDeclaration)
    [problem] = refused.value.problems
    assert problem.where == "/Declaration/AdditionalDocument/TypeCode"
    assert problem.field == "$.documents[0].code"


def test_freight_insurance_and_a_certificate_of_origin_come_through() -> None:
    """CustomsValuation charges by their UNCL 5025 code; the item's document of UNTDED type 861 is its certificate."""
    text = SAMPLE.read_text(encoding="utf-8")
    charges = "".join(
        f'<ChargeDeduction><ChargesTypeCode>{code}</ChargesTypeCode><OtherChargeDeductionAmount currencyID="EUR">'
        f"{amount}</OtherChargeDeductionAmount></ChargeDeduction>"
        for code, amount in (("157", "540.00"), ("64", "2350.00"))
    )
    text = text.replace("<GoodsShipment>", f"<GoodsShipment><CustomsValuation>{charges}</CustomsValuation>", 1)
    certificate = "<AdditionalDocument><ID>DE-EUR1-2026-000417</ID><TypeCode>861</TypeCode></AdditionalDocument>"
    text = text.replace(
        "<SequenceNumeric>1</SequenceNumeric>\n      <AdditionalDocument>",
        f"<SequenceNumeric>1</SequenceNumeric>{certificate}<AdditionalDocument>",
    )
    declaration = validate(wco.parse_declaration(text.encode()), CargoDeclaration)
    assert declaration.freight is not None
    assert declaration.insurance is not None
    assert (declaration.freight.amount, declaration.freight.currency) == (Decimal("2350.00"), "EUR")
    assert (declaration.insurance.amount, declaration.insurance.currency) == (Decimal("540.00"), "EUR")
    (item,) = declaration.goods
    assert (item.origin_certificate_number, item.licence_number) == ("DE-EUR1-2026-000417", "24-AL-000001")


def test_without_charges_or_certificate_the_declaration_has_none() -> None:
    declaration = validate(wco.parse_declaration(SAMPLE.read_bytes()), CargoDeclaration)
    assert (declaration.freight, declaration.insurance, declaration.goods[0].origin_certificate_number) == (
        None,
        None,
        None,
    )
