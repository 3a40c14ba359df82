"""Catalogue use cases for the API and the CLI: listings, search, reports. The catalogue is package data."""

import json
from functools import cache
from typing import Any

from singlewindow.catalogue import document_types, transfer
from singlewindow.catalogue.agency_requirements import agency_format, requirements
from singlewindow.catalogue.code_lists import CodeList, code_lists
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


def code_list(name: str, query: str | None, limit: int) -> CodeListEntries:
    try:
        found = code_lists().get(name)
    except KeyError as exc:
        raise CodeListNotFound(str(exc.args[0])) from None
    entries = found.search(query, limit) if query else [e for _, e in zip(range(limit), found, strict=False)]
    return CodeListEntries(
        **_summary(found).model_dump(),
        entries=[CodeOut(code=e.code, name_en=e.name_en, name_zh=e.name_zh) for e in entries],
    )


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
