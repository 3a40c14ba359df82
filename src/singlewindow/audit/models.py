"""Audit records: appended, never updated, and sealed into a hash chain after the fact."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base

_BigId = BigInteger().with_variant(Integer(), "sqlite")


class AuditRecord(Base):
    """One action; ``seq`` and ``hash`` stay empty until the sealer links the record into the chain."""

    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(80), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seq: Mapped[int | None] = mapped_column(_BigId, default=None, unique=True)
    hash: Mapped[str | None] = mapped_column(String(64), default=None)


class AuditSeal(Base):
    """The chain's head after each sealing run: deleting the newest records cannot go unnoticed."""

    __tablename__ = "audit_seals"

    seq: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
