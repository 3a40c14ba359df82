"""Customs brokers and their clients: who acts for whom, granting and revoking, and choosing the client.

Identity decides everything (``acting_for``, ``grant_delegation``, ``revoke_delegation``); the
portal remembers the broker's choice in the session and re-checks it with identity on every
request, so a revoked delegation stops working at the next click, as it does on the API.
"""

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.identity import service as identity
from singlewindow.identity.permissions import DELEGABLE, allowed
from singlewindow.kit.web import DbSession
from singlewindow.portal.i18n import N_
from singlewindow.portal.web import Client, PortalUser, Trader, acting_as, flash, remember_acting

router = APIRouter()

SCOPE_LABELS = {
    "profile:read": N_("see the client's enterprise profile"),
    "declaration:read": N_("read the client's declarations"),
    "declaration:submit": N_("submit, amend and cancel declarations in the client's name"),
    "qualification:read": N_("see the client's qualifications"),
}
"""What a delegation lets the broker do, in words; the list itself is identity's ``DELEGABLE``."""


def scope() -> list[str]:
    return [SCOPE_LABELS[p] for p in sorted(DELEGABLE)]


@dataclass(frozen=True, slots=True)
class Delegations:
    """Both sides for one enterprise: the clients it may act for, and the brokers acting for it."""

    clients: list[identity.DelegationView] = field(default_factory=list)
    brokers: list[identity.DelegationView] = field(default_factory=list)

    @property
    def active_clients(self) -> list[Client]:
        return [Client(v.client.uscc or "", v.client.name) for v in self.clients if v.active]


async def delegations_of(session: AsyncSession, user: PortalUser) -> Delegations:
    """Nothing for users who may not read delegations (finance) and for agencies and operators."""
    own = user.own
    if not own.is_enterprise or not allowed(own, "delegation:read"):
        return Delegations()
    views = await identity.delegation_views(session, own)
    return Delegations(
        clients=[v for v in views if v.delegation.broker_party_id == own.party_id],
        brokers=[v for v in views if v.delegation.client_party_id == own.party_id],
    )


def _back(request: Request, target: str) -> RedirectResponse:
    return RedirectResponse(f"{request.scope.get('root_path', '')}{target}", status_code=303)


@router.post("/acting-for")
async def choose_client(
    request: Request,
    user: Trader,
    session: DbSession,
    uscc: Annotated[str, Form(max_length=18)] = "",
    back: Annotated[str, Form(pattern=r"^/(dashboard|account|declarations)$")] = "/dashboard",
) -> Response:
    """Act for a client (a USCC) or, with an empty one, for one's own enterprise again."""
    remember_acting(request, await acting_as(session, user, uscc.strip() or None))
    flash(request, N_("You now act for the chosen client.") if uscc.strip() else N_("You act for your own enterprise."))
    return _back(request, back)
