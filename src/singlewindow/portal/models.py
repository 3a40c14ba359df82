"""Declaration drafts: what a trader typed but has not submitted, kept as the form left it."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin


class Draft(IdMixin, CreatedMixin, Base):
    __tablename__ = "portal_drafts"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    saved_by: Mapped[str] = mapped_column(String(80))
    reference: Mapped[str] = mapped_column(String(35), default="")
    data: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
