"""Document types are data: their models, schemas and rules come from the JSON files."""

import copy
from typing import Any

import pytest
from support.documents import OTHER_DOCUMENT_TYPES as DATA_TYPES
from support.documents import import_declaration, sample

from singlewindow.catalogue import document_types
from singlewindow.catalogue.elements import elements
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.errors import InvalidData, NotFound


def errors_of(code: str, document: dict[str, Any]) -> set[str]:
    with pytest.raises(InvalidData) as refused:
        document_types.validate(code, document)
    return {e["loc"] for e in refused.value.errors}


@pytest.mark.parametrize("code", DATA_TYPES)
def test_every_sample_validates(code: str) -> None:
    assert document_types.validate(code, sample(code))


def test_the_cargo_declaration_is_the_canonical_model() -> None:
    assert document_types.model("cargo_declaration") is CargoDeclaration
    assert document_types.validate("cargo_declaration", import_declaration())["reference"] == "DEMO-IMP-0001"


@pytest.mark.parametrize("code", list(document_types.document_types()))
def test_every_field_is_a_catalogue_element(code: str) -> None:
    assert {u.element for u in document_types.fields(code)} <= set(elements())


def test_an_arrival_needs_its_eta_and_last_port() -> None:
    document = sample("vessel_declaration")
    del document["estimated_arrival"], document["last_port_of_call"]
    assert errors_of("vessel_declaration", document) == {"$.estimated_arrival", "$.last_port_of_call"}


def test_a_preferential_origin_claim_needs_a_criterion_on_every_item() -> None:
    document = sample("origin_certificate_application")
    document["goods"].append({**document["goods"][0]})
    del document["goods"][1]["origin_criterion"]
    assert errors_of("origin_certificate_application", document) == {"$.goods[1].origin_criterion"}
    del document["agreement"]
    assert document_types.validate("origin_certificate_application", document)


def test_nested_repeating_groups_report_their_path() -> None:
    document = copy.deepcopy(sample("cargo_manifest"))
    document["consignments"][0]["goods"][0]["package_type"] = "??"
    document["consignments"][0]["containers"][0]["number"] = "CSQU3054384"
    assert errors_of("cargo_manifest", document) == {
        "$.consignments[0].goods[0].package_type",
        "$.consignments[0].containers[0].number",
    }


def test_an_imo_number_with_a_wrong_check_digit_is_refused() -> None:
    assert errors_of("vessel_declaration", sample("vessel_declaration") | {"imo_number": "9795611"}) == {"$.imo_number"}


def test_an_unknown_document_type_is_not_found() -> None:
    with pytest.raises(NotFound, match="cargo_manifest"):
        document_types.get("bill_of_health")


def test_the_schema_names_elements_and_version() -> None:
    schema = document_types.json_schema("licence_application")
    assert schema["properties"]["valid_until"]["x-element"] == "SW0044"
    assert schema["properties"]["valid_until"]["format"] == "date"
    assert schema["x-catalogue-version"]
    assert set(schema["required"]) >= {"licence_type", "applicant", "goods"}
