"""Valid declarations to start from; tests change one thing to make their point."""

import copy
import json
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
EXAMPLE = EXAMPLES / "import-declaration.json"
BEEF = EXAMPLES / "import-beef.json"
VALID_LICENCE = "24-AL-000001"
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "documents"
"""One valid document of every catalogue type besides the cargo declaration (tests/data/README.md)."""
OTHER_DOCUMENT_TYPES = sorted(p.stem for p in SAMPLES.glob("*.json"))


def sample(document_type: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SAMPLES / f"{document_type}.json").read_text(encoding="utf-8"))
    document.update(changes)
    return document


def import_declaration(**changes: Any) -> dict[str, Any]:
    """The documented example (laptops and T-shirts by sea: customs and maritime only)."""
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document.update(changes)
    return document


def beef_import(*, licence: str | None = VALID_LICENCE) -> dict[str, Any]:
    """Frozen beef (docs/examples/import-beef.json): inspection & quarantine, commerce, customs inspects."""
    document: dict[str, Any] = json.loads(BEEF.read_text(encoding="utf-8"))
    item = document["goods"][0]
    if licence:
        item["licence_number"] = licence
    else:
        item.pop("licence_number")
    return document


def with_goods_field(document: dict[str, Any], index: int, **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["goods"][index].update(changes)
    return changed
