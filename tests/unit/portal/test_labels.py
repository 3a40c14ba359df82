"""Codes that come from data, not from msgids, still read as words in both languages.

Babel's extraction only finds strings written in the code; an agency code or a document kind
that the macros do not know falls through as the raw code, in any language. These tests list
every code the platform can show and fail on the first that comes out untranslated.
"""

import json
import re
from importlib.resources import files

import pytest

import singlewindow.declarations.schemas  # noqa: F401  (registers the cargo declaration's model)
from singlewindow.catalogue import document_types
from singlewindow.catalogue.agency_requirements import requirements
from singlewindow.catalogue.code_lists import code_lists
from singlewindow.catalogue.elements import elements
from singlewindow.payments.bank import SENDER as SIMULATED_BANK
from singlewindow.payments.service import TREASURY
from singlewindow.portal.web import environment
from singlewindow.simulators.service import SYSTEMS

HAN = re.compile(r"[\u3400-\u9fff]")
LOGISTICS_SOURCES = ("carrier", "declarant", "platform", "terminal")
"""Who a container's timeline entries come from besides agencies (logistics.timeline.Happening.source)."""


def _routed_agencies() -> set[str]:
    rules = json.loads(files("singlewindow.routing").joinpath("default_rules.json").read_text(encoding="utf-8"))
    return {rule["agency"] for rule in rules["rules"]}


AGENCIES = sorted(
    set(SYSTEMS)
    | _routed_agencies()
    | {a for by_agency in requirements().values() for a in by_agency}
    | {TREASURY, SIMULATED_BANK, *LOGISTICS_SOURCES}
)


def _kinds() -> list[tuple[str, str]]:
    """Every (document type, kind) a declaration can carry (``declarations.documents.accept``)."""
    found = [("cargo_declaration", "import"), ("cargo_declaration", "export")]
    for code, t in document_types.document_types().items():
        field = t.spec.get("kind_field")
        if field:
            element = elements()[t.spec["fields"][field]["element"]]
            assert element.code_list, f"{code}'s kind field {field} must draw from a code list"
            found += [(code, entry.code) for entry in code_lists().get(element.code_list)]
        elif "kind" in t.spec:
            found.append((code, t.spec["kind"]))
    return found


def _render(language: str, source: str, **values: str) -> str:
    return environment(language).from_string(source).render(**values).strip()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("code", AGENCIES)
def test_every_counterparty_has_a_name_in_both_languages(language: str, code: str) -> None:
    shown = _render(language, '{% from "macros.html" import agency_label %}{{ agency_label(code) }}', code=code)
    assert shown not in {"", code}, f"agency_label({code!r}) is untranslated in {language}"
    assert bool(HAN.search(shown)) is (language == "zh_CN"), shown


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize(("document_type", "kind"), _kinds())
def test_every_document_kind_has_a_name_in_both_languages(language: str, document_type: str, kind: str) -> None:
    shown = _render(
        language,
        '{% from "macros.html" import type_label %}{{ type_label(kind, document_type) }}',
        kind=kind,
        document_type=document_type,
    )
    assert shown not in {"", kind}, f"type_label({kind!r}, {document_type!r}) is untranslated in {language}"
    assert bool(HAN.search(shown)) is (language == "zh_CN"), shown
