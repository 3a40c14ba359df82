"""The declaration form: built from the catalogue, and the form's names map back to the API's document."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from support.documents import beef_import, import_declaration, with_goods_field

from singlewindow.catalogue.elements import elements
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.portal import forms
from singlewindow.portal.web import brand
from singlewindow.settings import Settings


def _schema_elements(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["x-element"]} if "x-element" in node else set()
        return own.union(*(_schema_elements(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_schema_elements(v) for v in node))
    return set()


def test_every_catalogue_element_of_the_declaration_is_on_the_form() -> None:
    on_form = {f.element.id for group in forms.layout() for f in group.fields}
    assert on_form == _schema_elements(CargoDeclaration.model_json_schema())
    assert on_form <= set(elements())


def test_labels_come_from_the_catalogue_in_both_languages() -> None:
    hs = next(f for f in forms.layout()[-1].fields if f.name == "hs_code")
    assert hs.label("zh_CN") == "商品编号"
    assert hs.label("en") == "Commodity code"
    assert hs.code_list == "hs"


def test_documents_survive_the_form_round_trip() -> None:
    for document in (import_declaration(), beef_import()):
        values = forms.to_form(document)
        again = forms.to_document(values.items())
        assert forms.to_form(again) == values


def test_blank_inputs_and_blank_rows_are_dropped_and_unknown_names_ignored() -> None:
    document = forms.to_document(
        [
            ("reference", " R-1 "),
            ("currency", ""),
            ("goods.3.hs_code", "847130"),
            ("goods.1.hs_code", " "),
            ("x.y", "1"),
        ]
    )
    assert document == {"reference": "R-1", "goods": [{"hs_code": "847130"}]}


def test_errors_land_on_their_input_and_object_errors_on_a_field_of_the_object() -> None:
    document = with_goods_field(import_declaration(), 1, net_weight_kg="9999", hs_code="12")
    _, problems = forms.validate(document, "CN")
    shown = forms.errors_by_input(problems, document)
    assert set(shown) == {"goods.1.hs_code", "goods.1.net_weight_kg"}


def test_deployment_rules_are_checked_like_the_api() -> None:
    _, problems = forms.validate(import_declaration(port_of_discharge="DEHAM"), "CN")
    assert [p["pointer"] for p in problems] == ["/port_of_discharge"]


form_values = st.dictionaries(
    st.sampled_from(
        [
            "reference",
            "consignor.name",
            "consignee.uscc",
            "goods.0.hs_code",
            "goods.2.value",
            "containers.1.number",
            "zz",
        ]
    ),
    st.text(max_size=12),
)


@given(form_values)
def test_any_form_parses_into_a_document_the_validator_can_judge(values: dict[str, str]) -> None:
    document: dict[str, Any] = forms.to_document(values.items())
    for group in ("goods", "containers"):
        assert all(row for row in document.get(group, []))
    data, problems = forms.validate(document, "CN")
    assert data is None
    assert problems
    assert forms.errors_by_input(problems, document)


def test_the_brand_is_national_unless_a_region_is_configured() -> None:
    assert brand(Settings(), "zh_CN")["title"] == "中国国际贸易单一窗口"
    regional = Settings(portal_region="上海", portal_region_en="Shanghai")
    assert brand(regional, "zh_CN")["title"] == "中国（上海）国际贸易单一窗口"
    assert brand(regional, "en")["title"] == "China (Shanghai) International Trade Single Window"
