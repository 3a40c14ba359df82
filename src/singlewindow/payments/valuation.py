"""From the invoice price to the customs value (CIF at the place of import), per Incoterms® 2020 rule.

The customs value of imported goods is the transaction value plus transport and insurance
to the place of import (PRC Customs Law art. 55). What a price already includes depends on
the delivery term; what it lacks is added from the declared figure, or else from the
standard rule in ``data/valuation.json``.
"""

import json
from decimal import Decimal
from functools import cache
from importlib.resources import files
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict

INCLUDES = MappingProxyType(
    {
        "EXW": (False, False),
        "FCA": (False, False),
        "FAS": (False, False),
        "FOB": (False, False),
        "CFR": (True, False),
        "CPT": (True, False),
        "CIF": (True, True),
        "CIP": (True, True),
        "DAP": (True, True),
        "DPU": (True, True),
        "DDP": (True, True),
    }
)
"""Incoterm → (price includes freight to the place of import, price includes insurance).

EXW is treated like FOB (loading and pre-carriage are part of the transport cost the
standard freight covers). D-terms deliver at destination, so the price includes both; a DDP
price also includes the import duties themselves, which the declarant must take out of the
declared value (the platform cannot: it does not know them before assessing).
"""


class ValuationRules(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    insurance_permille: Decimal
    insurance_basis: str
    freight_percent_of_price: dict[str, Decimal]
    freight_basis: str
    freight_is_illustrative: bool


def includes(incoterm: str) -> tuple[bool, bool]:
    """What the price includes; an unknown term is treated as including nothing (the most duty, never the least)."""
    return INCLUDES.get(incoterm, (False, False))


@cache
def shipped() -> ValuationRules:
    text = files("singlewindow.payments").joinpath("data/valuation.json").read_text("utf-8")
    return ValuationRules.model_validate(json.loads(text))
