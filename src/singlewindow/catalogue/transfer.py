"""The whole catalogue out as JSON or CSV, and back in after checking it hangs together.

"The whole catalogue" is the package-data layout under ``catalogue/data/``: data elements,
every code list with its edition, source and every entry (each list's own columns), the HS
regulatory conditions, the shared groups and the document types with their rules, the agency
requirements and the code conversions. Export reads that layout; import checks a catalogue
and writes the same layout into a directory for maintainers to review and commit: the running
platform reads only the catalogue shipped in its package, so a bad import can never reach a
live declaration. Export, import and export again gives the same catalogue (tested).
"""

import csv
import gzip
import io
import json
import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from singlewindow.catalogue import document_types
from singlewindow.catalogue.agency_requirements import FORMATS
from singlewindow.catalogue.elements import CATALOGUE_VERSION
from singlewindow.errors import InvalidData, Unprocessable

ELEMENT_COLUMNS = ["id", "name_en", "name_zh", "representation", "code_list", "check", "wco_id", "definition"]
_REPRESENTATION = re.compile(r"^((a|an|n)(\.\.)?\d+(,\d+)?|date|datetime)$")
_TYPES_DIR = "document_types"
_GROUPS = "_groups.json"
_CONVERSIONS_DIR = "conversions"
_CONDITIONS = "hs-regulatory-conditions.csv"
_LIST_META = ("file", "version", "source")
_CONVERSION_META = ("file", "from_list", "version", "source")
Catalogue = dict[str, Any]


class CatalogueRejected(Unprocessable):
    title = "Catalogue does not hang together"


# Files of the layout ------------------------------------------------------------------------------


def _read_bytes(resource: Traversable) -> str:
    data = resource.read_bytes()
    return (gzip.decompress(data) if resource.name.endswith(".gz") else data).decode("utf-8")


def _delimiter(name: str) -> str:
    return "\t" if ".tsv" in name else ","


def _rows(text: str, delimiter: str = ",") -> list[list[str]]:
    if delimiter == "\t":
        return [line.split("\t") for line in text.splitlines()]
    return list(csv.reader(io.StringIO(text)))


def _table_text(rows: list[list[str]], delimiter: str = ",") -> str:
    if delimiter == "\t":
        return "".join("\t".join(row) + "\n" for row in rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if path.name.endswith(".gz") else data)


def _table(resource: Traversable) -> dict[str, Any]:
    rows = _rows(_read_bytes(resource), _delimiter(resource.name))
    return {"columns": rows[0], "rows": rows[1:]}


def read_layout(root: Traversable) -> Catalogue:
    """The catalogue a package-data layout holds, as one JSON-able document."""
    manifest: dict[str, dict[str, str]] = json.loads(_read_bytes(root / "manifest.json"))
    conversions: dict[str, dict[str, str]] = json.loads(_read_bytes(root / _CONVERSIONS_DIR / "manifest.json"))
    types_dir = root / _TYPES_DIR
    type_files = sorted((r for r in types_dir.iterdir() if r.name.endswith(".json")), key=lambda r: r.name)
    element_rows = _rows(_read_bytes(root / "elements.csv"))
    return {
        "catalogue_version": CATALOGUE_VERSION,
        "elements": [dict(zip(element_rows[0], row, strict=True)) for row in element_rows[1:]],
        "code_lists": {name: {**spec, **_table(root / spec["file"])} for name, spec in manifest.items()},
        "hs_regulatory_conditions": _table(root / _CONDITIONS),
        "groups": json.loads(_read_bytes(types_dir / _GROUPS)),
        "document_types": {
            spec["code"]: spec
            for spec in (json.loads(_read_bytes(r)) for r in type_files if not r.name.startswith("_"))
        },
        "agency_requirements": json.loads(_read_bytes(root / "agency_requirements.json")),
        "conversions": {
            name: {**spec, **_table(root / _CONVERSIONS_DIR / spec["file"])} for name, spec in conversions.items()
        },
    }


def export_json() -> Catalogue:
    """The catalogue shipped in the package."""
    return read_layout(files("singlewindow.catalogue") / "data")


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def write_layout(catalogue: Catalogue, into: Path) -> None:
    """The package-data layout of ``catalogue`` under ``into`` (what ``read_layout`` reads back)."""
    columns = [ELEMENT_COLUMNS, *[[row.get(c, "") for c in ELEMENT_COLUMNS] for row in catalogue["elements"]]]
    _write(into / "elements.csv", _table_text(columns))
    manifest = {}
    for name, spec in catalogue["code_lists"].items():
        manifest[name] = {key: spec[key] for key in _LIST_META}
        _write(into / spec["file"], _table_text([spec["columns"], *spec["rows"]], _delimiter(spec["file"])))
    _write(into / "manifest.json", _json_text(manifest))
    conditions = catalogue["hs_regulatory_conditions"]
    _write(into / _CONDITIONS, _table_text([conditions["columns"], *conditions["rows"]]))
    _write(into / _TYPES_DIR / _GROUPS, _json_text(catalogue["groups"]))
    for code, spec in catalogue["document_types"].items():
        _write(into / _TYPES_DIR / f"{code}.json", _json_text(spec))
    _write(into / "agency_requirements.json", _json_text(catalogue["agency_requirements"]))
    conversions = {}
    for name, spec in catalogue["conversions"].items():
        conversions[name] = {key: spec[key] for key in _CONVERSION_META}
        _write(into / _CONVERSIONS_DIR / spec["file"], _table_text([spec["columns"], *spec["rows"]]))
    _write(into / _CONVERSIONS_DIR / "manifest.json", _json_text(conversions))


# CSV tables ---------------------------------------------------------------------------------------

_CODE_LISTS_DIR = "code_lists"


def export_csv(directory: Path) -> list[Path]:
    """One CSV per table; nested definitions (document types, rules) as a JSON cell, lossless.

    ``document_type_fields.csv`` (one row per field, for reading) is derived and ignored on import.
    """
    catalogue = export_json()
    tables: dict[str, list[list[str]]] = {
        "elements.csv": [ELEMENT_COLUMNS, *[[r[c] for c in ELEMENT_COLUMNS] for r in catalogue["elements"]]],
        "code_lists.csv": [
            ["list", *_LIST_META],
            *[[name, *[spec[k] for k in _LIST_META]] for name, spec in catalogue["code_lists"].items()],
        ],
        "hs_regulatory_conditions.csv": [
            catalogue["hs_regulatory_conditions"]["columns"],
            *catalogue["hs_regulatory_conditions"]["rows"],
        ],
        "groups.csv": [["key", "definition"], *[[k, _cell(v)] for k, v in catalogue["groups"].items()]],
        "document_types.csv": [
            ["code", "name_en", "name_zh", "definition"],
            *[[c, s["name_en"], s["name_zh"], _cell(s)] for c, s in catalogue["document_types"].items()],
        ],
        "document_type_fields.csv": [
            ["document_type", "path", "element", "required"],
            *[
                [code, u.path, u.element, str(u.required).lower()]
                for code in document_types.document_types()
                for u in document_types.fields(code)
            ],
        ],
        "agency_requirements.csv": [
            ["document_type", "agency", "format", "rule"],
            *_requirement_rows(catalogue["agency_requirements"]),
        ],
        "conversions.csv": [
            ["conversion", *_CONVERSION_META],
            *[[name, *[spec[k] for k in _CONVERSION_META]] for name, spec in catalogue["conversions"].items()],
        ],
    }
    for name, spec in catalogue["code_lists"].items():
        tables[f"{_CODE_LISTS_DIR}/{name}.csv"] = [spec["columns"], *spec["rows"]]
    for name, spec in catalogue["conversions"].items():
        tables[f"{_CONVERSIONS_DIR}/{name}.csv"] = [spec["columns"], *spec["rows"]]
    written = []
    for name, rows in tables.items():
        path = directory / name
        _write(path, _table_text(rows))
        written.append(path)
    return written


def _requirement_rows(table: dict[str, Any]) -> list[list[str]]:
    """One row per document type and agency; a top-level ``_comment`` keeps its text in an agency-less row."""
    rows = []
    for code, agencies in table.items():
        if not isinstance(agencies, dict):
            rows.append([code, "", "", _cell(agencies)])
            continue
        rows += [[code, agency, str(rule.get("format", "json")), _cell(rule)] for agency, rule in agencies.items()]
    return rows


def _cell(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def _records(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _table_file(path: Path) -> dict[str, Any]:
    rows = _rows(path.read_text(encoding="utf-8"))
    return {"columns": rows[0], "rows": rows[1:]}


def read_csv_tables(directory: Path) -> Catalogue:
    """The catalogue in a directory written by ``export_csv``."""
    requirements: dict[str, Any] = {}
    for row in _records(directory / "agency_requirements.csv"):
        rule = json.loads(row["rule"])
        if row["agency"]:
            requirements.setdefault(row["document_type"], {})[row["agency"]] = rule
        else:
            requirements[row["document_type"]] = rule
    return {
        "catalogue_version": CATALOGUE_VERSION,
        "elements": [{c: row.get(c) or "" for c in ELEMENT_COLUMNS} for row in _records(directory / "elements.csv")],
        "code_lists": {
            row["list"]: {
                **{k: row[k] for k in _LIST_META},
                **_table_file(directory / _CODE_LISTS_DIR / f"{row['list']}.csv"),
            }
            for row in _records(directory / "code_lists.csv")
        },
        "hs_regulatory_conditions": _table_file(directory / "hs_regulatory_conditions.csv"),
        "groups": {row["key"]: json.loads(row["definition"]) for row in _records(directory / "groups.csv")},
        "document_types": {
            row["code"]: json.loads(row["definition"]) for row in _records(directory / "document_types.csv")
        },
        "agency_requirements": requirements,
        "conversions": {
            row["conversion"]: {
                **{k: row[k] for k in _CONVERSION_META},
                **_table_file(directory / _CONVERSIONS_DIR / f"{row['conversion']}.csv"),
            }
            for row in _records(directory / "conversions.csv")
        },
    }


# Checking and importing ---------------------------------------------------------------------------


class _Element(BaseModel, extra="allow"):
    id: str
    representation: str
    code_list: str | None = None


class _SentCodeList(BaseModel, extra="allow"):
    columns: list[str] | None = None
    rows: list[list[Any]] | None = None


class _CodeList(_SentCodeList):
    columns: list[str]
    rows: list[list[Any]]


class _Requirement(BaseModel, extra="allow"):
    format: str = "json"
    conversions: dict[str, str] = Field(default_factory=dict)


class _Parts(BaseModel, extra="allow"):
    elements: list[_Element]
    groups: dict[str, Any]
    document_types: dict[str, dict[str, Any]]
    agency_requirements: dict[str, dict[str, _Requirement] | str]
    conversions: dict[str, Any]


class _Catalogue(_Parts):
    """The shape ``problems`` reads; what the parts mean is its own check."""

    code_lists: dict[str, _CodeList]


class _SentCatalogue(_Parts):
    """As sent to ``import-check``: a code list may come without its entries."""

    code_lists: dict[str, _SentCodeList]


def _shaped(model: type[BaseModel], catalogue: Any) -> None:
    """A document that is not a catalogue export is refused naming each misshapen part, before any is read."""
    try:
        model.model_validate(catalogue)
    except ValidationError as exc:
        raise InvalidData(exc.errors(), "not a catalogue export") from None


def problems(catalogue: Catalogue) -> list[str]:
    """Why a catalogue does not hang together; empty when it does."""
    found = []
    ids = {row["id"] for row in catalogue["elements"]}
    lists = set(catalogue["code_lists"])
    for row in catalogue["elements"]:
        if not _REPRESENTATION.match(row["representation"]):
            found.append(f"element {row['id']}: representation {row['representation']!r} is not a/an/n[..]size")
        if row.get("code_list") and row["code_list"] not in lists:
            found.append(f"element {row['id']}: no code list {row['code_list']!r}")
    for name, spec in catalogue["code_lists"].items():
        if "code" not in spec["columns"]:
            found.append(f"code list {name}: no 'code' column")
    definitions = {"groups": catalogue["groups"], **catalogue["document_types"]}
    for code, spec in definitions.items():
        used = re.findall(r'"element": "([^"]+)"', json.dumps(spec))
        found += [f"document type {code}: no element {e!r}" for e in used if e not in ids]
    for code, agencies in catalogue["agency_requirements"].items():
        if code.startswith("_"):
            continue
        if code not in catalogue["document_types"]:
            found.append(f"agency requirements for unknown document type {code!r}")
        spec = catalogue["document_types"].get(code, {})
        for agency, rule in agencies.items():
            if rule.get("format", "json") not in FORMATS:
                found.append(f"{code}/{agency}: format {rule['format']!r} is not one of {sorted(FORMATS)}")
            elif rule.get("format") == "edifact" and not spec.get("edifact_message"):
                found.append(f"{code}/{agency}: a {code} has no UN/EDIFACT form; use json or xml")
            found += [
                f"{code}/{agency}: no conversion table {table!r}"
                for table in rule.get("conversions", {}).values()
                if table not in catalogue["conversions"]
            ]
    return found


def _source(source: Path) -> Catalogue:
    if source.is_dir():
        return read_csv_tables(source)
    if source.suffix == ".csv":
        rows = _records(source)
        return {**export_json(), "elements": [{c: row.get(c) or "" for c in ELEMENT_COLUMNS} for row in rows]}
    loaded: Catalogue = json.loads(source.read_text(encoding="utf-8"))
    return loaded


def check(catalogue: Catalogue) -> dict[str, int]:
    """What a catalogue holds, or ``CatalogueRejected`` naming every problem."""
    _shaped(_Catalogue, catalogue)
    found = problems(catalogue)
    if found:
        raise CatalogueRejected("; ".join(found))
    return {
        "elements": len(catalogue["elements"]),
        "code_lists": len(catalogue["code_lists"]),
        "code_list_entries": sum(len(spec["rows"]) for spec in catalogue["code_lists"].values()),
        "document_types": len(catalogue["document_types"]),
        "agency_requirements": sum(
            len(a) for k, a in catalogue["agency_requirements"].items() if not k.startswith("_")
        ),
        "conversions": len(catalogue["conversions"]),
    }


def with_shipped_entries(catalogue: Catalogue) -> Catalogue:
    """A code list given without ``rows`` keeps the shipped list's entries (UN/LOCODE alone is 4 MB)."""
    _shaped(_SentCatalogue, catalogue)
    shipped = export_json()["code_lists"]
    lists = {
        name: spec if "rows" in spec else {**spec, **{k: shipped[name][k] for k in ("columns", "rows")}}
        for name, spec in catalogue.get("code_lists", {}).items()
        if "rows" in spec or name in shipped
    }
    return {**catalogue, "code_lists": lists}


def import_catalogue(source: Path, into: Path) -> dict[str, int]:
    """Check ``source`` (a JSON export, a directory of CSV tables or an ``elements.csv``); write it to ``into``."""
    catalogue = _source(source)
    counts = check(catalogue)
    write_layout(catalogue, into)
    return counts
