"""Parties, users and API keys."""

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.db import Base, CreatedMixin, IdMixin, str_enum


class PartyKind(enum.StrEnum):
    ENTERPRISE = "enterprise"
    AGENCY = "agency"
    OPERATOR = "operator"


class Party(IdMixin, CreatedMixin, Base):
    __tablename__ = "parties"

    kind: Mapped[PartyKind] = mapped_column(str_enum(PartyKind))
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    customs_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    agency_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    roles: Mapped[list[Any]] = mapped_column(default=list)


class User(IdMixin, CreatedMixin, Base):
    __tablename__ = "users"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)


class ApiKey(IdMixin, CreatedMixin, Base):
    __tablename__ = "api_keys"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    roles: Mapped[list[Any]] = mapped_column(default=list)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
