"""What each source's records look like: their fields as catalogue elements, and the facets filters test.

Declarations are described by the catalogue (every field of a document type carries a data
element). Credit records are this context's own small canonical document over identity's
credit levels, described the same way, so one projection and one set of filters serve both.
"""

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

from pydantic import TypeAdapter, ValidationError

from singlewindow.catalogue import service as catalogue
from singlewindow.catalogue.elements import element_type
from singlewindow.errors import NotFound
from singlewindow.identity.models import CreditLevel
from singlewindow.sharing.models import Source
from singlewindow.sharing.projection import values_at

CREDIT_DOCUMENT = "enterprise_credit"
"""The document type name of credit records (not a catalogue document type: identity owns the data)."""
CONTAINER_DOCUMENT = "container_event"
"""The document type name of container event records (logistics owns the data)."""
RISK_DOCUMENT = "risk_finding"
"""The document type name of risk finding records (declarations' agency decisions)."""
OWN_DOCUMENTS = MappingProxyType(
    {
        CREDIT_DOCUMENT: (("uscc", "SW0006"), ("name", "SW0003"), ("credit_level", "SW0054")),
        CONTAINER_DOCUMENT: (
            ("container", "SW0015"),
            ("event", "SW0079"),
            ("occurred_at", "SW0080"),
            ("location", "SW0034"),
            ("bill_of_lading", "SW0014"),
            ("imo_number", "SW0030"),
            ("voyage_number", "SW0031"),
        ),
        RISK_DOCUMENT: (
            ("uscc", "SW0006"),
            ("name", "SW0003"),
            ("agency", "SW0081"),
            ("finding", "SW0082"),
            ("detail", "SW0083"),
            ("decided_at", "SW0080"),
        ),
    }
)
"""The documents this context writes itself over other contexts' events, described by catalogue elements."""
SOURCE_DOCUMENT = MappingProxyType(
    {
        Source.ENTERPRISE_CREDIT: CREDIT_DOCUMENT,
        Source.CONTAINER_EVENTS: CONTAINER_DOCUMENT,
        Source.RISK_FINDINGS: RISK_DOCUMENT,
    }
)
"""The one document type of each source that is not declarations."""
RISK_FINDINGS = ("inspect", "reject", "inspection_passed", "inspection_failed")
"""Agency decisions shared as risk findings (a release without inspection says nothing about risk)."""
FACET_ELEMENTS = MappingProxyType(
    {
        "declaration_type": ("SW0001",),
        "trade_mode": ("SW0007",),
        "port": ("SW0009", "SW0010", "SW0034"),
        "credit_level": ("SW0054",),
        "enterprise": ("SW0006",),
        "event": ("SW0079",),
        "agency": ("SW0081",),
        "finding": ("SW0082",),
    }
)
"""Each filter tests the values of the fields carrying these elements (``port``: loading, discharge or call)."""
FILTERS = MappingProxyType(
    {
        Source.RELEASED_DECLARATIONS: ("document_type", "declaration_type", "trade_mode", "port"),
        Source.ENTERPRISE_CREDIT: ("credit_level", "enterprise"),
        Source.CONTAINER_EVENTS: ("event", "port"),
        Source.RISK_FINDINGS: ("finding", "enterprise"),
    }
)
_CHOICES = MappingProxyType(
    {
        "credit_level": tuple(CreditLevel),
        "event": ("container_discharged", "gate_in", "gate_out", "loaded", "departed", "vessel_berthed"),
        "finding": RISK_FINDINGS,
    }
)
"""Filters whose values are a closed set rather than a catalogue code list."""


def document_types_of(source: Source, document_types: list[str]) -> list[str]:
    """The document types a class of ``source`` carries: its declarations', or the source's own document."""
    own = SOURCE_DOCUMENT.get(source)
    return [own] if own else document_types


@cache
def field_map(document_type: str) -> tuple[tuple[str, str], ...]:
    """``(path, element)`` of every element-carrying field; the catalogue is package data, so cached per process."""
    if document_type in OWN_DOCUMENTS:
        return OWN_DOCUMENTS[document_type]
    return tuple((use.path, use.element) for use in catalogue.document_type(document_type).fields)


def known_document_type(code: str) -> bool:
    try:
        field_map(code)
    except NotFound:
        return False
    return True


def facets(document_type: str, document: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The ``(filter, value)`` pairs a record answers to."""
    found = {("document_type", document_type)}
    for name, elements in FACET_ELEMENTS.items():
        for path, element in field_map(document_type):
            if element in elements:
                found.update((name, str(v)) for v in values_at(document, path) if not isinstance(v, (dict, list)))
    return found


def filter_problem(name: str, value: str, document_types: list[str]) -> str | None:
    """Why ``value`` cannot be a filter on ``name``, judged by the catalogue element behind it."""
    if name == "document_type":
        return None if value in document_types else f"not one of the data class's document types {document_types}"
    if name in _CHOICES:
        return None if value in _CHOICES[name] else f"not one of {', '.join(_CHOICES[name])}"
    try:
        TypeAdapter(element_type(FACET_ELEMENTS[name][0])).validate_python(value)
    except ValidationError as exc:
        return str(exc.errors()[0]["msg"])
    return None


def passes(facets: set[tuple[str, str]], filters: Mapping[str, list[str]]) -> bool:
    """A record passes a grant's filters when, for every filter, one of its values is among the allowed."""
    return all(any((name, value) in facets for value in allowed) for name, allowed in filters.items())
