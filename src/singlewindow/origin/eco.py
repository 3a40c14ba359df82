"""The e-CO XML (``data/e-co.xsd``): render a signed certificate, and read one back.

Element names follow the RCEP Certificate of Origin boxes (docs/origin.md has the mapping).
Reading refuses DTDs and entities, validates against the XSD, and rebuilds exactly the
content that was signed, so the receiver checks the signature without canonicalising XML.
"""

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any, cast

from lxml import etree
from pydantic import ValidationError

from singlewindow.formats.errors import MessageRefused
from singlewindow.formats.xml import parse_document, safe_parser
from singlewindow.origin.errors import xml_refused
from singlewindow.origin.schemas import CertificateContent, Party

NAMESPACE = "urn:singlewindow:e-co:1"
CONTENT_TYPE = "application/xml"
_NS = f"{{{NAMESPACE}}}"
_NSMAP: Any = {None: NAMESPACE}
_MAX_BYTES = 2_000_000


@cache
def schema() -> etree.XMLSchema:
    text = files("singlewindow.origin").joinpath("data/e-co.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text, parser=safe_parser()))


def _sub(parent: etree._Element, name: str, text: object | None = None) -> etree._Element:
    child = etree.SubElement(parent, _NS + name)
    if text is not None:
        child.text = str(text)
    return child


def _party(parent: etree._Element, name: str, party: Party) -> None:
    element = _sub(parent, name)
    _sub(element, "Name", party.name)
    if party.address:
        _sub(element, "Address", party.address)
    _sub(element, "Country", party.country)
    if party.identifier:
        _sub(element, "Identifier", party.identifier)


def _when(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def render(content: CertificateContent, signature: str, key_id: str) -> bytes:
    root = etree.Element(_NS + "ElectronicCertificateOfOrigin", nsmap=_NSMAP)
    _sub(root, "CertificateNumber", content.number)
    _sub(root, "IssueDateTime", _when(content.issued_at))
    _sub(root, "ValidUntil", _when(content.valid_until))
    issuer = _sub(root, "IssuingAuthority")
    for name, value in (
        ("Country", content.issuer.country),
        ("Code", content.issuer.code),
        ("Name", content.issuer.name),
    ):
        _sub(issuer, name, value)
    if content.agreement:
        _sub(root, "Agreement", content.agreement)
    _sub(root, "ExportingCountry", content.exporting_country)
    _sub(root, "ImportingCountry", content.importing_country)
    _party(root, "Exporter", content.exporter)
    if content.producer:
        _party(root, "Producer", content.producer)
    _party(root, "Consignee", content.consignee)
    transport = _sub(root, "Transport")
    _sub(transport, "ModeCode", content.transport.mode)
    _sub(transport, "PortOfLoading", content.transport.port_of_loading)
    _sub(transport, "PortOfDischarge", content.transport.port_of_discharge)
    invoice = _sub(root, "Invoice")
    _sub(invoice, "Number", content.invoice.number)
    _sub(invoice, "Date", content.invoice.date)
    goods = _sub(root, "Goods")
    for item in content.goods:
        element = _sub(goods, "Item")
        _sub(element, "ItemNumber", item.seq)
        _sub(element, "HSCode", item.hs_code)
        _sub(element, "Description", item.description)
        _sub(element, "Quantity", item.quantity).set("unitCode", item.unit)
        _sub(element, "GrossWeightKg", item.gross_weight_kg)
        _sub(element, "Value", item.value)
        if item.origin_criterion:
            _sub(element, "OriginCriterion", item.origin_criterion)
    signed = _sub(root, "Signature", signature)
    signed.set("algorithm", "Ed25519")
    signed.set("keyId", key_id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def parse(data: bytes) -> etree._Element:
    """The platform's one safe XML parse, its refusal reported in the e-CO's own error shape."""
    try:
        return parse_document(data, max_bytes=_MAX_BYTES)
    except MessageRefused as exc:
        first = exc.problems[0]
        raise xml_refused(first.where, first.msg) from None


def validate(root: etree._Element) -> None:
    """Refuse what the XSD refuses, naming the first failing element by its path."""
    xsd = schema()
    if not xsd.validate(root):
        entry = next(iter(cast("Iterable[etree._LogEntry]", xsd.error_log)))
        raise xml_refused(_named(root, entry.path), entry.message)


def _named(root: etree._Element, path: str | None) -> str:
    """lxml's ``/*/*[12]/*[1]`` as ``/ElectronicCertificateOfOrigin/Goods/Item[1]/HSCode``."""
    found = root.getroottree().xpath(path) if path else []
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return path or "/"
    names = []
    element: etree._Element | None = found[0]
    while element is not None:
        name = etree.QName(element).localname
        parent = element.getparent()
        if parent is not None and len(parent.findall(element.tag)) > 1:
            name += f"[{parent.findall(element.tag).index(element) + 1}]"
        names.append(name)
        element = parent
    return "/" + "/".join(reversed(names))


def _text(element: etree._Element, path: str) -> str | None:
    found = element.find("e:" + path.replace("/", "/e:"), {"e": NAMESPACE})
    return found.text if found is not None else None


def _party_of(element: etree._Element, name: str) -> dict[str, Any]:
    return {
        "name": _text(element, f"{name}/Name"),
        "address": _text(element, f"{name}/Address"),
        "country": _text(element, f"{name}/Country"),
        "identifier": _text(element, f"{name}/Identifier"),
    }


def _item(element: etree._Element) -> dict[str, Any]:
    quantity = element.find("e:Quantity", {"e": NAMESPACE})
    return {
        "seq": int(_text(element, "ItemNumber") or 0),
        "hs_code": _text(element, "HSCode"),
        "description": _text(element, "Description"),
        "quantity": quantity.text if quantity is not None else None,
        "unit": quantity.get("unitCode") if quantity is not None else None,
        "gross_weight_kg": _text(element, "GrossWeightKg"),
        "value": _text(element, "Value"),
        "origin_criterion": _text(element, "OriginCriterion"),
    }


def read(data: bytes) -> tuple[CertificateContent, str, str]:
    """The signed content, the signature and its key id, from an e-CO that the XSD accepts."""
    root = parse(data)
    validate(root)
    signature = root.find("e:Signature", {"e": NAMESPACE})
    assert signature is not None, "the XSD requires Signature"
    document = {
        "number": _text(root, "CertificateNumber"),
        "issued_at": _text(root, "IssueDateTime"),
        "valid_until": _text(root, "ValidUntil"),
        "issuer": {
            "country": _text(root, "IssuingAuthority/Country"),
            "code": _text(root, "IssuingAuthority/Code"),
            "name": _text(root, "IssuingAuthority/Name"),
        },
        "agreement": _text(root, "Agreement"),
        "exporting_country": _text(root, "ExportingCountry"),
        "importing_country": _text(root, "ImportingCountry"),
        "exporter": _party_of(root, "Exporter"),
        "producer": _party_of(root, "Producer") if _text(root, "Producer/Name") is not None else None,
        "consignee": _party_of(root, "Consignee"),
        "transport": {
            "mode": _text(root, "Transport/ModeCode"),
            "port_of_loading": _text(root, "Transport/PortOfLoading"),
            "port_of_discharge": _text(root, "Transport/PortOfDischarge"),
        },
        "invoice": {"number": _text(root, "Invoice/Number"), "date": _text(root, "Invoice/Date")},
        "goods": [_item(item) for item in root.iterfind("e:Goods/e:Item", {"e": NAMESPACE})],
    }
    try:
        content = CertificateContent.model_validate(_without_none(document))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise xml_refused("/" + "/".join(str(p) for p in first["loc"]), first["msg"]) from None
    return content, signature.text or "", signature.get("keyId", "")


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value
