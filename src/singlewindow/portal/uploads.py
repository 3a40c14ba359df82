"""Turning an uploaded file into the declaration document the form shows.

JSON is the API's own document; EDIFACT CUSDEC, the project's XML and WCO DM declarations
go through the same decoders as ``POST /api/v1/declarations``, so a file the API accepts
opens the form filled in, and one it refuses is refused here with the same message.
"""

import json
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from singlewindow.errors import Unprocessable
from singlewindow.formats import edifact, xml
from singlewindow.formats.inbound import decode_declaration

UploadParser = Callable[[bytes], dict[str, Any]]
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _json(raw: bytes) -> dict[str, Any]:
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Unprocessable(f"the file is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise Unprocessable("the JSON file must hold one declaration object")
    return document


def _decoded(content_type: str) -> UploadParser:
    def parse(raw: bytes) -> dict[str, Any]:
        return decode_declaration(content_type, raw).document

    return parse


_parsers: dict[str, UploadParser] = {
    ".json": _json,
    ".edi": _decoded(edifact.CONTENT_TYPE),
    ".xml": _decoded(xml.CONTENT_TYPE),
}


def accepted_suffixes() -> list[str]:
    return sorted(_parsers)


def parse_upload(filename: str, raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_UPLOAD_BYTES:
        raise Unprocessable(f"the file is larger than {MAX_UPLOAD_BYTES // 1024} KiB")
    suffix = PurePath(filename).suffix.lower()
    parser = _parsers.get(suffix)
    if parser is None:
        raise Unprocessable(f"files of type {suffix or '(none)'} are not accepted; use one of {accepted_suffixes()}")
    return parser(raw)
