"""Every document type reaches every agency as JSON, as XML valid against its XSD, and as EDIFACT where one fits."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from support.documents import OTHER_DOCUMENT_TYPES, import_declaration, sample

from singlewindow.catalogue import agency_requirements, document_types
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.formats import cuscar, document_xml, edifact, outbound, xml
from singlewindow.formats.parsed import Parsed

PREPARED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
ALL_TYPES = ["cargo_declaration", *OTHER_DOCUMENT_TYPES]
ROUTES = [(code, agency) for code in ALL_TYPES for agency in agency_requirements.requirements()[code]]


def document(code: str) -> dict[str, Any]:
    raw = import_declaration() if code == "cargo_declaration" else sample(code)
    return document_types.validate(code, raw)


def envelope(code: str, agency: str, wanted: str) -> bytes:
    view = agency_requirements.derive(code, agency, document(code))
    payload = {"document_type": code, "routing_rule": "r1", "declaration": view, "format": wanted}
    body: dict[str, Any] = {"message_id": "01943a4e-5f00-7000-8000-000000000002", "kind": "declaration"}
    body |= {"subject_id": "01943a4e-5f00-7000-8000-000000000001", "revision": 1, "payload": payload}
    return json.dumps(body, ensure_ascii=False).encode()


def test_every_document_type_is_one_the_catalogue_defines() -> None:
    assert sorted(ALL_TYPES) == sorted(document_types.document_types())
    assert document_types.model("cargo_declaration") is CargoDeclaration


@pytest.mark.parametrize(("code", "agency"), ROUTES)
def test_json_is_the_envelope_itself(code: str, agency: str) -> None:
    body = envelope(code, agency, "json")
    assert outbound.render(body, "application/json", agency, PREPARED) == outbound.Rendered("application/json", body)


@pytest.mark.parametrize(("code", "agency"), ROUTES)
def test_xml_is_valid_against_the_shipped_schema_of_its_type(code: str, agency: str) -> None:
    rendered = outbound.render(envelope(code, agency, "xml"), "application/json", agency, PREPARED)
    assert rendered.content_type == "application/xml"
    root = xml.parse_document(rendered.body)
    if code == "cargo_declaration":
        xml.check_schema(root)
    else:
        document_xml.check_schema(code, root)
        assert root.tag == f"{{{document_xml.namespace(code)}}}Message"


@pytest.mark.parametrize(("code", "agency"), ROUTES)
def test_edifact_where_a_un_message_fits_and_a_clear_refusal_where_none_does(code: str, agency: str) -> None:
    body = envelope(code, agency, "edifact")
    message = document_types.get(code).edifact_message
    if message is None:
        with pytest.raises(outbound.NoSuchForm, match="no UN/EDIFACT form"):
            outbound.render(body, "application/json", agency, PREPARED)
        return
    rendered = outbound.render(body, "application/json", agency, PREPARED)
    assert rendered.content_type == "application/EDIFACT"
    text = rendered.body.decode()
    assert f"UNH+1+{message}:D:96B:UN'" in text
    parsed: Parsed = edifact.parse_cusdec(text) if message == "CUSDEC" else cuscar.parse_cuscar(text)
    view = agency_requirements.derive(code, agency, document(code))
    groups = agency_requirements.groups_of(agency_requirements.requirements()[code][agency])
    assert len(parsed.document.get(groups[0], [])) == len(view[groups[0]])


def test_only_declarations_and_manifests_have_an_edifact_form() -> None:
    forms = {code: document_types.get(code).edifact_message for code in ALL_TYPES}
    assert {code: m for code, m in forms.items() if m} == {"cargo_declaration": "CUSDEC", "cargo_manifest": "CUSCAR"}
    assert outbound.formats_of("vessel_declaration") == ("json", "xml")


@pytest.mark.parametrize("code", OTHER_DOCUMENT_TYPES)
def test_each_data_defined_type_round_trips_through_its_xml(code: str) -> None:
    original = document(code)
    found, parsed = document_xml.parse(document_xml.build_document(code, original))
    assert found == code
    assert document_types.validate(code, parsed.document) == original


def test_the_manifest_round_trips_through_cuscar() -> None:
    original = document("cargo_manifest")
    frame = edifact.Envelope("CARRIER", "SINGLEWINDOW", "7", PREPARED)
    parsed = cuscar.parse_cuscar(cuscar.build_cuscar(original, frame))
    assert document_types.validate("cargo_manifest", parsed.document) == original


@pytest.mark.parametrize("code", OTHER_DOCUMENT_TYPES)
def test_the_shipped_xsd_is_what_the_catalogue_generates(code: str) -> None:
    shipped = document_xml.schema_path(code).read_text(encoding="utf-8")
    assert shipped == document_xml.xsd_text(code), "run: python -m singlewindow.formats.document_xml"
