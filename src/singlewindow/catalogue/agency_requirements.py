"""One form, many reports: derive what each agency receives from the one document.

``data/agency_requirements.json`` says, per document type and agency, which header fields and
which fields of each repeating group (``goods_fields``) the agency receives, which goods items
(by regulatory condition), which values are converted to the agency's own code list, and the
format it takes (``json``, ``xml`` or ``edifact``). Editing that data, not code, changes what
an agency receives.
"""

import csv
import io
import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from singlewindow.catalogue.code_lists import code_lists
from singlewindow.errors import Unprocessable

AgencyView = dict[str, Any]
Requirements = Mapping[str, Mapping[str, Mapping[str, Any]]]
FORMATS = frozenset({"json", "xml", "edifact"})
_DATA = files("singlewindow.catalogue") / "data"
_GROUP_SUFFIX = "_fields"


class ConversionMissing(Unprocessable):
    title = "No conversion to the agency's code list"


@cache
def requirements() -> dict[str, dict[str, dict[str, Any]]]:
    text = (_DATA / "agency_requirements.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


@cache
def conversions() -> dict[str, dict[str, Any]]:
    """Conversion tables (e.g. ISO 3166 → China Customs 3-digit country codes), with their editions."""
    manifest: dict[str, dict[str, Any]] = json.loads((_DATA / "conversions" / "manifest.json").read_text("utf-8"))
    for spec in manifest.values():
        rows = csv.DictReader(io.StringIO((_DATA / "conversions" / spec["file"]).read_text("utf-8")))
        spec["table"] = {row["from"]: row["to"] for row in rows}
    return manifest


def agency_format(document_type: str, agency: str, table: Requirements | None = None) -> str:
    rule = (table or requirements())[document_type][agency]
    return str(rule.get("format", "json"))


def groups_of(rule: Mapping[str, Any]) -> list[str]:
    return [key.removesuffix(_GROUP_SUFFIX) for key in rule if key.endswith(_GROUP_SUFFIX)]


def _pick(record: dict[str, Any], fields: str | list[str]) -> dict[str, Any]:
    if fields == "*":
        return dict(record)
    return {name: record[name] for name in fields if record.get(name) is not None}


def _items_for(items: list[dict[str, Any]], conditions: list[str] | None) -> list[tuple[int, dict[str, Any]]]:
    numbered = list(enumerate(items, start=1))
    if not conditions:
        return numbered
    wanted = set(conditions)
    lists = code_lists()
    return [(n, item) for n, item in numbered if lists.hs_conditions(item.get("hs_code", "")) & wanted]


def _convert(view: AgencyView, path: str, table_name: str, agency: str) -> None:
    """Replace the value at ``path`` (``consignor.country``, ``goods[].origin_country``) in place."""
    table = conversions()[table_name]["table"]
    head, _, rest = path.partition(".")
    if head.endswith("[]"):
        for item in view.get(head[:-2], []):
            _convert(item, rest, table_name, agency)
        return
    if rest:
        if isinstance(view.get(head), dict):
            _convert(view[head], rest, table_name, agency)
        return
    value = view.get(head)
    if value is None:
        return
    if value not in table:
        raise ConversionMissing(f"{agency} takes {head} from list {table_name!r}, which has no code for {value!r}")
    view[head] = table[value]


def derive(document_type: str, agency: str, document: dict[str, Any], table: Requirements | None = None) -> AgencyView:
    """The part of ``document`` this agency needs, repeating-group items keeping their sequence number."""
    rule = (table or requirements())[document_type].get(agency)
    if rule is None:
        raise KeyError(f"no requirements for agency {agency!r} on {document_type!r}")
    groups = groups_of(rule)
    header = {k: v for k, v in document.items() if k not in groups}
    view = _pick(header, rule["header"])
    for group in groups:
        condition = rule.get(f"{group}_when_condition_any")
        view[group] = [
            {"seq": n, **_pick(item, rule[group + _GROUP_SUFFIX])}
            for n, item in _items_for(document.get(group, []), condition)
        ]
    for path, table_name in rule.get("conversions", {}).items():
        _convert(view, path, table_name, agency)
    return view
