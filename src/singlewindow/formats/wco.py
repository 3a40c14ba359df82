"""WCO Data Model 3.x goods declarations (``urn:wco:datamodel:WCO:DEC-DMS:2``) onto the canonical declaration.

The XPaths live in ``data/wco-dec-dms.json``, keyed by the data element each one fills: the WCO
DM id the catalogue records for it (``D026``, ``159``), or the catalogue id (``SW0007``) of an
element with no WCO id. The canonical field is the one the model declares for that element, so
the catalogue, not this module, says where a WCO id lands. Values a foreign declaration carries
in its own national lists (a UK procedure code where a Chinese trade mode is due) come through
unchanged and are refused by the same catalogue validation as JSON, the error naming the XPath
they came from.
"""

import json
import re
import types
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Annotated, Any, Union, get_args, get_origin

from lxml import etree
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from singlewindow.catalogue import document_types
from singlewindow.catalogue import elements as catalogue
from singlewindow.catalogue.elements import Element
from singlewindow.formats.errors import refuse
from singlewindow.formats.parsed import Parsed
from singlewindow.formats.xml import parse_document

NAMESPACE = "urn:wco:datamodel:WCO:DEC-DMS:2"
_CATALOGUE_ID = re.compile(r"^SW\d{4}$")
GROUPS = ("containers", "documents", "goods")
"""The repeating groups of the mapping data, each with a ``context`` XPath and its ``fields``."""
CHARGES = ("freight", "insurance")
"""The single charges of the mapping data, each with a ``context`` XPath and its ``fields``."""


class MappingError(LookupError):
    """The mapping data names an element the catalogue or the canonical model does not have."""


@dataclass(frozen=True, slots=True)
class Target:
    """One mapped value: the canonical field an XPath fills, and the catalogue element behind it."""

    field: str
    element: str
    wco_id: str | None
    xpath: str


@cache
def mapping() -> dict[str, Any]:
    text = files("singlewindow.formats").joinpath("data/wco-dec-dms.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def _element_of(info: FieldInfo) -> str | None:
    markers = list(info.metadata)
    for arg in get_args(info.annotation):
        if get_origin(arg) is Annotated:
            markers += arg.__metadata__
    return next((m.id for m in markers if isinstance(m, Element)), None)


def _model_of(model: type[BaseModel], name: str) -> type[BaseModel]:
    """The model of a nested field (``TradeParty``, or ``GoodsItem`` of ``list[GoodsItem]``)."""
    annotation = model.model_fields[name].annotation
    while get_origin(annotation) in (list, Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        raise MappingError(f"{model.__name__}.{name} is not a nested model")
    return annotation


def _resolve(section: str, keyed: dict[str, str], model: type[BaseModel]) -> list[Target]:
    """Each key of ``keyed`` (a WCO id or a catalogue id) as the field of ``model`` its XPath fills."""
    known = catalogue.elements()
    by_wco: dict[str, list[str]] = {}
    for element in known.values():
        if element.wco_id:
            by_wco.setdefault(element.wco_id, []).append(element.id)
    fields = {_element_of(info): name for name, info in model.model_fields.items()}
    resolved = []
    for key, xpath in keyed.items():
        if _CATALOGUE_ID.match(key):
            if key not in known:
                raise MappingError(f"{section}: {key} is not a catalogue data element")
            if known[key].wco_id:
                raise MappingError(f"{section}: {key} records WCO id {known[key].wco_id}; key its XPath by that id")
            element_id = key
        else:
            found = by_wco.get(key, [])
            if len(found) != 1:
                why = "no catalogue element records" if not found else f"{', '.join(found)} all record"
                raise MappingError(f"{section}: {why} WCO id {key}")
            element_id = found[0]
        if element_id not in fields:
            raise MappingError(f"{section}: {model.__name__} has no field for element {element_id} ({key})")
        resolved.append(Target(fields[element_id], element_id, known[element_id].wco_id, xpath))
    return resolved


def targets(kind: str) -> dict[str, list[Target]]:
    """What each XPath fills in an ``import`` or ``export`` declaration, by section, as the catalogue now says."""
    table = mapping()
    declaration = document_types.model("cargo_declaration")
    header = {**table["header"], **table["header_by_kind"][kind]}
    found = {
        "header": _resolve("header", header, declaration),
        "party": _resolve("party", table["party"], _model_of(declaration, "consignor")),
    }
    for section in (*GROUPS, *CHARGES):
        part = table["charges"][section] if section in CHARGES else table[section]
        found[section] = _resolve(section, part["fields"], _model_of(declaration, section))
    return found


def _value(context: etree._Element, xpath: str) -> tuple[str, str] | None:
    """The text at ``xpath`` and a readable absolute path to it, or None when absent."""
    found = context.xpath(xpath, namespaces={"d": NAMESPACE})
    if not isinstance(found, list) or not found:
        return None
    first = found[0]
    base = _where(context)
    if isinstance(first, etree._Element):
        return (first.text or "").strip(), _where(first)
    return str(first).strip(), f"{base}/{xpath.replace('d:', '')}"


def _where(element: etree._Element) -> str:
    steps = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        name = etree.QName(node).localname
        siblings = [] if parent is None else [c for c in parent if c.tag == node.tag]
        steps.append(f"{name}[{siblings.index(node) + 1}]" if len(siblings) > 1 else name)
        node = parent
    return "/" + "/".join(reversed(steps))


def _fields(context: etree._Element, fields: list[Target], at: tuple[str | int, ...], parsed: Parsed) -> None:
    for target in fields:
        found = _value(context, target.xpath)
        if found is not None:
            parsed.put((*at, target.field), found[0], found[1])


def _one(root: etree._Element, xpath: str, fields: list[Target], name: str, parsed: Parsed) -> None:
    """The first element at ``xpath``, if there is one, as the object ``name`` (a party, a charge)."""
    found = root.xpath(xpath, namespaces={"d": NAMESPACE})
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        parsed.put((name,), {}, _where(found[0]))
        _fields(found[0], fields, (name,), parsed)


def parse_declaration(data: bytes) -> Parsed:
    """The canonical declaration carried by a WCO DM ``Declaration``; refuses what is not one."""
    root = parse_document(data)
    if root.tag != f"{{{NAMESPACE}}}Declaration":
        raise refuse(_where(root), f"expected a Declaration in namespace {NAMESPACE}")
    table = mapping()
    parsed = Parsed({}, {"$": "/Declaration"})
    type_code = _value(root, table["type_code"]["xpath"])
    if type_code is None:
        raise refuse("/Declaration/TypeCode", "missing: it says whether this is an import (IM…) or export (EX…)")
    kind = table["type_code"]["prefixes"].get(type_code[0][:2])
    if kind is None:
        raise refuse(type_code[1], f"{type_code[0]!r} is neither an import (IM…) nor an export (EX…) declaration")
    parsed.put(("type",), kind, type_code[1])
    mapped = targets(kind)
    _fields(root, mapped["header"], (), parsed)
    for party, xpath in table["parties"][kind].items():
        _one(root, xpath, mapped["party"], party, parsed)
    for group in GROUPS:
        elements = root.xpath(table[group]["context"], namespaces={"d": NAMESPACE})
        parsed.put((group,), [], "/Declaration/" + table[group]["context"].replace("d:", ""))
        for i, element in enumerate(elements if isinstance(elements, list) else []):
            if isinstance(element, etree._Element):
                parsed.put((group, i), {}, _where(element))
                _fields(element, mapped[group], (group, i), parsed)
    for charge in CHARGES:
        _one(root, table["charges"][charge]["context"], mapped[charge], charge, parsed)
    for group in ("containers", "documents"):
        if not parsed.document[group]:
            parsed.document.pop(group)
    return parsed
