"""Declarations, their agency tasks, timeline, joint inspections and idempotency keys."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.declarations.lifecycle import DeclarationStatus, TaskStatus
from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin, str_enum

_BigId = BigInteger().with_variant(Integer(), "sqlite")


class Declaration(IdMixin, CreatedMixin, Base):
    __tablename__ = "declarations"
    __table_args__ = (Index("ix_declarations_party_created", "party_id", "created_at"),)

    party_id: Mapped[uuid.UUID] = mapped_column()
    reference: Mapped[str] = mapped_column(String(35))
    document_type: Mapped[str] = mapped_column(String(40), server_default="cargo_declaration")
    type: Mapped[str] = mapped_column(String(16))
    """The kind within the document type: import/export for a cargo declaration, A/D for a vessel's movement."""
    status: Mapped[DeclarationStatus] = mapped_column(str_enum(DeclarationStatus))
    revision: Mapped[int] = mapped_column(default=1)
    data: Mapped[dict[str, Any]] = mapped_column()
    catalogue_version: Mapped[str] = mapped_column(String(20))
    submitted_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgencyTask(IdMixin, Base):
    __tablename__ = "agency_tasks"
    __table_args__ = (UniqueConstraint("declaration_id", "agency"),)

    declaration_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("declarations.id"))
    agency: Mapped[str] = mapped_column(String(40))
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus))
    revision: Mapped[int] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeclarationEvent(Base):
    __tablename__ = "declaration_events"

    id: Mapped[int] = mapped_column(_BigId, primary_key=True)
    declaration_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("declarations.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    agency: Mapped[str | None] = mapped_column(String(40), default=None)
    revision: Mapped[int] = mapped_column()
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class JointInspection(IdMixin, CreatedMixin, Base):
    __tablename__ = "joint_inspections"
    __table_args__ = (UniqueConstraint("declaration_id", "revision"),)

    declaration_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("declarations.id"))
    revision: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="open")
    agencies: Mapped[list[Any]] = mapped_column(default=list)
    results: Mapped[dict[str, Any]] = mapped_column(default=dict)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)


class IdempotencyKey(CreatedMixin, Base):
    __tablename__ = "idempotency_keys"

    party_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    declaration_id: Mapped[uuid.UUID] = mapped_column()
    response_status: Mapped[int | None] = mapped_column(default=None)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    """The first response, replayed byte for byte to a repeat (as Stripe does)."""
