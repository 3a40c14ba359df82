"""The licence registry: licences, their goods lines with balances, each use, and applications.

Balances are integer units (see ``balance.py``). The CHECK constraints are the last line
of defence: whatever the code does, a line can never be used or reserved past what it allows.
"""

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin, str_enum


class LicenceStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXHAUSTED = "exhausted"


class UseState(enum.StrEnum):
    RESERVED = "reserved"
    WRITTEN_OFF = "written_off"
    RELEASED = "released"


class Licence(IdMixin, CreatedMixin, Base):
    __tablename__ = "licences"

    number: Mapped[str] = mapped_column(String(35), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    agency: Mapped[str] = mapped_column(String(40), index=True)
    holder_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    holder_uscc: Mapped[str | None] = mapped_column(String(18), default=None)
    holder_name: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[LicenceStatus] = mapped_column(str_enum(LicenceStatus))
    revoked_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    application_id: Mapped[uuid.UUID | None] = mapped_column(unique=True, default=None)
    """The licence application (a declaration of type ``licence_application``) it was issued on, if any."""
    issued_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LicenceGoods(IdMixin, Base):
    """One goods line: the HS code (or prefix) covered, and a quantity and/or value balance."""

    __tablename__ = "licence_goods"
    __table_args__ = (
        UniqueConstraint("licence_id", "line"),
        CheckConstraint("quantity_allowed IS NOT NULL OR value_allowed IS NOT NULL", name="limited"),
        CheckConstraint(
            "quantity_used >= 0 AND quantity_reserved >= 0 AND value_used >= 0 AND value_reserved >= 0",
            name="non_negative",
        ),
        CheckConstraint(
            "quantity_allowed IS NULL OR quantity_used + quantity_reserved <= quantity_allowed", name="quantity_within"
        ),
        CheckConstraint("value_allowed IS NULL OR value_used + value_reserved <= value_allowed", name="value_within"),
    )

    licence_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("licences.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    hs_code: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(String(255))
    unit: Mapped[str | None] = mapped_column(String(3), default=None)
    quantity_allowed: Mapped[int | None] = mapped_column(BigInteger, default=None)
    quantity_used: Mapped[int] = mapped_column(BigInteger, default=0)
    quantity_reserved: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str | None] = mapped_column(String(3), default=None)
    value_allowed: Mapped[int | None] = mapped_column(BigInteger, default=None)
    value_used: Mapped[int] = mapped_column(BigInteger, default=0)
    value_reserved: Mapped[int] = mapped_column(BigInteger, default=0)


class LicenceUse(IdMixin, CreatedMixin, Base):
    """One goods item of one declaration revision drawing on a line: reserved, then written off or released."""

    __tablename__ = "licence_uses"

    licence_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("licences.id"), index=True)
    goods_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("licence_goods.id"))
    declaration_id: Mapped[uuid.UUID] = mapped_column(index=True)
    reference: Mapped[str] = mapped_column(String(35))
    revision: Mapped[int] = mapped_column(Integer)
    item: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[UseState] = mapped_column(str_enum(UseState))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LicenceApplication(CreatedMixin, Base):
    """The latest submitted revision of a licence application, kept to issue the licence on release."""

    __tablename__ = "licence_applications"

    declaration_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id"), index=True)
    reference: Mapped[str] = mapped_column(String(35))
    revision: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]


class LicenceSequence(Base):
    """The last serial issued per number prefix (``26-AL``), advanced by one conditional UPDATE."""

    __tablename__ = "licence_sequences"

    prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
