"""What an agency receives, rendered in the format its agency requirement row names.

The outbox keeps the canonical JSON envelope (hashed and archived as such); its payload carries
``document_type`` and ``format`` (``json``, ``xml`` or ``edifact``), copied from the catalogue's
agency requirement when the message was written. ``render`` turns that envelope into the bytes
and content type the agency's system takes: the envelope itself, the document type's XML
``Message`` (validated against the XSD the project ships for that type), or the UN/EDIFACT
message the document type names (CUSDEC for the cargo declaration, CUSCAR for the manifest).
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from singlewindow.catalogue import document_types
from singlewindow.formats import cuscar, document_xml, edifact, xml

JSON = "application/json"
FORMATS = ("json", "xml", "edifact")
DEFAULT_TYPE = "cargo_declaration"
SENDER = "SINGLEWINDOW"


class NoSuchForm(ValueError):
    """The message cannot be rendered in the format asked for (no EDIFACT message fits the type)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    content_type: str
    body: bytes


def formats_of(document_type: str) -> tuple[str, ...]:
    """The formats a document type can be delivered in: JSON and XML always, EDIFACT where a UN message fits."""
    return FORMATS if document_types.get(document_type).edifact_message else FORMATS[:2]


def render_xml(document_type: str, envelope: dict[str, Any]) -> bytes:
    if document_type == DEFAULT_TYPE:
        return xml.build_message(envelope)
    return document_xml.build_message(document_type, envelope)


def render_edifact(document_type: str, envelope: dict[str, Any], recipient: str, prepared: datetime) -> bytes:
    payload = envelope.get("payload", {})
    message = document_types.get(document_type).edifact_message
    subject_id, revision = envelope.get("subject_id"), envelope.get("revision") or 1
    subject = (str(subject_id), int(revision)) if subject_id else None
    control = str(envelope.get("message_id", "1")).replace("-", "")[-14:].upper()
    frame = edifact.Envelope(SENDER, recipient[:35], control, prepared)
    kind = str(envelope.get("kind", "declaration"))
    document = payload.get("declaration", {})
    if message == "CUSDEC":
        return edifact.build_cusdec(document, frame, kind=kind, subject=subject).encode()
    if message == "CUSCAR":
        return cuscar.build_cuscar(document, frame, kind=kind, subject=subject).encode()
    raise NoSuchForm(f"a {document_type} has no UN/EDIFACT form (see docs/formats.md)")


def render(body: bytes, content_type: str, recipient: str, prepared: datetime) -> Rendered:
    """The outbox ``body`` in the format its payload names; anything but a document view passes unchanged."""
    envelope = json.loads(body) if content_type == JSON else None
    payload = envelope.get("payload") if isinstance(envelope, dict) else None
    if not isinstance(envelope, dict) or not isinstance(payload, dict) or "declaration" not in payload:
        return Rendered(content_type, body)
    wanted = str(payload.get("format", "json"))
    document_type = str(payload.get("document_type", DEFAULT_TYPE))
    if wanted == "json":
        return Rendered(content_type, body)
    if wanted == "xml":
        return Rendered(xml.CONTENT_TYPE, render_xml(document_type, envelope))
    if wanted == "edifact":
        return Rendered(edifact.CONTENT_TYPE, render_edifact(document_type, envelope, recipient, prepared))
    raise NoSuchForm(f"format {wanted!r} is not one of {', '.join(FORMATS)}")
