"""The tariff as data: rates by HS code, the agreements that give conventional rates, and which rate applies.

Which rate applies follows the PRC Regulations on Import and Export Duties (and the Tariff
Law that replaced them on 2024-12-01): goods from a member of the WTO or of an agreement
with most-favoured-nation treatment pay the MFN rate, or the provisional rate where one is
set; goods that originate, with proof, in a country that has an agreement giving a
conventional rate for the line pay that rate, or the provisional rate if lower.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from singlewindow.payments.errors import NotInTariff

Percent = Decimal


class Rate(BaseModel):
    """One rate: ad valorem (percent), specific (yuan per unit), or both (compound)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ad_valorem: Percent | None = Field(default=None, ge=0, le=1000)
    specific: Decimal | None = Field(default=None, ge=0)
    per: str | None = Field(
        default=None, description="UN/CEFACT Rec 20 unit the specific amount is per (KGM, LTR, C62)"
    )

    @model_validator(mode="after")
    def complete(self) -> "Rate":
        if self.ad_valorem is None and self.specific is None:
            raise ValueError("a rate needs ad_valorem, specific, or both")
        if (self.specific is None) != (self.per is None):
            raise ValueError("a specific rate names the unit it is per, and only a specific rate does")
        return self

    @property
    def kind(self) -> str:
        if self.ad_valorem is not None and self.specific is not None:
            return "compound"
        return "ad_valorem" if self.ad_valorem is not None else "specific"

    def describe(self) -> str:
        parts = [f"{self.ad_valorem}%"] if self.ad_valorem is not None else []
        if self.specific is not None:
            parts.append(f"{self.specific} CNY/{self.per}")
        return " + ".join(parts)


class TariffLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name_zh: str
    name_en: str
    mfn: Rate
    provisional: Rate | None = None
    conventional: dict[str, Rate] = Field(default_factory=dict)
    consumption_tax: Rate | None = None
    vat: Percent = Field(ge=0, le=100)


class Agreement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name_en: str
    name_zh: str
    members: list[str]


class Tariff(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    edition: str
    agreements: dict[str, Agreement]
    lines: dict[str, TariffLine]

    def line(self, hs_code: str) -> tuple[str, TariffLine]:
        """The line for a declared code: the longest tariff key that the code starts with."""
        keys = [k for k in self.lines if hs_code.startswith(k)]
        if not keys:
            raise NotInTariff(f"HS code {hs_code} is not in the tariff (edition {self.edition}); classify it further")
        key = max(keys, key=len)
        return key, self.lines[key]

    def agreements_for(self, origin: str, line: TariffLine) -> list[str]:
        return [code for code in line.conventional if origin in self.agreements[code].members]


@dataclass(frozen=True, slots=True)
class Applied:
    """The duty rate chosen for an item, and why."""

    rate: Rate
    column: str
    agreement: str | None
    proof: str | None


def _lower(a: Rate, b: Rate) -> Rate:
    """The lower of two rates where they compare (both purely ad valorem), else ``a``."""
    if a.kind == b.kind == "ad_valorem" and a.ad_valorem is not None and b.ad_valorem is not None:
        return b if b.ad_valorem < a.ad_valorem else a
    return a


def choose(line: TariffLine, agreement: str | None, proof: str | None) -> Applied:
    """MFN (or provisional); the conventional rate only with a proof of origin under the agreement."""
    if agreement is not None and proof is not None:
        conventional = line.conventional[agreement]
        rate = _lower(conventional, line.provisional) if line.provisional else conventional
        column = "conventional" if rate is conventional else "provisional"
        return Applied(rate, column, agreement, proof)
    if line.provisional is not None:
        return Applied(line.provisional, "provisional", None, None)
    return Applied(line.mfn, "mfn", None, None)


def parse(document: dict[str, Any]) -> Tariff:
    tariff = Tariff.model_validate(document)
    for key, line in tariff.lines.items():
        unknown = set(line.conventional) - set(tariff.agreements)
        if unknown:
            raise ValueError(f"tariff line {key} names unknown agreements {sorted(unknown)}")
    return tariff


@cache
def shipped() -> Tariff:
    """The tariff shipped as package data (``data/tariff.json``)."""
    return parse(json.loads(files("singlewindow.payments").joinpath("data/tariff.json").read_text("utf-8")))
