"""Licences for the licence tests: a request body to start from; tests change one thing."""

from collections.abc import Awaitable, Callable
from typing import Any

from singlewindow.demo import DEMO_TRADER_USCC

LICENCES = "/api/v1/licences"
Issue = Callable[..., Awaitable[dict[str, Any]]]
Read = Callable[[str], Awaitable[dict[str, Any]]]
BEEF_LINE = {"hs_code": "0202", "description": "Frozen bovine meat", "quantity": "24000", "unit": "KGM"}


def licence_body(**changes: Any) -> dict[str, Any]:
    """An automatic import licence for 24 t of frozen beef (one beef_import()), to 2035, held by the demo trader."""
    return {
        "kind": "automatic_import_licence",
        "holder_uscc": DEMO_TRADER_USCC,
        "valid_from": "2026-01-01",
        "valid_until": "2035-12-31",
        "goods": [BEEF_LINE],
        **changes,
    }
