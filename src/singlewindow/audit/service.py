"""Writing audit records in the caller's transaction, sealing them into a chain, verifying the chain.

Writers never touch the chain: a chain needs one writer at a time, and the submission path
must not queue behind a global lock. The sealer (the worker loop, and ``audit verify``)
links unsealed records in id order a batch at a time, under a lock only sealers take.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.audit.chain import GENESIS, Entry, link
from singlewindow.audit.models import AuditRecord, AuditSeal
from singlewindow.kit.clock import utcnow

SEAL_BATCH = 1000
_SEALER_LOCK = 0x5E41_0A0D17  # PostgreSQL advisory lock key held only by sealers


async def record(
    session: AsyncSession, *, actor: str, action: str, subject: str, detail: dict[str, Any] | None = None
) -> None:
    await session.execute(
        insert(AuditRecord).values(at=utcnow(), actor=actor, action=action, subject=subject, detail=detail or {})
    )


def _entry(row: AuditRecord, seq: int) -> Entry:
    return Entry(seq, row.id, row.at, row.actor, row.action, row.subject, row.detail)


async def seal(session: AsyncSession, *, batch: int = SEAL_BATCH) -> int:
    """Link up to ``batch`` unsealed records onto the chain; returns how many. The caller commits."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SEALER_LOCK})
    head = (
        await session.execute(
            select(AuditRecord.seq, AuditRecord.hash)
            .where(AuditRecord.seq.is_not(None))
            .order_by(AuditRecord.seq.desc())
            .limit(1)
        )
    ).first()
    seq, previous = (head[0] or 0, head[1] or GENESIS) if head else (0, GENESIS)
    rows = list(
        await session.scalars(
            select(AuditRecord).where(AuditRecord.seq.is_(None)).order_by(AuditRecord.id).limit(batch)
        )
    )
    for row in rows:
        seq += 1
        previous = link(previous, _entry(row, seq))
        await session.execute(update(AuditRecord).where(AuditRecord.id == row.id).values(seq=seq, hash=previous))
    if rows:
        session.add(AuditSeal(seq=seq, hash=previous, at=utcnow()))
        await session.flush()
    return len(rows)


@dataclass
class Verification:
    sealed: int = 0
    unsealed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


async def _sealed_rows(session: AsyncSession, chunk: int = 5000) -> AsyncIterator[AuditRecord]:
    after = 0
    while True:
        rows = list(
            await session.scalars(
                select(AuditRecord).where(AuditRecord.seq > after).order_by(AuditRecord.seq).limit(chunk)
            )
        )
        if not rows:
            return
        for row in rows:
            yield row
        after = rows[-1].seq or after


async def verify(session: AsyncSession, *, limit_problems: int = 20) -> Verification:
    """Recompute the whole chain: an edited record breaks its hash, a deleted one leaves a gap."""
    report = Verification()
    expected, previous = 1, GENESIS
    async for row in _sealed_rows(session):
        assert row.seq is not None
        if row.seq != expected:
            report.problems.append(f"records with seq {expected}..{row.seq - 1} are missing (deleted)")
            previous = row.hash or ""
        elif link(previous, _entry(row, row.seq)) != row.hash:
            report.problems.append(f"record id={row.id} (seq {row.seq}, {row.action}) was altered")
        previous = row.hash or ""
        expected = row.seq + 1
        report.sealed += 1
        if len(report.problems) >= limit_problems:
            return report
    last = await session.scalar(select(AuditSeal).order_by(AuditSeal.seq.desc()).limit(1))
    if last is not None and (last.seq != expected - 1 or last.hash != previous):
        report.problems.append(f"the chain ends at seq {expected - 1}, but was sealed up to seq {last.seq} (deleted)")
    report.unsealed = await session.scalar(select(func.count()).where(AuditRecord.seq.is_(None))) or 0
    return report
