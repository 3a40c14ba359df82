"""Rule conditions and their evaluation, pure: a declaration document in, matches out.

Every key present in a condition must hold (AND); a rule set lists one rule per reason an
agency must act, so an agency is required when any of its rules matches (OR).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from singlewindow.catalogue.code_lists import code_lists

Code = Annotated[str, StringConstraints(min_length=1, max_length=10)]


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    always: bool = False
    declaration_type_in: list[Code] | None = None
    transport_mode_in: list[Code] | None = None
    goods_condition_any: list[Code] | None = None
    hs_prefix_any: list[Code] | None = None
    credit_level_in: list[Annotated[str, StringConstraints(min_length=1, max_length=16)]] | None = None
    """Declarant's enterprise credit level (identity.models.CreditLevel values), e.g. inspection selectivity."""


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]
    document_type: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{1,39}$")] = "cargo_declaration"
    """The catalogue document type the rule routes; a rule never fires for another type."""
    agency: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
    description: str = ""
    when: Condition
    enabled: bool = True


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[Rule] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Match:
    agency: str
    rule_id: str


def _goods_hs(document: dict[str, Any]) -> list[str]:
    return [str(item["hs_code"]) for item in document.get("goods", [])]


def holds(condition: Condition, document: dict[str, Any]) -> bool:
    checks: list[bool] = []
    if condition.declaration_type_in is not None:
        checks.append(document.get("type") in condition.declaration_type_in)
    if condition.transport_mode_in is not None:
        checks.append(document.get("transport_mode") in condition.transport_mode_in)
    if condition.goods_condition_any is not None:
        wanted = set(condition.goods_condition_any)
        lists = code_lists()
        checks.append(any(lists.hs_conditions(hs) & wanted for hs in _goods_hs(document)))
    if condition.hs_prefix_any is not None:
        prefixes = tuple(condition.hs_prefix_any)
        checks.append(any(hs.startswith(prefixes) for hs in _goods_hs(document)))
    if condition.credit_level_in is not None:
        checks.append(document.get("declarant_credit_level") in condition.credit_level_in)
    return (condition.always or bool(checks)) and all(checks)


def route(rules: Iterable[Rule], document: dict[str, Any], document_type: str = "cargo_declaration") -> list[Match]:
    """The first matching rule of each required agency, agencies in rule order."""
    matches: dict[str, Match] = {}
    for rule in rules:
        if (
            rule.enabled
            and rule.document_type == document_type
            and rule.agency not in matches
            and holds(rule.when, document)
        ):
            matches[rule.agency] = Match(rule.agency, rule.id)
    return list(matches.values())
