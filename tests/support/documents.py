"""Valid declarations to start from; tests change one thing to make their point."""

import copy
import json
from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "import-declaration.json"
VALID_LICENCE = "24-AL-000001"


def import_declaration(**changes: Any) -> dict[str, Any]:
    """The documented example (laptops and T-shirts by sea: customs and maritime only)."""
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document.update(changes)
    return document


def beef_import(*, licence: str | None = VALID_LICENCE) -> dict[str, Any]:
    """Frozen beef: inspection & quarantine (condition A), commerce (condition 7), customs inspects."""
    item = {
        "hs_code": "020230",
        "description": "Frozen boneless bovine meat",
        "quantity": "24000",
        "unit": "KGM",
        "gross_weight_kg": "25000",
        "net_weight_kg": "24000",
        "value": "120000.00",
        "origin_country": "AU",
    }
    if licence:
        item["licence_number"] = licence
    return import_declaration(
        reference="BEEF-0001",
        consignor={"name": "Darling Downs Meat Exporters Pty Ltd", "country": "AU"},
        port_of_loading="AUBNE",
        country="AU",
        currency="AUD",
        goods=[item],
    )


def with_goods_field(document: dict[str, Any], index: int, **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["goods"][index].update(changes)
    return changed
