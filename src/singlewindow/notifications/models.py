"""Webhook subscriptions, and what a party is told on the portal."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.db import Base, CreatedMixin, IdMixin


class Webhook(IdMixin, CreatedMixin, Base):
    __tablename__ = "webhooks"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)


class PortalNotification(IdMixin, CreatedMixin, Base):
    """One thing a party is told on the portal's dashboard, until a user of the party marks it read.

    ``kind`` says what happened (``logistics.event``) and ``params`` its particulars, so the portal
    words it in the reader's language; ``link`` is the portal page that shows it.
    """

    __tablename__ = "portal_notifications"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    link: Mapped[str | None] = mapped_column(String(300), default=None)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
