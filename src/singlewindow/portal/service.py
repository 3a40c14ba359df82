"""Draft use cases: save what the trader typed, list, open and discard it. Services flush; the edge commits."""

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit import service as audit
from singlewindow.errors import NotFound
from singlewindow.identity.principal import Principal
from singlewindow.kit.clock import utcnow
from singlewindow.portal.models import Draft


async def save_draft(
    session: AsyncSession, principal: Principal, document: dict[str, Any], draft_id: uuid.UUID | None = None
) -> Draft:
    """Keep the form as typed, valid or not: a draft is allowed to be wrong."""
    draft = await get_draft(session, principal, draft_id) if draft_id else None
    if draft is None:
        draft = Draft(party_id=principal.party_id, saved_by=principal.actor, data={})
        session.add(draft)
    draft.data = document
    draft.reference = str(document.get("reference", ""))[:35]
    draft.saved_by = principal.actor
    draft.updated_at = utcnow()
    await session.flush()
    await audit.record(session, actor=principal.actor, action="draft.saved", subject=str(draft.id))
    return draft


async def get_draft(session: AsyncSession, principal: Principal, draft_id: uuid.UUID) -> Draft:
    draft = await session.scalar(select(Draft).where(Draft.id == draft_id, Draft.party_id == principal.party_id))
    if draft is None:
        raise NotFound(f"no draft {draft_id}")
    return draft


async def drafts_of(session: AsyncSession, principal: Principal, *, limit: int = 20) -> list[Draft]:
    rows = await session.scalars(
        select(Draft).where(Draft.party_id == principal.party_id).order_by(Draft.updated_at.desc()).limit(limit)
    )
    return list(rows)


async def discard_draft(session: AsyncSession, principal: Principal, draft_id: uuid.UUID) -> None:
    draft = await get_draft(session, principal, draft_id)
    await session.delete(draft)
    await session.flush()
    await audit.record(session, actor=principal.actor, action="draft.discarded", subject=str(draft_id))
