"""Whatever bytes arrive, the parsers answer with MessageRefused or a document, never another exception."""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.documents import import_declaration

from singlewindow.formats import edifact, inbound, wco, xml
from singlewindow.formats.errors import MessageRefused

DATA = Path(__file__).resolve().parents[2] / "data"
VALID_CUSDEC = edifact.build_cusdec(
    import_declaration(), edifact.Envelope("A", "B", "1", datetime(2026, 1, 1, tzinfo=UTC))
).encode()
VALID_XML = xml.build_declaration(import_declaration())
VALID_WCO = (DATA / "xml" / "wco-dm-import-cn.xml").read_bytes()
EDIFACT_BYTES = st.binary(max_size=400) | st.text("UNBHTZ+:'?.*0123456789ABC \n", max_size=300).map(str.encode)


@st.composite
def mutated(draw: st.DrawFn, valid: bytes) -> bytes:
    """A valid message with a few bytes cut, replaced or inserted: close to real, so the parser goes deep."""
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["cut", "replace", "insert"]))
        if action == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


def only_refusals(parse: Callable[[bytes], Any], data: bytes) -> None:
    try:
        parse(data)
    except MessageRefused as refused:
        problems = refused.problems
    else:
        return
    assert problems
    assert all(p.where and p.msg for p in problems)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(EDIFACT_BYTES | mutated(VALID_CUSDEC))
def test_edifact_declarations(data: bytes) -> None:
    only_refusals(edifact.parse_cusdec, data)


@FUZZ
@given(
    EDIFACT_BYTES
    | mutated(
        edifact.build_cusres(
            {
                "message_id": "m-1",
                "issued_at": "2026-01-01T00:00:00+00:00",
                "subject_id": "0195f0e4-0000-7000-8000-000000000000",
                "revision": 1,
                "payload": {"decision": "reject", "reason": "wrong HS code"},
            },
            edifact.Envelope("customs", "sw", "1", datetime(2026, 1, 1, tzinfo=UTC)),
        ).encode()
    )
)
def test_edifact_responses(data: bytes) -> None:
    only_refusals(edifact.parse_cusres, data)


@FUZZ
@given(st.binary(max_size=400) | mutated(VALID_XML) | mutated(VALID_WCO))
def test_xml_either_namespace(data: bytes) -> None:
    only_refusals(lambda body: inbound.decode_declaration("application/xml", body), data)


@pytest.mark.parametrize("parse", [xml.parse_declaration, wco.parse_declaration])
def test_an_external_entity_is_never_fetched(parse: Callable[[bytes], Any], tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    payload = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]><x>&s;</x>'.encode()
    with pytest.raises(MessageRefused, match="DOCTYPE"):
        parse(payload)
