"""Outbound and inbound messages (kept with their SHA-256: they are the archive) and counterparties."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import Index, LargeBinary, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin, str_enum


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    RELAYED = "relayed"
    """Handed to the message broker (confirmed); the consumer that delivers it records the outcome."""
    DELIVERED = "delivered"
    DEAD = "dead"


class OutboxMessage(IdMixin, CreatedMixin, Base):
    """One message to one counterparty; its id is the message id the receiver dedups on."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index(
            "ix_outbox_due",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_outbox_subject", "subject_id"),
        Index("ix_outbox_status_destination", "status", "destination"),
    )

    destination: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    revision: Mapped[int | None] = mapped_column(default=None)
    content_type: Mapped[str] = mapped_column(String(80))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


class InboxMessage(IdMixin, Base):
    """One message received from a counterparty, unique on the sender's own message id."""

    __tablename__ = "inbox_messages"
    __table_args__ = (UniqueConstraint("sender", "sender_message_id"), Index("ix_inbox_subject", "subject_id"))

    sender: Mapped[str] = mapped_column(String(80))
    sender_message_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    content_type: Mapped[str] = mapped_column(String(80))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(200))


class Counterparty(Base):
    """A system the platform delivers to; adding an agency is a row, not code."""

    __tablename__ = "counterparties"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    adapter: Mapped[str] = mapped_column(String(40))
    endpoint: Mapped[str] = mapped_column(String(500))
    auth_token: Mapped[str | None] = mapped_column(String(200), default=None)
    enabled: Mapped[bool] = mapped_column(default=True)
