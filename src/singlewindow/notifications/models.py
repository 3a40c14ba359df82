"""Webhook subscriptions."""

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.db import Base, CreatedMixin, IdMixin


class Webhook(IdMixin, CreatedMixin, Base):
    __tablename__ = "webhooks"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
