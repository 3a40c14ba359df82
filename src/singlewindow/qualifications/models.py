"""Qualification applications and their grants."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin, str_enum


class QualificationStatus(enum.StrEnum):
    APPLIED = "applied"
    GRANTED = "granted"
    REFUSED = "refused"


class Qualification(IdMixin, CreatedMixin, Base):
    __tablename__ = "qualifications"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    agency: Mapped[str] = mapped_column(String(40))
    status: Mapped[QualificationStatus] = mapped_column(str_enum(QualificationStatus))
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    applied_by: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
