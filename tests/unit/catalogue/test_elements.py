"""The data element catalogue: representations become pydantic types; the schema names its elements."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

import pytest
from pydantic import TypeAdapter, ValidationError

from singlewindow.catalogue import document_types
from singlewindow.catalogue.code_lists import code_lists
from singlewindow.catalogue.elements import DataElement, Element, element_type, elements
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.sharing.sources import OWN_DOCUMENTS


def adapter(element_id: str) -> TypeAdapter[Any]:
    return TypeAdapter(element_type(element_id))


def refused(element_id: str, value: object) -> str:
    """The error type pydantic gives ``value`` for the element."""
    with pytest.raises(ValidationError) as caught:
        adapter(element_id).validate_python(value)
    return caught.value.errors()[0]["type"]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return CargoDeclaration.model_json_schema()


def annotated(node: Any) -> Iterator[dict[str, Any]]:
    """Every sub-schema that carries ``x-element``."""
    if isinstance(node, dict):
        if "x-element" in node:
            yield node
        for value in node.values():
            yield from annotated(value)
    elif isinstance(node, list):
        for value in node:
            yield from annotated(value)


def test_the_catalogue_is_read_once_with_every_column() -> None:
    assert elements() is elements()
    port = elements()["SW0009"]
    assert port == DataElement(
        id="SW0009",
        name_en="Port of loading",
        name_zh="装货港",
        representation="an5",
        code_list="locode",
        check=None,
        definition="UN/LOCODE of the place where the goods are loaded",
        wco_id="L010",
    )


TEXT_CASES = {
    "a2": (
        "SW0004",
        ["DE", "CN"],
        {"D": "string_too_short", "DEU": "string_too_long", "D1": "string_pattern_mismatch"},
    ),
    "an..35": ("SW0002", ["R", "R" * 35], {"": "string_too_short", "R" * 36: "string_too_long", 35: "string_type"}),
    "an4": ("SW0016", ["22G1"], {"22G": "string_too_short", "22G1X": "string_too_long"}),
}


@pytest.mark.parametrize(("element_id", "valid", "invalid"), TEXT_CASES.values(), ids=TEXT_CASES.keys())
def test_text_representations(element_id: str, valid: list[str], invalid: dict[object, str]) -> None:
    assert [adapter(element_id).validate_python(v) for v in valid] == valid
    assert {value: refused(element_id, value) for value in invalid} == invalid


def test_text_is_stripped_before_its_length_is_checked() -> None:
    assert adapter("SW0004").validate_python(" DE ") == "DE"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("180000.00", Decimal("180000.00")),
        ("0.5", Decimal("0.5")),
        (12, Decimal(12)),
        ("99999999999999.99", Decimal("99999999999999.99")),
    ],
)
def test_n_16_2_is_a_decimal_with_at_most_two_places(value: object, expected: Decimal) -> None:
    parsed = adapter("SW0024").validate_python(value)
    assert isinstance(parsed, Decimal)
    assert parsed == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("0.001", "decimal_max_places"),
        ("999999999999999.99", "decimal_max_digits"),
        ("-0.01", "greater_than_equal"),
        ("Infinity", "finite_number"),
        ("ten", "decimal_parsing"),
    ],
)
def test_n_16_2_refuses(value: str, error: str) -> None:
    assert refused("SW0024", value) == error


def test_n_18_4_keeps_four_places() -> None:
    assert adapter("SW0020").validate_python("1.2345") == Decimal("1.2345")
    assert refused("SW0020", "1.23456") == "decimal_max_places"


@pytest.mark.parametrize(("value", "expected"), [(0, 0), ("20", 20), (99_999_999, 99_999_999)])
def test_n_8_is_an_int_below_ten_to_the_eighth(value: object, expected: int) -> None:
    parsed = adapter("SW0026").validate_python(value)
    assert type(parsed) is int
    assert parsed == expected


@pytest.mark.parametrize(
    ("value", "error"), [(100_000_000, "less_than"), (-1, "greater_than_equal"), (1.5, "int_from_float")]
)
def test_n_8_refuses(value: object, error: str) -> None:
    assert refused("SW0026", value) == error


@pytest.mark.parametrize(
    ("element_id", "value", "message"),
    [
        ("SW0012", "XXY", "not in code list 'currency'"),
        ("SW0015", "CSQU3054384", "not a valid ISO 6346 container number"),
        ("SW0006", "91310000MA1FL8TQ37", "not a valid unified social credit code"),
        ("SW0018", "999998", "not an HS subheading"),
    ],
)
def test_code_lists_and_checks_come_from_the_element(element_id: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        adapter(element_id).validate_python(value)


def test_an_unsupported_representation_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    odd = DataElement("SW9999", "Odd", "奇怪", "x..3", None, None, "not a UN/EDIFACT representation")
    monkeypatch.setitem(elements(), odd.id, odd)
    with pytest.raises(ValueError, match=r"SW9999: unsupported representation 'x\.\.3'"):
        element_type(odd.id)


def test_an_unknown_element_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="SW9998"):
        TypeAdapter(Annotated[str, Element("SW9998")])


def test_the_schema_names_the_element_and_code_list_of_its_fields(schema: dict[str, Any]) -> None:
    port = schema["properties"]["port_of_loading"]
    assert (port["x-element"], port["x-code-list"], port["title"]) == ("SW0009", "locode", "Port of loading")
    assert port["description"].startswith("装货港: ")
    assert (port["minLength"], port["maxLength"]) == (5, 5)
    assert schema["properties"]["type"]["x-element"] == "SW0001"
    hs = schema["$defs"]["GoodsItem"]["properties"]["hs_code"]
    assert (hs["x-element"], hs["x-code-list"]) == ("SW0018", "hs")
    assert "x-code-list" not in schema["properties"]["reference"]


def test_every_element_in_the_schema_is_in_the_catalogue_with_its_code_list(schema: dict[str, Any]) -> None:
    found = list(annotated(schema))
    assert len(found) >= 25
    for node in found:
        element = elements()[node["x-element"]]
        assert node.get("x-code-list") == element.code_list
        assert element.code_list is None or element.code_list in code_lists().names()


def test_every_cargo_declaration_field_is_a_catalogue_element(schema: dict[str, Any]) -> None:
    assert {node["x-element"] for node in annotated(schema)} <= set(elements())


def test_every_catalogue_element_is_used_by_some_document_type() -> None:
    """Or by the records the sharing catalogue builds outside a document type (credit, container events, risk)."""
    used = {use.element for code in document_types.document_types() for use in document_types.fields(code)}
    own = {element for fields in OWN_DOCUMENTS.values() for _, element in fields}
    assert used | own == set(elements())
