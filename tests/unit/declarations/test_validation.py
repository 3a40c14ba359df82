"""The canonical cargo declaration, typed from the data element catalogue, and the deployment's rules."""

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from support.documents import beef_import, import_declaration
from support.mutations import Mutation, Path, field_schema, mandatory, mutations, replaced, without

from singlewindow.catalogue.code_lists import code_lists
from singlewindow.declarations import rules
from singlewindow.declarations.schemas import MAX_GOODS_ITEMS, CargoDeclaration
from singlewindow.errors import InvalidData, field_error, json_path

COUNTRY = "CN"
Document = dict[str, Any]
Error = dict[str, Any]


def errors_of(document: Document) -> list[Error]:
    """Every failing field as the API renders it: schema errors first, then (on a valid schema) the rules."""
    try:
        rules.check(CargoDeclaration.model_validate(document), COUNTRY)
    except ValidationError as exc:
        return [field_error(e) for e in exc.errors()]
    except InvalidData as exc:
        return exc.errors
    return []


def only_error(document: Document) -> Error:
    errors = errors_of(document)
    assert len(errors) == 1, errors
    return errors[0]


def rule_errors(document: Document, country: str = COUNTRY) -> list[Error]:
    declaration = CargoDeclaration.model_validate(document)
    with pytest.raises(InvalidData) as caught:
        rules.check(declaration, country)
    return caught.value.errors


def export_declaration(**changes: Any) -> Document:
    """The example turned around: laptops loaded in Shanghai for Hamburg."""
    return import_declaration(**{"type": "export", "port_of_loading": "CNSGH", "port_of_discharge": "DEHAM", **changes})


# --- the valid documents ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "document", [import_declaration(), beef_import(), export_declaration()], ids=["import", "beef", "export"]
)
def test_the_example_documents_are_valid(document: Document) -> None:
    assert errors_of(document) == []


def test_amounts_are_decimals_and_codes_are_kept() -> None:
    declaration = CargoDeclaration.model_validate(import_declaration())
    assert declaration.goods[0].gross_weight_kg == Decimal("640.5")
    assert declaration.goods[0].package_count == 20
    assert declaration.total_value == Decimal("189000.00")
    assert declaration.containers[0].number == "CSQU3054383"


def test_surrounding_whitespace_is_stripped() -> None:
    declaration = CargoDeclaration.model_validate(import_declaration(reference="  DEMO-1  ", currency=" EUR "))
    assert (declaration.reference, declaration.currency) == ("DEMO-1", "EUR")


def test_containers_are_optional() -> None:
    assert errors_of(without(import_declaration(), ("containers",))) == []


# --- one field at a time -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", list(mandatory(import_declaration())), ids=json_path)
def test_each_missing_mandatory_field_is_named(path: Path) -> None:
    error = only_error(without(import_declaration(), path))
    assert (error["loc"], error["type"], error["msg"]) == (json_path(path), "missing", "Field required")
    assert error["pointer"] == "/" + "/".join(map(str, path))


@pytest.mark.parametrize(
    ("path", "code", "code_list"),
    [
        (("country",), "XX", "country"),
        (("consignor", "country"), "de", "country"),
        (("goods", 1, "origin_country"), "QZ", "country"),
        (("currency",), "DEM", "currency"),
        (("goods", 0, "unit"), "ZZZ", "unit"),
        (("port_of_loading",), "DEQQQ", "locode"),
        (("port_of_discharge",), "XXXXX", "locode"),
        (("goods", 0, "hs_code"), "999998", "hs"),
        (("goods", 0, "hs_code"), "0101", "hs"),
        (("trade_mode",), "9999", "trade_mode"),
        (("transport_mode",), "X", "transport_mode"),
        (("incoterm",), "DAT", "incoterm"),
        (("goods", 0, "package_type"), "0Z", "package_type"),
    ],
)
def test_unknown_codes_are_refused_naming_the_code_list(path: Path, code: str, code_list: str) -> None:
    error = only_error(replaced(import_declaration(), path, code))
    assert error["loc"] == json_path(path)
    assert field_schema(path)["x-code-list"] == code_list
    assert repr(code) in error["msg"]
    assert code_lists().get(code_list).version in error["msg"], "the message names the code list's edition"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("CSQU3054384", "check digit is 4, expected 3"),
        ("CSQX3054383", "equipment category"),
        ("CSQU305438A", "4 capital letters"),
        ("ÄSQU3054383", "4 capital letters"),
    ],
)
def test_container_numbers_need_a_valid_iso_6346_check_digit(number: str, reason: str) -> None:
    error = only_error(replaced(import_declaration(), ("containers", 0, "number"), number))
    assert error["loc"] == "$.containers[0].number"
    assert "ISO 6346" in error["msg"]
    assert reason in error["msg"]


@pytest.mark.parametrize(
    ("uscc", "reason"),
    [
        ("91310000MA1FL8TQ37", "check character is '7', expected '6'"),
        ("91310000MA1FL8TQ3O", "outside GB 32100-2015: O"),
    ],
)
def test_the_consignee_uscc_needs_a_valid_check_character(uscc: str, reason: str) -> None:
    error = only_error(replaced(import_declaration(), ("consignee", "uscc"), uscc))
    assert error["loc"] == "$.consignee.uscc"
    assert reason in error["msg"]


def test_net_weight_above_gross_weight_is_refused() -> None:
    error = only_error(replaced(import_declaration(), ("goods", 1, "net_weight_kg"), "320.01"))
    assert (error["loc"], error["pointer"], error["type"]) == (
        "$.goods[1].net_weight_kg",
        "/goods/1/net_weight_kg",
        "value_error",
    )
    assert "gross weight" in error["msg"]


def test_net_weight_equal_to_gross_weight_is_valid() -> None:
    assert errors_of(replaced(import_declaration(), ("goods", 1, "net_weight_kg"), "320")) == []


@pytest.mark.parametrize(
    ("count", "error_type"),
    [(0, "too_short"), (1, None), (MAX_GOODS_ITEMS, None), (MAX_GOODS_ITEMS + 1, "too_long")],
)
def test_between_one_and_fifty_goods_items(count: int, error_type: str | None) -> None:
    item = import_declaration()["goods"][0]
    errors = errors_of(import_declaration(goods=[item] * count))
    assert [(e["loc"], e["type"]) for e in errors] == ([("$.goods", error_type)] if error_type else [])


@pytest.mark.parametrize(
    "path",
    [("customs_office",), ("consignor", "phone"), ("containers", 0, "tare_kg"), ("goods", 1, "discount")],
    ids=json_path,
)
def test_unknown_fields_are_refused_at_every_level(path: Path) -> None:
    error = only_error(replaced(import_declaration(), path, "anything"))
    assert (error["loc"], error["type"]) == (json_path(path), "extra_forbidden")


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("value", "180000.00", None),
        ("value", "180000.001", "decimal_max_places"),
        ("value", "99999999999999.99", None),
        ("value", "999999999999999.99", "decimal_max_digits"),
        ("quantity", "200.1234", None),
        ("quantity", "200.12345", "decimal_max_places"),
        ("value", "NaN", "finite_number"),
        ("value", "-1", "greater_than_equal"),
        ("package_count", 99_999_999, None),
        ("package_count", 100_000_000, "less_than"),
        ("package_count", 2.5, "int_from_float"),
    ],
)
def test_numbers_follow_the_catalogue_representation(field: str, value: object, error_type: str | None) -> None:
    errors = errors_of(replaced(import_declaration(), ("goods", 0, field), value))
    assert [(e["loc"], e["type"]) for e in errors] == ([(f"$.goods[0].{field}", error_type)] if error_type else [])


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("reference", "R" * 35, None),
        ("reference", "R" * 36, "string_too_long"),
        ("reference", "   ", "string_too_short"),
        ("trade_mode", "011", "string_too_short"),
        ("country", "D1", "string_pattern_mismatch"),
        ("type", "transit", "literal_error"),
        ("reference", 42, "string_type"),
    ],
)
def test_strings_follow_the_catalogue_representation(field: str, value: object, error_type: str | None) -> None:
    errors = errors_of(import_declaration(**{field: value}))
    assert [(e["loc"], e["type"]) for e in errors] == ([(f"$.{field}", error_type)] if error_type else [])


def test_every_failing_field_is_reported_at_once() -> None:
    document = replaced(import_declaration(currency="XXY", incoterm="DAT"), ("goods", 1, "hs_code"), "999998")
    assert sorted(e["loc"] for e in errors_of(document)) == ["$.currency", "$.goods[1].hs_code", "$.incoterm"]


# --- the deployment's rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "loc", "message"),
    [
        (import_declaration(port_of_discharge="USLAX"), "$.port_of_discharge", "an import is declared at a port in CN"),
        (export_declaration(port_of_loading="USLAX"), "$.port_of_loading", "an export is declared at a port in CN"),
        (import_declaration(country="FR"), "$.country", "FR does not match the country of the port of loading"),
        (export_declaration(country="FR"), "$.country", "FR does not match the country of the port of discharge"),
    ],
    ids=["import-outside-CN", "export-outside-CN", "import-country", "export-country"],
)
def test_rules_on_ports_and_country(document: Document, loc: str, message: str) -> None:
    [error] = rule_errors(document)
    assert (error["loc"], error["type"]) == (loc, "rule")
    assert message in error["msg"]


def test_an_import_must_be_discharged_in_the_deploying_country() -> None:
    assert rule_errors(import_declaration(), country="SG")[0]["loc"] == "$.port_of_discharge"
    rules.check(CargoDeclaration.model_validate(import_declaration(port_of_discharge="SGSIN")), "SG")


def test_each_repeated_container_number_is_reported() -> None:
    container = import_declaration()["containers"][0]
    other = {"number": "MSCU1234566", "size_type": "45G1"}
    document = import_declaration(containers=[container, other, container, container])
    assert [e["loc"] for e in rule_errors(document)] == ["$.containers[2].number", "$.containers[3].number"]
    assert "container CSQU3054383 is listed twice" in rule_errors(document)[0]["msg"]


def test_every_broken_rule_is_reported_at_once() -> None:
    container = import_declaration()["containers"][0]
    document = import_declaration(port_of_discharge="USLAX", country="FR", containers=[container, container])
    errors = rule_errors(document)
    assert [e["loc"] for e in errors] == ["$.port_of_discharge", "$.country", "$.containers[1].number"]


# --- properties -----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(mutations())
def test_any_single_broken_field_is_refused_and_named(mutation: Mutation) -> None:
    errors = errors_of(mutation.document)
    assert errors, f"{mutation.kind} at {json_path(mutation.path)} was accepted"
    for error in errors:
        assert error["loc"].startswith("$")
        assert mutation.named_by(error), (mutation.kind, json_path(mutation.path), error)
        assert error["msg"]


@settings(max_examples=40, deadline=None)
@given(mutations(kinds=("unknown_code",)))
def test_any_unknown_code_is_refused_naming_the_code_list(mutation: Mutation) -> None:
    [error] = errors_of(mutation.document)
    assert error["loc"] == json_path(mutation.path)
    assert code_lists().get(field_schema(mutation.path)["x-code-list"]).version in error["msg"]


GOODS_POOL: list[Document] = [
    *import_declaration()["goods"],
    *beef_import()["goods"],
    {
        "hs_code": "6109100011",
        "description": "Cotton T-shirts, men's",
        "quantity": "1",
        "unit": "C62",
        "gross_weight_kg": "1",
        "net_weight_kg": "1",
        "value": "1",
        "origin_country": "VN",
    },
    {
        "hs_code": "87032342",
        "description": "Passenger car, 1.5-3 litre",
        "quantity": "1",
        "unit": "C62",
        "gross_weight_kg": "1",
        "net_weight_kg": "1",
        "value": "1",
        "origin_country": "JP",
        "package_type": "NE",
    },
]
AMOUNTS = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)


@st.composite
def goods_items(draw: st.DrawFn) -> Document:
    net, packaging = draw(AMOUNTS), draw(AMOUNTS)
    return {
        **draw(st.sampled_from(GOODS_POOL)),
        "quantity": draw(AMOUNTS),
        "net_weight_kg": net,
        "gross_weight_kg": net + packaging,
        "value": draw(AMOUNTS),
    }


@settings(max_examples=40, deadline=None)
@given(st.lists(goods_items(), min_size=1, max_size=MAX_GOODS_ITEMS))
def test_valid_variations_validate_and_round_trip_through_json(goods: list[Document]) -> None:
    document = import_declaration(goods=goods)
    assert errors_of(document) == []
    declaration = CargoDeclaration.model_validate(document)
    dumped = declaration.model_dump(mode="json")
    assert CargoDeclaration.model_validate(dumped) == declaration
    assert CargoDeclaration.model_validate_json(json.dumps(dumped)).model_dump(mode="json") == dumped
    assert [Decimal(item["value"]) for item in dumped["goods"]] == [item["value"] for item in goods]
    assert declaration.total_value == sum((item["value"] for item in goods), Decimal(0))


def test_duty_exemption_and_attached_documents_come_from_their_code_lists() -> None:
    document = import_declaration(duty_exemption="101", documents=[{"code": "A", "number": "310000126000123000"}])
    declaration = CargoDeclaration.model_validate(document)
    assert (declaration.duty_exemption, declaration.documents[0].code) == ("101", "A")
    broken = import_declaration(duty_exemption="102", documents=[{"code": "a", "number": "X1"}])
    errors = {e["loc"]: e["msg"] for e in errors_of(broken)}
    assert "'102' is not in code list 'duty_exemption'" in errors["$.duty_exemption"]
    assert "'a' is not in code list 'regulatory_condition'" in errors["$.documents[0].code"]


def test_an_attached_document_needs_its_number() -> None:
    error = only_error(import_declaration(documents=[{"code": "A"}]))
    assert error["loc"] == "$.documents[0].number"
