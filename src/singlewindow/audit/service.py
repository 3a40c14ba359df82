"""Writing audit records; the caller's transaction makes them atomic with the change."""

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit.models import AuditRecord
from singlewindow.kit.clock import utcnow


async def record(
    session: AsyncSession, *, actor: str, action: str, subject: str, detail: dict[str, Any] | None = None
) -> None:
    await session.execute(
        insert(AuditRecord).values(at=utcnow(), actor=actor, action=action, subject=subject, detail=detail or {})
    )
