"""The code list of licence kinds (package data) and which kinds a goods item needs.

Which HS codes need which regulatory certificate is catalogue data (``hs_conditions``);
this module only says which certificate codes are licences the registry issues, and for
which direction, so the two lists never have to be kept in step by hand.
"""

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from singlewindow.catalogue.code_lists import code_lists


@dataclass(frozen=True, slots=True)
class LicenceKind:
    code: str
    prefix: str
    agency: str
    condition: str | None
    directions: frozenset[str]
    name_en: str
    name_zh: str

    @property
    def name(self) -> str:
        return f"{self.name_zh} {self.name_en}"


@cache
def kinds() -> dict[str, LicenceKind]:
    text = files("singlewindow.licences").joinpath("data/licence-kinds.csv").read_text(encoding="utf-8")
    return {
        row["code"]: LicenceKind(
            code=row["code"],
            prefix=row["prefix"],
            agency=row["agency"],
            condition=row["condition"] or None,
            directions=frozenset(row["directions"].split()),
            name_en=row["name_en"],
            name_zh=row["name_zh"],
        )
        for row in csv.DictReader(io.StringIO(text))
    }


def kind_for_condition(condition: str) -> LicenceKind | None:
    """The kind issued for a regulatory condition (a licence application's ``licence_type``), if any."""
    return next((k for k in kinds().values() if k.condition == condition), None)


def required_kinds(hs_code: str, direction: str) -> list[LicenceKind]:
    """The kinds of which a goods item needs one: its HS code's conditions that are licences for this direction."""
    conditions = code_lists().hs_conditions(hs_code)
    return [k for k in kinds().values() if k.condition in conditions and direction in k.directions]
