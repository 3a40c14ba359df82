"""The stored rule table; its ``position`` keeps the order rules are evaluated in."""

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.db import Base


class RoutingRule(Base):
    __tablename__ = "routing_rules"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int] = mapped_column()
    document_type: Mapped[str] = mapped_column(String(40), server_default="cargo_declaration")
    agency: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(300), default="")
    condition: Mapped[dict[str, Any]] = mapped_column()
    enabled: Mapped[bool] = mapped_column(default=True)
