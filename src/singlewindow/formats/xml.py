"""The project's own XML for a cargo declaration, validated against the shipped XSD.

Every element is named after the canonical JSON field it carries, so the mapping is the
identity; lists are wrapped (``containers/container``, ``goods/item``). Parsing refuses
DTDs and never expands entities or reaches the network.
"""

from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import Any, cast

from lxml import etree

from singlewindow.formats.errors import MessageRefused, Problem, refuse
from singlewindow.formats.parsed import Parsed

CONTENT_TYPE = "application/xml"
NAMESPACE = "urn:singlewindow:cargo-declaration:1"
_NS = f"{{{NAMESPACE}}}"
_NSMAP: Any = {None: NAMESPACE}
"""None is lxml's key for the default namespace (lxml-stubs types the keys as str only)."""
_LISTS = {"containers": "container", "documents": "document", "goods": "item"}
_ENVELOPE_ORDER = ("message_id", "kind", "subject_id", "revision", "document_type", "routing_rule", "reason")
_MAX_BYTES = 5_000_000


def safe_parser() -> etree.XMLParser:
    """No entity expansion, no DTD loading, no network, no huge trees: an XML bomb is just refused."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def parse_document(data: bytes, max_bytes: int = _MAX_BYTES) -> etree._Element:
    """The root element of untrusted XML, or a refusal that says what was wrong with it."""
    if len(data) > max_bytes:
        raise refuse("/", f"the document is larger than {max_bytes} bytes")
    try:
        tree = etree.fromstring(data, parser=safe_parser()).getroottree()
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise refuse("/", f"not well-formed XML: {exc}") from None
    info = tree.docinfo
    if info.internalDTD is not None or info.system_url or info.public_id:
        raise refuse("/", "a DOCTYPE is not accepted (entity declarations are refused)")
    return tree.getroot()


@cache
def schema() -> etree.XMLSchema:
    text = files("singlewindow.formats").joinpath("data/cargo-declaration.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text, parser=safe_parser()))


def check_schema(root: etree._Element) -> None:
    """Validate against the XSD, each error named by the XPath of the element that failed."""
    xsd = schema()
    if xsd.validate(root):
        return
    log = cast("Iterable[etree._LogEntry]", xsd.error_log)  # lxml-stubs lacks _ErrorLog.__iter__
    problems = [Problem(readable_path(root, e.path), e.message, type="xsd") for e in log]
    raise MessageRefused(problems)


def readable_path(root: etree._Element, path: str | None) -> str:
    """libxml2 reports ``/*/*[3]``; say ``/CargoDeclaration/consignor`` instead."""
    found = root.getroottree().xpath(path) if path else []
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return path or "/"
    steps = []
    element: etree._Element | None = found[0]
    while element is not None:
        name = etree.QName(element).localname
        parent = element.getparent()
        same = [] if parent is None else [c for c in parent if isinstance(c.tag, str) and c.tag == element.tag]
        steps.append(f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name)
        element = parent
    return "/" + "/".join(reversed(steps))


def _append(parent: etree._Element, name: str, value: Any) -> None:
    if value is None:
        return
    child = etree.SubElement(parent, _NS + name)
    if isinstance(value, dict):
        _fill(child, value, _TYPE_OF.get(name, "CargoDeclarationType"))
    elif isinstance(value, list):
        for entry in value:
            _append(child, _LISTS[name], entry)
    else:
        child.text = str(value)


_XS = "{http://www.w3.org/2001/XMLSchema}"
_TYPE_OF = {"consignor": "Party", "consignee": "Party", "container": "Container", "item": "GoodsItem"}
_TYPE_OF |= {"document": "AttachedDocument", "freight": "Charge", "insurance": "Charge"}
_TYPE_OF |= {"declarant": "Declarant", "declaration": "CargoDeclarationType"}


@cache
def _sequences() -> dict[str, list[str]]:
    """Child order per complex type, read from the XSD so that the schema alone decides it."""
    root = etree.fromstring(files("singlewindow.formats").joinpath("data/cargo-declaration.xsd").read_bytes())
    order: dict[str, list[str]] = {}
    for complex_type in root.iter(_XS + "complexType"):
        name = complex_type.get("name")
        if name:
            sequence = complex_type.find(_XS + "sequence")
            order[name] = [e.get("name", "") for e in (sequence if sequence is not None else [])]
    return order


def _fill(parent: etree._Element, record: dict[str, Any], type_name: str = "CargoDeclarationType") -> None:
    order = {name: i for i, name in enumerate(_sequences()[type_name])}
    for name in sorted(record, key=lambda n: order.get(n, len(order))):
        _append(parent, name, record[name])


def _serialize(root: etree._Element) -> bytes:
    check_schema(root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def build_declaration(document: dict[str, Any]) -> bytes:
    root = etree.Element(_NS + "CargoDeclaration", nsmap=_NSMAP)
    _fill(root, document)
    return _serialize(root)


def build_message(envelope: dict[str, Any]) -> bytes:
    """An outbound message (the exchange's JSON envelope) as XML, the declaration inside it."""
    root = etree.Element(_NS + "Message", nsmap=_NSMAP)
    payload = envelope.get("payload", {})
    merged = {**envelope, **{k: v for k, v in payload.items() if k in {"document_type", "routing_rule", "reason"}}}
    for name in _ENVELOPE_ORDER:
        _append(root, name, merged.get(name))
    if payload.get("declarant"):
        _append(root, "declarant", {k: v for k, v in payload["declarant"].items() if v is not None})
    if payload.get("declaration"):
        declaration = etree.SubElement(root, _NS + "declaration")
        _fill(declaration, payload["declaration"])
    return _serialize(root)


def _read(element: etree._Element, path: tuple[str | int, ...], xpath: str, parsed: Parsed) -> None:
    """Children into the document, each value remembering its XPath (``/CargoDeclaration/goods/item[2]``)."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        here = f"{xpath}/{name}"
        if name in _LISTS:
            parsed.put((*path, name), [], here)
            entries = [c for c in child if isinstance(c.tag, str)]
            for i, entry in enumerate(entries):
                entry_path = f"{here}/{etree.QName(entry).localname}[{i + 1}]"
                parsed.put((*path, name, i), {}, entry_path)
                _read(entry, (*path, name, i), entry_path, parsed)
        elif len(child):
            parsed.put((*path, name), {}, here)
            _read(child, (*path, name), here, parsed)
        else:
            parsed.put((*path, name), child.text or "", here)


def parse_declaration(data: bytes) -> Parsed:
    """The canonical declaration in a ``CargoDeclaration`` document of this project's namespace."""
    root = parse_document(data)
    if root.tag != _NS + "CargoDeclaration":
        raise refuse("/" + str(etree.QName(root).localname), f"expected {{{NAMESPACE}}}CargoDeclaration")
    check_schema(root)
    parsed = Parsed({}, {"$": "/CargoDeclaration"})
    _read(root, (), "/CargoDeclaration", parsed)
    return parsed
