"""The refund rate of goods on their export date, from the shipped rate table (data/README.md)."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class Rate:
    hs_prefix: str
    valid_from: date
    refund_rate: Decimal
    """Percent of the taxable purchase amount refunded (退税率)."""
    levy_rate: Decimal
    """VAT rate the goods bear at home (征税率)."""
    source: str


@cache
def table() -> tuple[Rate, ...]:
    text = files("singlewindow.refunds").joinpath("data/refund_rates.csv").read_text(encoding="utf-8")
    return tuple(
        Rate(
            row["hs_prefix"],
            date.fromisoformat(row["valid_from"]),
            Decimal(row["refund_rate"]),
            Decimal(row["levy_rate"]),
            row["source"],
        )
        for row in csv.DictReader(io.StringIO(text))
    )


def rate_for(hs_code: str, on: date, rates: tuple[Rate, ...] | None = None) -> Rate | None:
    """The longest-prefix rate in force on ``on``; None when the table knows no rate for the goods."""
    candidates = [r for r in rates or table() if hs_code.startswith(r.hs_prefix) and r.valid_from <= on]
    return max(candidates, key=lambda r: (len(r.hs_prefix), r.valid_from), default=None)
