"""The harmonization figures the README and docs/catalogue.md quote are the ones the catalogue computes."""

from pathlib import Path

import pytest

from singlewindow import app
from singlewindow.catalogue import service
from singlewindow.catalogue.commands import harmonization_lines

COMPOSITION_ROOT = app
"""Importing it registers every document type's canonical model, as the CLI does."""

ROOT = Path(__file__).resolve().parents[3]
PROMPT = "$ singlewindow catalogue harmonization\n"


def quoted(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    assert PROMPT in text, f"{page.name} no longer quotes the report"
    return text.split(PROMPT, 1)[1].split("```", 1)[0].rstrip("\n").splitlines()


@pytest.mark.parametrize("page", ["README.md", "docs/catalogue.md"])
def test_the_quoted_report_is_the_computed_one(page: str) -> None:
    assert quoted(ROOT / page) == harmonization_lines(service.harmonization_report())
