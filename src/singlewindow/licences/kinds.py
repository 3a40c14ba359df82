"""The code list of licence kinds (package data) and which kinds a goods item needs.

Two sources of data say which goods need which kind. Which HS codes carry which regulatory
condition is catalogue data (``hs_conditions``); ``data/licence-kinds.csv`` says which
condition codes are kinds the registry issues, for which direction, so the two lists never
have to be kept in step by hand. Kinds that the catalogue's condition codes do not name (the
quarantine permit, the dual-use licence) are demanded by ``data/licence-requirements.csv``:
HS prefix, kind, directions.
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


@dataclass(frozen=True, slots=True)
class Requirement:
    """Goods under ``hs_prefix`` need a licence of ``kind`` in these directions."""

    hs_prefix: str
    kind: str
    directions: frozenset[str]
    basis: str


@cache
def requirements() -> tuple[Requirement, ...]:
    """The requirement rules, each checked against the kinds: a kind that exists, on a direction it serves."""
    text = files("singlewindow.licences").joinpath("data/licence-requirements.csv").read_text(encoding="utf-8")
    found = []
    for row in csv.DictReader(io.StringIO(text)):
        rule = Requirement(row["hs_prefix"], row["kind"], frozenset(row["directions"].split()), row["basis"])
        kind = kinds().get(rule.kind)
        if kind is None or not rule.directions or not rule.directions <= kind.directions:
            raise ValueError(f"licence-requirements.csv: {rule.hs_prefix} needs {rule.kind} on a direction it lacks")
        if not rule.hs_prefix.isdigit() or len(rule.hs_prefix) not in (2, 4, 6):
            raise ValueError(
                f"licence-requirements.csv: {rule.hs_prefix!r} is not an HS chapter, heading or subheading"
            )
        found.append(rule)
    return tuple(found)


def kind_for_condition(condition: str) -> LicenceKind | None:
    """The kind issued for a regulatory condition (a licence application's ``licence_type``), if any."""
    return next((k for k in kinds().values() if k.condition == condition), None)


def required_kinds(hs_code: str, direction: str) -> list[LicenceKind]:
    """The kinds of which a goods item needs one: its conditions that are licences, and the requirement rules."""
    conditions = code_lists().hs_conditions(hs_code)
    ruled = {r.kind for r in requirements() if hs_code.startswith(r.hs_prefix) and direction in r.directions}
    return [k for k in kinds().values() if direction in k.directions and (k.condition in conditions or k.code in ruled)]
