"""Parties, users, API keys, delegations and verification mail."""

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


class CreditLevel(enum.StrEnum):
    """China Customs enterprise credit levels; only the customs agency changes them."""

    AEO_ADVANCED = "aeo_advanced"
    AEO_GENERAL = "aeo_general"
    GENERAL = "general"
    UNTRUSTWORTHY = "untrustworthy"


class Party(IdMixin, CreatedMixin, Base):
    __tablename__ = "parties"

    kind: Mapped[PartyKind] = mapped_column(str_enum(PartyKind))
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    customs_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    agency_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    roles: Mapped[list[Any]] = mapped_column(default=list)
    legal_representative: Mapped[str | None] = mapped_column(String(100), default=None)
    contact_email: Mapped[str | None] = mapped_column(String(254), default=None)
    email_verified_at: Mapped[datetime | None] = mapped_column(default=None)
    email_token_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    credit_level: Mapped[CreditLevel | None] = mapped_column(str_enum(CreditLevel), default=None)


class User(IdMixin, CreatedMixin, Base):
    __tablename__ = "users"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    token_version: Mapped[int] = mapped_column(default=0)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    totp_enabled: Mapped[bool] = mapped_column(default=False)


class ApiKey(IdMixin, CreatedMixin, Base):
    __tablename__ = "api_keys"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    roles: Mapped[list[Any]] = mapped_column(default=list)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Delegation(IdMixin, CreatedMixin, Base):
    """A client enterprise lets a customs broker declare in its name until it revokes."""

    __tablename__ = "delegations"

    client_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    broker_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    granted_by: Mapped[str] = mapped_column(String(80))
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class MailMessage(IdMixin, CreatedMixin, Base):
    """Mail the platform sends, kept here (and relayed through the exchange when a mail counterparty is set)."""

    __tablename__ = "mail_messages"

    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(4000))
