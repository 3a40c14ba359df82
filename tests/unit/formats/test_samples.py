"""Real third-party interchanges (tests/data/README.md): refused precisely, never a crash."""

from pathlib import Path

import pytest

from singlewindow.formats import cuscar, edifact, inbound
from singlewindow.formats.errors import MessageRefused

EDIFACT = Path(__file__).resolve().parents[2] / "data" / "edifact"


@pytest.mark.parametrize(
    ("sample", "where", "why"),
    [
        # An export declaration from Melbourne (D.99B): its country of destination is coded by
        # UN/ECE (agency 6) where ISO (5) is due, and its GIS indicators are from agency 95 lists.
        ("ts-edifact-cusdec-d99b.edi", "segment 5 LOC/C517/3225", "country 'US' is from code list agency '6'"),
        ("cuscar-d95b-sample.edi", "UNH/S009/0065", "message type is 'CUSCAR'"),
        ("ts-edifact-cuscar-d99b.edi", "UNH/S009/0065", "message type is 'CUSCAR'"),
    ],
)
def test_each_sample_sent_as_a_declaration_is_refused_with_its_reason(sample: str, where: str, why: str) -> None:
    with pytest.raises(MessageRefused) as refused:
        edifact.parse_cusdec((EDIFACT / sample).read_bytes())
    problem = refused.value.problems[0]
    assert problem.where == where
    assert why in problem.msg


def test_every_problem_of_the_d99b_cusdec_is_named_by_segment_and_element() -> None:
    with pytest.raises(MessageRefused) as refused:
        edifact.parse_cusdec((EDIFACT / "ts-edifact-cusdec-d99b.edi").read_bytes())
    assert [(p.where, p.type) for p in refused.value.problems] == [
        ("segment 5 LOC/C517/3225", "foreign_code_list"),
        ("segment 8 GIS/C529/7365", "foreign_code_list"),
        ("segment 9 GIS/C529/7365", "foreign_code_list"),
    ]
    assert "list '79' (agency '95')" in refused.value.problems[1].msg


def test_a_real_cusdec_cut_before_unt_is_refused_naming_unt() -> None:
    text = (EDIFACT / "ts-edifact-cusdec-d99b.edi").read_text()
    with pytest.raises(MessageRefused) as refused:
        edifact.parse_cusdec(text[: text.index("UNT+")])
    [problem] = refused.value.problems
    assert (problem.where, "not closed by a UNT segment" in problem.msg) == ("UNT", True)


@pytest.mark.parametrize(
    ("sample", "where", "why"),
    [
        ("cuscar-d95b-sample.edi", "UNH/S009/0052", "directory D.95B is older than D.96B"),
        ("ts-edifact-cuscar-d99b.edi", "segment 2 BGM/C002/1001", "document name code '101' is not 85 (cargo report)"),
    ],
)
def test_each_cuscar_sample_sent_as_a_manifest_is_refused_with_its_reason(sample: str, where: str, why: str) -> None:
    with pytest.raises(MessageRefused) as refused:
        cuscar.parse_cuscar((EDIFACT / sample).read_bytes())
    problem = refused.value.problems[0]
    assert problem.where == where
    assert why in problem.msg


def test_a_cusdec_of_an_older_directory_is_refused() -> None:
    text = (EDIFACT / "cuscar-d95b-sample.edi").read_text().replace("CUSCAR:D:95B", "CUSDEC:D:95B")
    with pytest.raises(MessageRefused, match=r"older than D\.96B"):
        edifact.parse_cusdec(text)


@pytest.mark.parametrize(
    ("content_type", "foreign"),
    [
        ("application/EDIFACT", True),
        ("application/edifact", True),
        ("text/xml; charset=utf-8", True),
        ("application/json", False),
        ("", False),
    ],
)
def test_which_content_types_are_decoded_before_the_api(content_type: str, foreign: bool) -> None:
    assert inbound.is_foreign_format(content_type) is foreign
