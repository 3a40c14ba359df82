"""The simulators' own storage: what they received and the answers they still owe."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base


class SimulatedAgency(Base):
    __tablename__ = "sim_agencies"

    agency: Mapped[str] = mapped_column(String(40), primary_key=True)
    inbound_token: Mapped[str] = mapped_column(String(100))
    api_key: Mapped[str] = mapped_column(String(100))


class SimulatorReceived(Base):
    __tablename__ = "sim_received"

    message_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    agency: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    body: Mapped[dict[str, Any]] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class SimulatorReply(Base):
    __tablename__ = "sim_replies"
    __table_args__ = (Index("ix_sim_replies_due", "sent", "due_at"),)

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    agency: Mapped[str] = mapped_column(String(40))
    envelope: Mapped[dict[str, Any]] = mapped_column()
    due_at: Mapped[datetime] = mapped_column()
    sent: Mapped[bool] = mapped_column(default=False)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(300), default=None)
