"""The data element catalogue and the field types derived from it.

Each schema field is declared as ``Annotated[str, Element("SW0009")]``: its length, numeric precision, code
list and check come from the catalogue row, so the catalogue, not the schema, says what a
valid port of loading is, and the JSON Schema names the element it carries.
"""

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from singlewindow.catalogue.check_digits import imo_problem, iso6346_problem, uscc_problem
from singlewindow.catalogue.code_lists import code_lists
from singlewindow.catalogue.identifiers import (
    aircraft_registration_problem,
    flight_number_problem,
    train_number_problem,
    un_number_problem,
    vehicle_plate_problem,
)

CATALOGUE_VERSION = "2026.4"
"""Raised whenever elements, document types or requirements change; declarations record it."""
_REPRESENTATION = re.compile(r"^(?P<kind>a|an|n)(?P<open>\.\.)?(?P<size>\d+)(?:,(?P<decimals>\d+))?$")


@dataclass(frozen=True, slots=True)
class DataElement:
    id: str
    name_en: str
    name_zh: str
    representation: str
    code_list: str | None
    check: str | None
    definition: str
    wco_id: str | None = None
    """The WCO Data Model 3.x id, only where one was verified against a published WCO data set."""


@cache
def elements() -> dict[str, DataElement]:
    text = files("singlewindow.catalogue").joinpath("data/elements.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        row["id"]: DataElement(
            id=row["id"],
            name_en=row["name_en"],
            name_zh=row["name_zh"],
            representation=row["representation"],
            code_list=row["code_list"] or None,
            check=row["check"] or None,
            definition=row["definition"],
            wco_id=row.get("wco_id") or None,
        )
        for row in rows
    }


Check = Callable[[str], str]


def _in_code_list(name: str) -> Check:
    def check(value: str) -> str:
        codes = code_lists().get(name)
        if value not in codes:
            raise ValueError(f"{value!r} is not in code list {name!r} ({codes.version})")
        return value

    return check


def _hs_subheading(value: str) -> str:
    if not code_lists().is_hs_subheading(value):
        raise ValueError(f"{value!r} is not an HS subheading (6, 8 or 10 digits; first 6 in HS2022)")
    return value


def _checked_by(problem: Callable[[str], str | None], what: str) -> Check:
    def check(value: str) -> str:
        reason = problem(value)
        if reason:
            raise ValueError(f"not a valid {what}: {reason}")
        return value

    return check


_CHECKS: dict[str, Check] = {
    "iso6346": _checked_by(iso6346_problem, "ISO 6346 container number"),
    "uscc": _checked_by(uscc_problem, "unified social credit code"),
    "hs": _hs_subheading,
    "imo": _checked_by(imo_problem, "IMO ship identification number"),
    "flight_number": _checked_by(flight_number_problem, "flight number"),
    "aircraft_registration": _checked_by(aircraft_registration_problem, "aircraft registration mark"),
    "train_number": _checked_by(train_number_problem, "train number"),
    "vehicle_plate": _checked_by(vehicle_plate_problem, "vehicle registration plate"),
    "un_number": _checked_by(un_number_problem, "UN number"),
}
_TIME_TYPES: dict[str, Any] = {"date": date, "datetime": AwareDatetime}


def element_type(element_id: str) -> Any:
    """The constrained pydantic type of a data element (``Annotated[...]``)."""
    el = elements()[element_id]
    if el.representation in _TIME_TYPES:
        return _TIME_TYPES[el.representation]
    match = _REPRESENTATION.match(el.representation)
    if not match:
        raise ValueError(f"element {el.id}: unsupported representation {el.representation!r}")
    size = int(match["size"])
    metadata: list[Any] = []
    if match["kind"] == "n":
        decimals = int(match["decimals"] or 0)
        number_type = Decimal if decimals else int
        numeric = Field(ge=0, max_digits=size, decimal_places=decimals) if decimals else Field(ge=0, lt=10**size)
        return Annotated[number_type, numeric]
    min_length = 1 if match["open"] else size
    pattern = r"^[A-Za-z]+$" if match["kind"] == "a" else None
    metadata.insert(
        0, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=size, pattern=pattern)
    )
    if el.check and el.check in _CHECKS:
        metadata.append(AfterValidator(_CHECKS[el.check]))
    elif el.code_list:
        metadata.append(AfterValidator(_in_code_list(el.code_list)))
    return Annotated[str, *metadata]


@dataclass(frozen=True, slots=True)
class Element:
    """Field marker: the field is the catalogue's data element ``id``, validated as it says."""

    id: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return handler.generate_schema(element_type(self.id))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        el = elements()[self.id]
        json_schema = handler(schema)
        json_schema.update(title=el.name_en, description=f"{el.name_zh}: {el.definition}", **{"x-element": el.id})
        if el.code_list:
            json_schema["x-code-list"] = el.code_list
        if el.wco_id:
            json_schema["x-wco-id"] = el.wco_id
        return json_schema
