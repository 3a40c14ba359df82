"""Real third-party interchanges (tests/data/README.md): refused precisely, never a crash."""

from pathlib import Path

import pytest

from singlewindow.formats import edifact, inbound
from singlewindow.formats.errors import MessageRefused

EDIFACT = Path(__file__).resolve().parents[2] / "data" / "edifact"


@pytest.mark.parametrize(
    ("sample", "where", "why"),
    [
        ("abm-cusdec-d96b-excerpt.edi", "UNT", "not closed by a UNT segment"),
        ("cuscar-d95b-sample.edi", "UNH/S009/0065", "message type is 'CUSCAR'"),
    ],
)
def test_each_sample_is_refused_with_its_reason(sample: str, where: str, why: str) -> None:
    with pytest.raises(MessageRefused) as refused:
        edifact.parse_cusdec((EDIFACT / sample).read_bytes())
    [problem] = refused.value.problems
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
