"""Loading, replacing and applying the rule table.

Rules are cached per process for ``CACHE_SECONDS`` so the hot path does not read them on
every submission; a reload on one node reaches every node within that time.
"""

import json
import time
from importlib.resources import files
from typing import Any

from pydantic_core import ErrorDetails
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.catalogue.agency_requirements import requirements
from singlewindow.errors import InvalidData
from singlewindow.routing.models import RoutingRule
from singlewindow.routing.rules import Condition, Match, Rule, RuleSet, route

CACHE_SECONDS = 5.0
_cache: tuple[float, list[Rule]] | None = None


def default_rules() -> RuleSet:
    return RuleSet.model_validate_json(files("singlewindow.routing").joinpath("default_rules.json").read_bytes())


def forget_cached_rules() -> None:
    """The next routing reads the table again (used after a reload and between test databases)."""
    global _cache
    _cache = None


async def current_rules(session: AsyncSession) -> list[Rule]:
    global _cache
    if _cache and time.monotonic() - _cache[0] < CACHE_SECONDS:
        return _cache[1]
    rows = await session.scalars(select(RoutingRule).order_by(RoutingRule.position))
    rules = [
        Rule(
            id=r.id,
            document_type=r.document_type,
            agency=r.agency,
            description=r.description,
            when=Condition.model_validate(r.condition),
            enabled=r.enabled,
        )
        for r in rows
    ]
    _cache = (time.monotonic(), rules)
    return rules


async def agencies_for(session: AsyncSession, document_type: str, document: dict[str, Any]) -> list[Match]:
    return route(await current_rules(session), document, document_type)


async def replace_rules(session: AsyncSession, rule_set: RuleSet, *, actor: str) -> list[Rule]:
    """Swap the whole rule table in one transaction: nobody routes on half a table."""
    _check_agencies_known(rule_set)
    await session.execute(delete(RoutingRule))
    await session.execute(
        insert(RoutingRule),
        [
            {
                "id": r.id,
                "document_type": r.document_type,
                "position": i,
                "agency": r.agency,
                "description": r.description,
                "condition": r.when.model_dump(exclude_defaults=True),
                "enabled": r.enabled,
            }
            for i, r in enumerate(rule_set.rules)
        ],
    )
    await audit.record(
        session,
        actor=actor,
        action="routing.rules_replaced",
        subject="routing_rules",
        detail={"count": len(rule_set.rules)},
    )
    forget_cached_rules()
    return list(rule_set.rules)


def _check_agencies_known(rule_set: RuleSet) -> None:
    """A rule may only send a document type to an agency the catalogue says how to write it for."""
    table = requirements()
    errors = [
        ErrorDetails(
            type="unknown_document_type",
            loc=("rules", i, "document_type"),
            input=rule.document_type,
            msg=f"no document type {rule.document_type!r} in the agency requirements; known: {', '.join(table)}",
        )
        for i, rule in enumerate(rule_set.rules)
        if rule.document_type not in table
    ]
    errors += [
        ErrorDetails(
            type="unknown_agency",
            loc=("rules", i, "agency"),
            input=rule.agency,
            msg=f"no agency requirements for {rule.agency!r} on {rule.document_type}; "
            f"known: {', '.join(sorted(table[rule.document_type]))}",
        )
        for i, rule in enumerate(rule_set.rules)
        if rule.document_type in table and rule.agency not in table[rule.document_type]
    ]
    ids = [rule.id for rule in rule_set.rules]
    errors += [
        ErrorDetails(
            type="duplicate_id", loc=("rules", i, "id"), input=rule_id, msg=f"rule id {rule_id!r} is used twice"
        )
        for i, rule_id in enumerate(ids)
        if rule_id in ids[:i]
    ]
    if errors:
        raise InvalidData(errors)


async def ensure_rules(session: AsyncSession) -> None:
    """Seed the shipped rules into an empty table."""
    if await session.scalar(select(RoutingRule.id).limit(1)) is None:
        await replace_rules(session, default_rules(), actor="system")


def rules_json(rules: list[Rule]) -> str:
    return json.dumps(RuleSet(rules=rules).model_dump(exclude_defaults=True), indent=2, ensure_ascii=False)
