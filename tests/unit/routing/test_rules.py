"""Routing rules, pure: which agencies act on a declaration, and by which rule."""

from typing import Any

import pytest
from pydantic import ValidationError
from support.documents import beef_import, import_declaration

from singlewindow.routing.rules import Condition, Match, Rule, RuleSet, holds, route
from singlewindow.routing.service import default_rules

Document = dict[str, Any]
LAPTOPS = "847130"
BEEF = "020230"


def document(
    *, declaration_type: str = "import", transport_mode: str = "1", hs_codes: tuple[str, ...] = (LAPTOPS,)
) -> Document:
    """Only what routing reads."""
    return {"type": declaration_type, "transport_mode": transport_mode, "goods": [{"hs_code": hs} for hs in hs_codes]}


def rule(rule_id: str, agency: str, *, enabled: bool = True, **when: Any) -> Rule:
    return Rule(id=rule_id, agency=agency, when=Condition(**when), enabled=enabled)


def routed(rules: list[Rule], doc: Document) -> list[tuple[str, str]]:
    return [(m.agency, m.rule_id) for m in route(rules, doc)]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"always": True}, True),
        ({}, False),
        ({"declaration_type_in": ["import"]}, True),
        ({"declaration_type_in": ["export"]}, False),
        ({"declaration_type_in": ["import"], "transport_mode_in": ["1", "8"]}, True),
        ({"declaration_type_in": ["import"], "transport_mode_in": ["3"]}, False),
        ({"always": True, "transport_mode_in": ["3"]}, False),
        ({"hs_prefix_any": ["8471"]}, True),
        ({"hs_prefix_any": ["02", "8472"]}, False),
        ({"goods_condition_any": ["A", "B"]}, False),
    ],
    ids=str,
)
def test_every_key_of_a_condition_must_hold(condition: dict[str, Any], expected: bool) -> None:
    assert holds(Condition(**condition), document()) is expected


@pytest.mark.parametrize(
    ("hs_code", "conditions", "expected"),
    [
        ("0202", ["A"], True),
        ("0202", ["7"], True),
        (BEEF, ["B"], True),
        (BEEF, ["4"], False),
        (LAPTOPS, ["A", "B", "1", "4", "7"], False),
    ],
)
def test_goods_conditions_come_from_the_catalogue(hs_code: str, conditions: list[str], expected: bool) -> None:
    assert holds(Condition(goods_condition_any=conditions), document(hs_codes=(hs_code,))) is expected


def test_goods_conditions_hold_when_any_goods_item_carries_one() -> None:
    condition = Condition(goods_condition_any=["A"])
    assert holds(condition, document(hs_codes=(LAPTOPS, BEEF)))
    assert not holds(condition, document(hs_codes=(LAPTOPS, "610910")))
    assert not holds(condition, document(hs_codes=()))


def test_an_agency_is_required_when_any_of_its_rules_matches() -> None:
    rules = [
        rule("ciq-by-road", "inspection_quarantine", transport_mode_in=["3"]),
        rule("ciq-beef", "inspection_quarantine", hs_prefix_any=["0202"]),
    ]
    assert routed(rules, document(hs_codes=(BEEF,))) == [("inspection_quarantine", "ciq-beef")]
    assert routed(rules, document()) == []


def test_the_first_matching_rule_of_an_agency_is_reported_once() -> None:
    rules = [rule("customs-first", "customs", always=True), rule("customs-second", "customs", always=True)]
    assert route(rules, document()) == [Match("customs", "customs-first")]


def test_disabled_rules_are_skipped() -> None:
    rules = [
        rule("customs-off", "customs", always=True, enabled=False),
        rule("customs-on", "customs", always=True),
        rule("maritime-off", "maritime", always=True, enabled=False),
    ]
    assert routed(rules, document()) == [("customs", "customs-on")]


def test_agencies_come_in_rule_order() -> None:
    rules = [rule("m", "maritime", always=True), rule("c", "customs", always=True), rule("m2", "maritime", always=True)]
    assert [m.agency for m in route(rules, document())] == ["maritime", "customs"]


TREASURY = ("treasury", "treasury-import-duties")
"""Every import waits for its duties to be paid or guaranteed; exports pay none."""


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (import_declaration(), [("customs", "customs-always"), ("maritime", "maritime-by-sea"), TREASURY]),
        (
            beef_import(),
            [
                ("customs", "customs-always"),
                ("inspection_quarantine", "ciq-inbound-inspection"),
                ("commerce", "commerce-import-licence"),
                ("maritime", "maritime-by-sea"),
                TREASURY,
            ],
        ),
        (
            import_declaration(transport_mode="3"),
            [("customs", "customs-always"), ("border_control", "border-control-by-road"), TREASURY],
        ),
        (
            {**beef_import(), "type": "export"},
            [
                ("customs", "customs-always"),
                ("inspection_quarantine", "ciq-outbound-inspection"),
                ("maritime", "maritime-by-sea"),
            ],
        ),
        (import_declaration(transport_mode="4"), [("customs", "customs-always"), TREASURY]),
    ],
    ids=["example", "beef", "by-road", "beef-export", "by-air"],
)
def test_the_shipped_rules(doc: Document, expected: list[tuple[str, str]]) -> None:
    assert routed(default_rules().rules, doc) == expected


@pytest.mark.parametrize(
    "data",
    [
        {"rules": [{"id": "x", "agency": "customs", "when": {"always": True}, "priority": 1}]},
        {"rules": [{"id": "x", "agency": "customs", "when": {"hs_code_in": ["0202"]}}]},
        {"rules": [{"id": "x", "agency": "customs", "when": {"always": True}}], "version": 2},
        {"rules": []},
        {"rules": [{"id": "Not An Id", "agency": "customs", "when": {"always": True}}]},
        {"rules": [{"id": "x", "agency": "Customs!", "when": {"always": True}}]},
    ],
    ids=["unknown-rule-key", "unknown-condition-key", "unknown-top-key", "empty", "bad-id", "bad-agency"],
)
def test_rule_sets_refuse_what_they_do_not_know(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        RuleSet.model_validate(data)


def test_the_shipped_rules_are_a_valid_rule_set_with_unique_ids() -> None:
    ids = [r.id for r in default_rules().rules]
    assert len(ids) == len(set(ids)) > 0
    assert all(r.enabled for r in default_rules().rules)


def test_a_rule_routes_only_its_own_document_type() -> None:
    vessel = Rule(id="vessel", document_type="vessel_declaration", agency="maritime", when=Condition(always=True))
    cargo = rule("cargo", "customs", always=True)
    assert route([vessel, cargo], document(), "vessel_declaration") == [Match("maritime", "vessel")]
    assert route([vessel, cargo], document()) == [Match("customs", "cargo")]
    assert route([vessel, cargo], document(), "cargo_manifest") == []
