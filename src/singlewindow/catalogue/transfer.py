"""The whole catalogue out as JSON or CSV, and back in after checking it hangs together.

Import writes the package-data layout (``elements.csv``, ``document_types/``,
``agency_requirements.json``) into a directory for maintainers to review and commit: the
running platform reads only the catalogue shipped in the package, so a bad import can never
reach a live declaration.
"""

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from singlewindow.catalogue import document_types
from singlewindow.catalogue.agency_requirements import FORMATS, requirements
from singlewindow.catalogue.code_lists import code_lists
from singlewindow.catalogue.elements import CATALOGUE_VERSION, elements
from singlewindow.errors import Unprocessable

ELEMENT_COLUMNS = ["id", "name_en", "name_zh", "representation", "code_list", "check", "wco_id", "definition"]
_REPRESENTATION = re.compile(r"^((a|an|n)(\.\.)?\d+(,\d+)?|date|datetime)$")
_TYPES_DIR = "document_types"


class CatalogueRejected(Unprocessable):
    title = "Catalogue does not hang together"


def _element_rows() -> list[dict[str, str]]:
    return [{column: getattr(element, column) or "" for column in ELEMENT_COLUMNS} for element in elements().values()]


def export_json() -> dict[str, Any]:
    lists = code_lists()
    return {
        "catalogue_version": CATALOGUE_VERSION,
        "elements": _element_rows(),
        "code_lists": {
            name: {
                "version": lists.get(name).version,
                "source": lists.get(name).source,
                "entries": [[e.code, e.name_en, e.name_zh or ""] for e in lists.get(name)],
            }
            for name in lists.names()
        },
        "document_types": {code: t.spec for code, t in document_types.document_types().items()},
        "agency_requirements": requirements(),
    }


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def export_csv(directory: Path) -> list[Path]:
    """One CSV per table; document types and requirements flattened to one row per field."""
    directory.mkdir(parents=True, exist_ok=True)
    lists = code_lists()
    tables = {
        "elements.csv": [ELEMENT_COLUMNS, *[[r[c] for c in ELEMENT_COLUMNS] for r in _element_rows()]],
        "code_lists.csv": [
            ["list", "version", "code", "name_en", "name_zh"],
            *[
                [name, lists.get(name).version, e.code, e.name_en, e.name_zh or ""]
                for name in lists.names()
                for e in lists.get(name)
            ],
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
            *[
                [code, agency, rule.get("format", "json"), json.dumps(rule, ensure_ascii=False, sort_keys=True)]
                for code, agencies in requirements().items()
                for agency, rule in agencies.items()
            ],
        ],
    }
    written = []
    for name, rows in tables.items():
        path = directory / name
        path.write_text(_csv(rows), encoding="utf-8")
        written.append(path)
    return written


def _problems(catalogue: dict[str, Any]) -> list[str]:
    problems = []
    ids = {row["id"] for row in catalogue["elements"]}
    lists = set(catalogue.get("code_lists") or code_lists().names())
    for row in catalogue["elements"]:
        if not _REPRESENTATION.match(row["representation"]):
            problems.append(f"element {row['id']}: representation {row['representation']!r} is not a/an/n[..]size")
        if row.get("code_list") and row["code_list"] not in lists:
            problems.append(f"element {row['id']}: no code list {row['code_list']!r}")
    for code, spec in catalogue["document_types"].items():
        used = re.findall(r'"element": "([^"]+)"', json.dumps(spec))
        problems += [f"document type {code}: no element {e!r}" for e in used if e not in ids]
    for code, agencies in catalogue["agency_requirements"].items():
        if code not in catalogue["document_types"]:
            problems.append(f"agency requirements for unknown document type {code!r}")
        spec = catalogue["document_types"].get(code, {})
        for agency, rule in agencies.items():
            if rule.get("format", "json") not in FORMATS:
                problems.append(f"{code}/{agency}: format {rule['format']!r} is not one of {sorted(FORMATS)}")
            elif rule.get("format") == "edifact" and not spec.get("edifact_message"):
                problems.append(f"{code}/{agency}: a {code} has no UN/EDIFACT form; use json or xml")
    return problems


def _read_elements_csv(path: Path) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return [{column: row.get(column) or "" for column in ELEMENT_COLUMNS} for row in rows]


def import_catalogue(source: Path, into: Path) -> dict[str, int]:
    """Check ``source`` (a JSON export, or an ``elements.csv``) and write the package-data layout into ``into``."""
    if source.suffix == ".csv":
        current = export_json()
        catalogue = {**current, "elements": _read_elements_csv(source), "code_lists": None}
    else:
        catalogue = json.loads(source.read_text(encoding="utf-8"))
    problems = _problems(catalogue)
    if problems:
        raise CatalogueRejected("; ".join(problems))
    (into / _TYPES_DIR).mkdir(parents=True, exist_ok=True)
    (into / "elements.csv").write_text(
        _csv([ELEMENT_COLUMNS, *[[row.get(c, "") for c in ELEMENT_COLUMNS] for row in catalogue["elements"]]]),
        encoding="utf-8",
    )
    for code, spec in catalogue["document_types"].items():
        (into / _TYPES_DIR / f"{code}.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", "utf-8")
    requirements_text = json.dumps(catalogue["agency_requirements"], ensure_ascii=False, indent=2) + "\n"
    (into / "agency_requirements.json").write_text(requirements_text, encoding="utf-8")
    return {
        "elements": len(catalogue["elements"]),
        "document_types": len(catalogue["document_types"]),
        "agency_requirements": sum(len(a) for a in catalogue["agency_requirements"].values()),
    }
