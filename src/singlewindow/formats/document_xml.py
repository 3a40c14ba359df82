"""The project's XML for every data-defined document type, each validated against an XSD the project ships.

The XSDs in ``data/xsd/`` are generated from the catalogue (``python -m
singlewindow.formats.document_xml`` writes them; a test fails when a shipped file differs from
what the catalogue gives). As in the cargo declaration's XSD, every element is optional so that
an agency's view validates too; lengths and numeric precision come from the data elements, and
the catalogue's own rules (mandatory fields, code lists, conditions) are checked after the schema.
Elements are named after the canonical JSON fields; a repeating group wraps one ``item`` per
entry, which may carry the ``seq`` number an agency's view keeps.
"""

import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, cast

from lxml import etree

from singlewindow.catalogue import document_types
from singlewindow.catalogue.elements import elements
from singlewindow.formats.errors import MessageRefused, Problem, refuse
from singlewindow.formats.parsed import Parsed
from singlewindow.formats.xml import parse_document, readable_path, safe_parser

CONTENT_TYPE = "application/xml"
_XS = "http://www.w3.org/2001/XMLSchema"
_ITEM = "item"
_REPRESENTATION = re.compile(r"^(?P<kind>a|an|n)(?:\.\.)?(?P<size>\d+)(?:,(?P<decimals>\d+))?$")
_ENVELOPE = (
    ("message_id", "text200"),
    ("kind", "code"),
    ("subject_id", "text200"),
    ("revision", "xs:positiveInteger"),
    ("document_type", "text200"),
    ("routing_rule", "text200"),
    ("reason", "xs:string"),
)


def namespace(code: str) -> str:
    return f"urn:singlewindow:{code.replace('_', '-')}:1"


def root_name(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("_"))


def data_defined() -> list[str]:
    """The document types whose XML this module serves (the cargo declaration has its own, formats.xml)."""
    return [code for code, t in document_types.document_types().items() if not t.canonical]


# The schema ---------------------------------------------------------------------------------------


def _simple_type(element_id: str) -> str:
    element = elements()[element_id]
    if element.representation == "date":
        return "xs:date"
    if element.representation == "datetime":
        return "xs:dateTime"
    if element.code_list or element.check:
        return "code"
    match = _REPRESENTATION.match(element.representation)
    if match is None:
        raise ValueError(f"element {element_id}: no XSD type for {element.representation!r}")
    if match["kind"] != "n":
        return f"text{match['size']}"
    if match["decimals"]:
        return f"decimal{match['size']}_{match['decimals']}"
    return "xs:nonNegativeInteger"


def _fields_of(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return document_types.group_fields(spec["group"]) if "group" in spec else dict(spec["fields"])


def _sequence(fields: dict[str, dict[str, Any]], owner: str, types: dict[str, str], *, seq: bool) -> str:
    lines = ['<xs:element name="seq" type="xs:positiveInteger" minOccurs="0"/>'] if seq else []
    for name, spec in fields.items():
        if "element" in spec:
            lines.append(f'<xs:element name="{name}" type="{_simple_type(spec["element"])}" minOccurs="0"/>')
            continue
        type_name = root_name(spec["group"]) if "group" in spec else owner + root_name(name)
        repeating = "min" in spec or "max" in spec
        _complex_type(type_name, _fields_of(spec), types, seq=repeating)
        if repeating:
            lines.append(
                f'<xs:element name="{name}" minOccurs="0"><xs:complexType><xs:sequence>'
                f'<xs:element name="{_ITEM}" type="{type_name}" minOccurs="0" maxOccurs="{spec.get("max", 9999)}"/>'
                "</xs:sequence></xs:complexType></xs:element>"
            )
        else:
            lines.append(f'<xs:element name="{name}" type="{type_name}" minOccurs="0"/>')
    return "\n      ".join(lines)


def _complex_type(name: str, fields: dict[str, dict[str, Any]], types: dict[str, str], *, seq: bool) -> None:
    if name in types:
        return
    types[name] = ""
    body = _sequence(fields, name, types, seq=seq)
    types[name] = (
        f'  <xs:complexType name="{name}">\n    <xs:sequence>\n      {body}\n    </xs:sequence>\n  </xs:complexType>'
    )


def _simple_types(text: str) -> list[str]:
    lines = [
        '  <xs:simpleType name="code"><xs:restriction base="xs:string">'
        '<xs:pattern value="[0-9A-Za-z]{1,20}"/></xs:restriction></xs:simpleType>'
    ]
    for size in sorted({int(s) for s in re.findall(r'"text(\d+)"', text)}):
        lines.append(
            f'  <xs:simpleType name="text{size}"><xs:restriction base="xs:string"><xs:minLength value="1"/>'
            f'<xs:maxLength value="{size}"/></xs:restriction></xs:simpleType>'
        )
    for digits, places in sorted({(int(d), int(p)) for d, p in re.findall(r'"decimal(\d+)_(\d+)"', text)}):
        lines.append(
            f'  <xs:simpleType name="decimal{digits}_{places}"><xs:restriction base="xs:decimal">'
            f'<xs:minInclusive value="0"/><xs:totalDigits value="{digits}"/>'
            f'<xs:fractionDigits value="{places}"/></xs:restriction></xs:simpleType>'
        )
    return lines


def xsd_text(code: str) -> str:
    """The XSD of one data-defined document type, from its catalogue definition."""
    document_type = document_types.get(code)
    name = root_name(code)
    types: dict[str, str] = {}
    _complex_type(name, dict(document_type.spec["fields"]), types, seq=False)
    optional = ' minOccurs="0"'
    envelope = "\n".join(
        f'        <xs:element name="{field}" type="{kind}"{"" if field in {"message_id", "kind"} else optional}/>'
        for field, kind in _ENVELOPE
    )
    complex_types = "\n\n".join(types.values())
    body = f"""{complex_types}

  <xs:complexType name="Declarant">
    <xs:sequence>
      <xs:element name="name" type="text200" minOccurs="0"/>
      <xs:element name="uscc" type="code" minOccurs="0"/>
      <xs:element name="customs_code" type="code" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <xs:element name="{name}" type="{name}"/>

  <xs:element name="Message">
    <xs:complexType>
      <xs:sequence>
{envelope}
        <xs:element name="declarant" type="Declarant" minOccurs="0"/>
        <xs:element name="declaration" type="{name}" minOccurs="0"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>"""
    simple = "\n".join(_simple_types(body + ' "text200"'))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!--
  {document_type.name_en} ({document_type.name_zh}) in the Single Window's own XML, and the message
  envelope agencies receive. Generated from the data element catalogue by
  singlewindow.formats.document_xml; do not edit by hand.
-->
<xs:schema xmlns:xs="{_XS}"
           xmlns="{namespace(code)}"
           targetNamespace="{namespace(code)}"
           elementFormDefault="qualified">

{simple}

{body}
</xs:schema>
"""


def _xsd_resource(code: str) -> str:
    return f"data/xsd/{code.replace('_', '-')}.xsd"


def schema_path(code: str) -> Path:
    return Path(str(files("singlewindow.formats").joinpath(_xsd_resource(code))))


@cache
def schema(code: str) -> etree.XMLSchema:
    text = files("singlewindow.formats").joinpath(_xsd_resource(code)).read_bytes()
    return etree.XMLSchema(etree.fromstring(text, parser=safe_parser()))


@dataclass(frozen=True, slots=True)
class _Child:
    name: str
    type: str | None
    """The complex type of the child (of each ``item`` for a list), None for a simple value."""
    repeating: bool


@cache
def _structure(code: str) -> dict[str, list[_Child]]:
    """Children per complex type, in order, read from the shipped XSD so that the schema alone decides it."""
    root = etree.fromstring(files("singlewindow.formats").joinpath(_xsd_resource(code)).read_bytes())
    structure: dict[str, list[_Child]] = {}
    for complex_type in root.findall(f"{{{_XS}}}complexType"):
        children = []
        for element in complex_type.iterfind(f"{{{_XS}}}sequence/{{{_XS}}}element"):
            item = element.find(f"{{{_XS}}}complexType/{{{_XS}}}sequence/{{{_XS}}}element")
            kind = (item if item is not None else element).get("type", "")
            children.append(_Child(element.get("name", ""), kind if kind in _named(root) else None, item is not None))
        structure[complex_type.get("name", "")] = children
    return structure


def _named(root: etree._Element) -> set[str]:
    return {t.get("name", "") for t in root.findall(f"{{{_XS}}}complexType")}


# Building and reading ---------------------------------------------------------------------------


def _fill(parent: etree._Element, ns: str, code: str, type_name: str, record: dict[str, Any]) -> None:
    """Children in the order of the type's XSD sequence; unknown names go last, for the schema to refuse."""
    children = {c.name: c for c in _structure(code)[type_name]}
    position = {name: i for i, name in enumerate(children)}
    for name in sorted(record, key=lambda n: position.get(n, len(position))):
        value, child = record[name], children.get(name)
        if value is None:
            continue
        element = etree.SubElement(parent, f"{{{ns}}}{name}")
        if isinstance(value, list):
            for entry in value:
                _value(etree.SubElement(element, f"{{{ns}}}{_ITEM}"), ns, code, child, entry)
        else:
            _value(element, ns, code, child, value)


def _value(element: etree._Element, ns: str, code: str, child: "_Child | None", value: Any) -> None:
    if isinstance(value, dict) and child is not None and child.type:
        _fill(element, ns, code, child.type, value)
    else:
        element.text = str(value)


def _code_of(ns: str) -> str:
    for code in data_defined():
        if namespace(code) == ns:
            return code
    raise refuse("/", f"XML in namespace {ns!r} is not a document type of this catalogue")


def check_schema(code: str, root: etree._Element) -> None:
    xsd = schema(code)
    if xsd.validate(root):
        return
    log = cast("list[etree._LogEntry]", list(xsd.error_log))  # type: ignore[call-overload]
    raise MessageRefused([Problem(readable_path(root, e.path), e.message, type="xsd") for e in log])


def _serialize(code: str, root: etree._Element) -> bytes:
    check_schema(code, root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def build_document(code: str, document: dict[str, Any]) -> bytes:
    ns = namespace(code)
    root = etree.Element(f"{{{ns}}}{root_name(code)}", nsmap={None: ns})  # type: ignore[dict-item]
    _fill(root, ns, code, root_name(code), document)
    return _serialize(code, root)


def build_message(code: str, envelope: dict[str, Any]) -> bytes:
    """An outbound message (the exchange's JSON envelope) as XML, the document inside it."""
    ns = namespace(code)
    root = etree.Element(f"{{{ns}}}Message", nsmap={None: ns})  # type: ignore[dict-item]
    payload = envelope.get("payload", {})
    merged = {**envelope, **{k: v for k, v in payload.items() if k in {"document_type", "routing_rule", "reason"}}}
    for name, _ in _ENVELOPE:
        if merged.get(name) is not None:
            etree.SubElement(root, f"{{{ns}}}{name}").text = str(merged[name])
    if payload.get("declarant"):
        declarant = etree.SubElement(root, f"{{{ns}}}declarant")
        _fill(declarant, ns, code, "Declarant", {k: v for k, v in payload["declarant"].items() if v is not None})
    if payload.get("declaration"):
        declaration = etree.SubElement(root, f"{{{ns}}}declaration")
        _fill(declaration, ns, code, root_name(code), payload["declaration"])
    return _serialize(code, root)


def _read(element: etree._Element, path: tuple[str | int, ...], xpath: str, parsed: Parsed) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        here = f"{xpath}/{name}"
        entries = [c for c in child if isinstance(c.tag, str)]
        if entries and all(etree.QName(c).localname == _ITEM for c in entries):
            parsed.put((*path, name), [], here)
            for i, entry in enumerate(entries):
                at = f"{here}/{_ITEM}[{i + 1}]"
                parsed.put((*path, name, i), {}, at)
                _read(entry, (*path, name, i), at, parsed)
        elif entries:
            parsed.put((*path, name), {}, here)
            _read(child, (*path, name), here, parsed)
        else:
            parsed.put((*path, name), child.text or "", here)


def parse(data: bytes) -> tuple[str, Parsed]:
    """The document type (by the root's namespace) and the canonical document an XML document carries."""
    root = parse_document(data)
    qname = etree.QName(root)
    code = _code_of(qname.namespace or "")
    if qname.localname != root_name(code):
        raise refuse(f"/{qname.localname}", f"expected {{{namespace(code)}}}{root_name(code)}")
    check_schema(code, root)
    parsed = Parsed({}, {"$": f"/{root_name(code)}"})
    _read(root, (), f"/{root_name(code)}", parsed)
    return code, parsed


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for code in data_defined():
        path = directory / Path(_xsd_resource(code)).name
        path.write_text(xsd_text(code), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(str(files("singlewindow.formats").joinpath("data/xsd")))
    for written in write_schemas(target):
        sys.stdout.write(f"wrote {written}\n")
