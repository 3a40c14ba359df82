"""Agency responses that arrive as UN/EDIFACT CUSRES or as WCO DM responses, as the exchange's envelope."""

import json
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from lxml import etree

from singlewindow.formats import edifact
from singlewindow.formats.errors import refuse
from singlewindow.formats.inbound import EDIFACT_TYPES, XML_TYPES, media_type
from singlewindow.formats.parsed import Parsed
from singlewindow.formats.xml import parse_document


@cache
def wco_mapping() -> dict[str, Any]:
    return dict(json.loads(files("singlewindow.formats").joinpath("data/wco-res-dms.json").read_text("utf-8")))


def _text(context: etree._Element, xpath: str, namespace: str) -> str | None:
    found = context.xpath(xpath, namespaces={"r": namespace})
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return (found[0].text or "").strip()
    return None


def _wco_time(raw: str) -> str:
    """formatCode 304: CCYYMMDDHHMMSS followed by Z or an offset."""
    try:
        if raw.endswith("Z"):
            return datetime.strptime(raw[:-1], "%Y%m%d%H%M%S").replace(tzinfo=UTC).isoformat()
        return datetime.strptime(raw, "%Y%m%d%H%M%S%z").isoformat()
    except ValueError:
        raise refuse("Response/IssueDateTime/DateTimeString", f"{raw!r} is not CCYYMMDDHHMMSSZ (304)") from None


def parse_wco_response(data: bytes) -> Parsed:
    table = wco_mapping()
    namespace = table["namespace"]
    root = parse_document(data)
    responses = root.xpath(table["response"], namespaces={"r": namespace})
    if not isinstance(responses, list) or not responses or not isinstance(responses[0], etree._Element):
        raise refuse("/", f"no Response element in namespace {namespace}")
    response = responses[0]
    parsed = Parsed({"kind": "decision", "payload": {}}, {"$": "Response"})
    for name in ("message_id", "subject_id", "revision"):
        value = _text(response, table[name], namespace)
        if value is not None:
            parsed.put((name,), int(value) if name == "revision" and value.isdigit() else value, "Response/" + name)
    issued = _text(response, table["issued_at"], namespace)
    if issued is not None:
        parsed.put(("issued_at",), _wco_time(issued), "Response/IssueDateTime/DateTimeString")
    code = _text(response, "r:FunctionCode", namespace) or ""
    decision = table["decisions"].get(code)
    if decision is None:
        raise refuse("Response/FunctionCode", f"{code!r} is not one of {sorted(table['decisions'])}")
    parsed.put(("payload", "decision"), decision, "Response/FunctionCode")
    reason = _text(response, table["reason"], namespace)
    if reason:
        parsed.put(("payload", "reason"), reason, "Response/Error/Description")
    return parsed


def decode_response(content_type: str, body: bytes) -> Parsed:
    kind = media_type(content_type)
    if kind in EDIFACT_TYPES:
        return edifact.parse_cusres(body)
    if kind in XML_TYPES:
        return parse_wco_response(body)
    raise refuse("Content-Type", f"{content_type!r}: send application/EDIFACT (CUSRES) or application/xml (WCO DM)")
