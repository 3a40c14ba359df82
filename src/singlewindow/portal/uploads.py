"""Turning an uploaded file into the declaration document the form shows.

JSON (the API's own document) is read here. EDIFACT CUSDEC and UN/CEFACT XML arrive with
issue 3: its parsers register themselves with :func:`register_upload_format` and the upload
page accepts them with no change to the portal.
"""

import json
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from singlewindow.errors import Unprocessable

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


_parsers: dict[str, UploadParser] = {".json": _json}


def register_upload_format(suffix: str, parser: UploadParser) -> None:
    """The hook for EDIFACT (``.edi``) and XML (``.xml``) declarations: ``parser`` returns the JSON document."""
    _parsers[suffix.lower()] = parser


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
