"""The routing rule table, readable by any signed-in party, replaceable by the operator."""

from typing import Annotated

from fastapi import APIRouter

from singlewindow.identity.dependencies import requires
from singlewindow.identity.principal import Principal
from singlewindow.kit.web import DbSession
from singlewindow.routing import service
from singlewindow.routing.rules import RuleSet

router = APIRouter(prefix="/api/v1/routing", tags=["routing"])


@router.get("/rules", response_model=RuleSet)
async def get_rules(_: Annotated[Principal, requires("routing:read")], session: DbSession) -> RuleSet:
    return RuleSet(rules=await service.current_rules(session))


@router.put("/rules", response_model=RuleSet)
async def put_rules(
    rule_set: RuleSet, principal: Annotated[Principal, requires("routing:manage")], session: DbSession
) -> RuleSet:
    """Replace the whole table; every node routes by it within a few seconds."""
    rules = await service.replace_rules(session, rule_set, actor=principal.actor)
    await session.commit()
    return RuleSet(rules=rules)
