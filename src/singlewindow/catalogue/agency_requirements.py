"""One form, many reports: derive what each agency receives from the one declaration."""

import json
from functools import cache
from importlib.resources import files
from typing import Any

from singlewindow.catalogue.code_lists import code_lists

AgencyView = dict[str, Any]


@cache
def requirements() -> dict[str, dict[str, dict[str, Any]]]:
    text = files("singlewindow.catalogue").joinpath("data/agency_requirements.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def _pick(record: dict[str, Any], fields: str | list[str]) -> dict[str, Any]:
    if fields == "*":
        return dict(record)
    return {name: record[name] for name in fields if record.get(name) is not None}


def _goods_for(goods: list[dict[str, Any]], conditions: list[str] | None) -> list[tuple[int, dict[str, Any]]]:
    numbered = list(enumerate(goods, start=1))
    if not conditions:
        return numbered
    wanted = set(conditions)
    lists = code_lists()
    return [(n, item) for n, item in numbered if lists.hs_conditions(item["hs_code"]) & wanted]


def derive(document_type: str, agency: str, document: dict[str, Any]) -> AgencyView:
    """The part of ``document`` this agency needs, goods items keeping their sequence number."""
    rule = requirements()[document_type].get(agency)
    if rule is None:
        raise KeyError(f"no requirements for agency {agency!r} on {document_type!r}")
    header = {k: v for k, v in document.items() if k != "goods"}
    view = _pick(header, rule["header"])
    view["goods"] = [
        {"seq": n, **_pick(item, rule["goods_fields"])}
        for n, item in _goods_for(document["goods"], rule.get("goods_when_condition_any"))
    ]
    return view
