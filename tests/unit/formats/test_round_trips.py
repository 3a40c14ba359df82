"""Canonical → EDIFACT → canonical and canonical → XML → canonical lose nothing."""

from datetime import UTC, datetime

from hypothesis import given, settings
from support.cargo_strategies import declarations

from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.formats import edifact, xml
from singlewindow.formats.parsed import validate

ENVELOPE = edifact.Envelope("SENDER", "RECIPIENT", "42", datetime(2026, 1, 1, tzinfo=UTC))


@settings(max_examples=60, deadline=None)
@given(declarations())
def test_edifact_round_trip_loses_nothing(declaration: CargoDeclaration) -> None:
    document = declaration.model_dump(mode="json", exclude_none=True)
    interchange = edifact.build_cusdec(document, ENVELOPE)
    assert validate(edifact.parse_cusdec(interchange), CargoDeclaration) == declaration


@settings(max_examples=60, deadline=None)
@given(declarations())
def test_xml_round_trip_loses_nothing(declaration: CargoDeclaration) -> None:
    document = declaration.model_dump(mode="json", exclude_none=True)
    assert validate(xml.parse_declaration(xml.build_declaration(document)), CargoDeclaration) == declaration


@settings(max_examples=30, deadline=None)
@given(declarations())
def test_edifact_bytes_in_utf8_parse_like_text(declaration: CargoDeclaration) -> None:
    interchange = edifact.build_cusdec(declaration.model_dump(mode="json", exclude_none=True), ENVELOPE)
    assert edifact.parse_cusdec(interchange.encode()).document == edifact.parse_cusdec(interchange).document
