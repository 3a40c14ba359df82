"""The hash chain, as pure functions: hash_n = sha256(hash_(n-1) + canonical(record_n))."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Entry:
    """The sealed content of one record: every column a forger would want to change."""

    seq: int
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


def canonical(entry: Entry) -> bytes:
    document = {
        "seq": entry.seq,
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "subject": entry.subject,
        "detail": entry.detail,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str).encode()


def link(previous: str, entry: Entry) -> str:
    return hashlib.sha256(previous.encode() + canonical(entry)).hexdigest()
