"""WCO Data Model 3.x goods declarations (``urn:wco:datamodel:WCO:DEC-DMS:2``) onto the canonical declaration.

The XPaths live in ``data/wco-dec-dms.json``; this module only walks them. Values a foreign
declaration carries in its own national lists (a UK procedure code where a Chinese trade mode
is due) come through unchanged and are refused by the same catalogue validation as JSON, the
error naming the XPath they came from.
"""

import json
from functools import cache
from importlib.resources import files
from typing import Any

from lxml import etree

from singlewindow.formats.errors import refuse
from singlewindow.formats.parsed import Parsed
from singlewindow.formats.xml import parse_document

NAMESPACE = "urn:wco:datamodel:WCO:DEC-DMS:2"


@cache
def mapping() -> dict[str, Any]:
    text = files("singlewindow.formats").joinpath("data/wco-dec-dms.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


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


def _fields(context: etree._Element, fields: dict[str, str], at: tuple[str | int, ...], parsed: Parsed) -> None:
    for name, xpath in fields.items():
        found = _value(context, xpath)
        if found is not None:
            parsed.put((*at, name), found[0], found[1])


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
    _fields(root, table["header"], (), parsed)
    _fields(root, {"country": table["country"][kind]}, (), parsed)
    for party, xpath in table["parties"][kind].items():
        found = root.xpath(xpath, namespaces={"d": NAMESPACE})
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            parsed.put((party,), {}, _where(found[0]))
            _fields(found[0], table["party"], (party,), parsed)
    for group in ("containers", "goods"):
        elements = root.xpath(table[group]["context"], namespaces={"d": NAMESPACE})
        parsed.put((group,), [], "/Declaration/" + table[group]["context"].replace("d:", ""))
        for i, element in enumerate(elements if isinstance(elements, list) else []):
            if isinstance(element, etree._Element):
                parsed.put((group, i), {}, _where(element))
                _fields(element, table[group]["fields"], (group, i), parsed)
    if not parsed.document["containers"]:
        parsed.document.pop("containers")
    return parsed
