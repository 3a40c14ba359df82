"""Catalogue use cases for the API and the CLI: listings, search, reports. The catalogue is package data."""

import itertools
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from singlewindow.catalogue import document_types, transfer
from singlewindow.catalogue.agency_requirements import agency_format, requirements
from singlewindow.catalogue.code_lists import CodeEntry, CodeList, code_lists
from singlewindow.catalogue.elements import CATALOGUE_VERSION, elements
from singlewindow.catalogue.harmonization import harmonization
from singlewindow.catalogue.schemas import (
    AgencyRequirementOut,
    CodeListEntries,
    CodeListOut,
    CodeOut,
    DocumentTypeOut,
    DocumentTypeSummary,
    ElementOut,
    FieldUseOut,
    HarmonizationReport,
    HarmonizationRow,
)
from singlewindow.errors import NotFound


class CodeListNotFound(NotFound):
    title = "Code list not found"


def list_elements(query: str | None = None) -> list[ElementOut]:
    """Searchable in both languages: ``q`` matches id, English or Chinese name, or WCO id."""
    needle = (query or "").strip().casefold()
    found = []
    for element in elements().values():
        haystack = f"{element.id} {element.name_en} {element.name_zh} {element.wco_id or ''}".casefold()
        if needle in haystack:
            found.append(ElementOut.model_validate(element, from_attributes=True))
    return found


def _summary(code_list: CodeList) -> CodeListOut:
    return CodeListOut(name=code_list.name, version=code_list.version, source=code_list.source, size=len(code_list))


def list_code_lists() -> list[CodeListOut]:
    lists = code_lists()
    return [_summary(lists.get(name)) for name in lists.names()]


_HAN = re.compile(r"[\u3400-\u9fff]")
PLACES = "locode"
"""UN/LOCODE names places in Latin script: Chinese place names are romanised (pinyin) to search it."""


def _get(name: str) -> CodeList:
    try:
        return code_lists().get(name)
    except KeyError as exc:
        raise CodeListNotFound(str(exc.args[0])) from None


def search_codes(name: str, text: str, limit: int = 20) -> list[CodeEntry]:
    """Search in either language, also where the list itself has no Chinese names.

    Lists with Chinese names (countries, currencies, Incoterms, trade modes...) match them
    directly. UN/LOCODE has none, so Chinese text is also searched as pinyin ("上海" finds
    "Shanghai", "宁波" "Ningbo") and a Chinese country name lists that country's places
    ("德国" finds the places in DE). HS and the UN/ECE units and package types are published
    in English only: Chinese text finds nothing there but codes.
    """
    found = _get(name)
    entries = found.search(text, limit)
    if name != PLACES or len(entries) >= limit or not _HAN.search(text):
        return entries
    seen = {e.code for e in entries}
    for extra in itertools.chain(_by_country(found, text, limit), _by_pinyin(found, text, limit)):
        if extra.code not in seen:
            seen.add(extra.code)
            entries.append(extra)
            if len(entries) == limit:
                break
    return entries


def _by_pinyin(places: CodeList, text: str, limit: int) -> list[CodeEntry]:
    """Places whose name has a word starting with the romanised text ("Ningbo", not "Dronningborg")."""
    from pypinyin import lazy_pinyin  # its dictionaries cost 0.3 s to load: only for a Chinese place search

    romanised = "".join(lazy_pinyin(text.strip())).casefold()
    word_start = re.compile(rf"(?<![a-z]){re.escape(romanised)}")
    found = places.search(romanised, limit * 4)
    return [e for e in found if word_start.search(e.name_en.casefold())][:limit]


def _by_country(places: CodeList, text: str, limit: int) -> list[CodeEntry]:
    needle = text.strip()
    countries = [e.code for e in code_lists().get("country") if e.name_zh and e.name_zh == needle]
    if not countries:
        return []
    prefix = countries[0]
    return list(itertools.islice((e for e in places if e.code.startswith(prefix)), limit))


@dataclass(frozen=True, slots=True)
class CodePage:
    """One page of a code list's entries, searched or in the list's order."""

    summary: CodeListOut
    entries: list[CodeEntry]
    has_more: bool


def code_page(name: str, query: str | None, *, offset: int, limit: int) -> CodePage:
    """For browsing: HS has 6,939 entries and UN/LOCODE 115,893, so a page at a time."""
    found = _get(name)
    if query and query.strip():
        window = search_codes(name, query, offset + limit + 1)[offset:]
    else:
        window = list(itertools.islice(found, offset, offset + limit + 1))
    return CodePage(_summary(found), window[:limit], len(window) > limit)


def code_list(name: str, query: str | None, limit: int) -> CodeListEntries:
    page = code_page(name, query, offset=0, limit=limit)
    return CodeListEntries(
        **page.summary.model_dump(),
        entries=[CodeOut(code=e.code, name_en=e.name_en, name_zh=e.name_zh) for e in page.entries],
    )


def find_document_types(query: str | None = None) -> list[DocumentTypeSummary]:
    """Searchable in both languages: ``q`` matches the code, the English or the Chinese name."""
    needle = (query or "").strip().casefold()
    return [t for t in list_document_types() if needle in f"{t.code} {t.name_en} {t.name_zh}".casefold()]


def list_document_types() -> list[DocumentTypeSummary]:
    return [DocumentTypeSummary(code=t.code, name_en=t.name_en, name_zh=t.name_zh) for t in _types()]


def _types() -> list[document_types.DocumentType]:
    return list(document_types.document_types().values())


def document_type(code: str) -> DocumentTypeOut:
    found = document_types.get(code)
    rules = requirements().get(code, {})
    return DocumentTypeOut(
        code=found.code,
        name_en=found.name_en,
        name_zh=found.name_zh,
        canonical_model=found.canonical,
        fields=[FieldUseOut(path=u.path, element=u.element, required=u.required) for u in document_types.fields(code)],
        conditions=found.conditions,
        agencies=[
            AgencyRequirementOut(agency=agency, format=agency_format(code, agency), rule=rule)
            for agency, rule in rules.items()
        ],
    )


def schema(code: str) -> dict[str, Any]:
    return document_types.json_schema(code)


def harmonization_report() -> HarmonizationReport:
    rows = harmonization()
    once = sum(r.entered_once for r in rows)
    separate = sum(r.separate_forms for r in rows)
    return HarmonizationReport(
        catalogue_version=CATALOGUE_VERSION,
        document_types=[HarmonizationRow.model_validate(r, from_attributes=True) for r in rows],
        entered_once=once,
        separate_forms=separate,
        reduction_percent=round(100 * (1 - once / separate), 1) if separate else 0.0,
    )


@cache
def export_catalogue() -> bytes:
    """The shipped catalogue as JSON, built once per process (it changes only with a release)."""
    return json.dumps(transfer.export_json(), ensure_ascii=False).encode()
