"""Which decoder a submission's Content-Type calls for; JSON is left to the API as it always was."""

from lxml import etree

from singlewindow.formats import edifact, wco, xml
from singlewindow.formats.errors import refuse
from singlewindow.formats.parsed import Parsed

EDIFACT_TYPES = frozenset({"application/edifact"})
XML_TYPES = frozenset({"application/xml", "text/xml"})
CONTENT_TYPES = {
    edifact.CONTENT_TYPE: "a UN/EDIFACT CUSDEC interchange (D.96B or later)",
    xml.CONTENT_TYPE: f"a {xml.NAMESPACE} CargoDeclaration or a WCO DM 3.x {wco.NAMESPACE} Declaration",
}


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_foreign_format(content_type: str) -> bool:
    return media_type(content_type) in EDIFACT_TYPES | XML_TYPES


def decode_declaration(content_type: str, body: bytes) -> Parsed:
    """The canonical declaration in an EDIFACT or XML body (XML by its root namespace)."""
    kind = media_type(content_type)
    if kind in EDIFACT_TYPES:
        return edifact.parse_cusdec(body)
    if kind not in XML_TYPES:
        raise refuse("Content-Type", f"{content_type!r} is not a declaration format this platform reads")
    root = xml.parse_document(body)
    namespace = etree.QName(root).namespace
    if namespace == wco.NAMESPACE:
        return wco.parse_declaration(body)
    if namespace == xml.NAMESPACE:
        return xml.parse_declaration(body)
    raise refuse("/", f"XML in namespace {namespace!r}; expected {xml.NAMESPACE} or {wco.NAMESPACE}")
