"""Exports followed from the core flow, the trader's purchase invoices, and refund applications."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin


class Money(TypeDecorator[Decimal]):
    """An exact amount stored as decimal text: SQLite has no exact numeric type, and a float never touches money."""

    impl = String(24)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else format(value, "f")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class RefundExport(Base):
    """An export cargo declaration of a trader, as submitted, and when it was released."""

    __tablename__ = "refund_exports"

    declaration_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    entry_number: Mapped[str] = mapped_column(String(18), unique=True)
    """The 18-character export declaration number a refund application quotes (see service.entry_number)."""
    reference: Mapped[str] = mapped_column(String(35))
    revision: Mapped[int] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3))
    data: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column()
    released_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PurchaseInvoice(IdMixin, CreatedMixin, Base):
    """A special VAT invoice (增值税专用发票) for goods the trader bought and exported."""

    __tablename__ = "refund_invoices"
    __table_args__ = (UniqueConstraint("party_id", "number"),)

    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    number: Mapped[str] = mapped_column(String(20))
    issued_on: Mapped[date] = mapped_column()
    supplier: Mapped[str] = mapped_column(String(200))
    hs_code: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Money())
    """The taxable amount (计税金额), VAT excluded, in CNY."""
    vat_amount: Mapped[Decimal] = mapped_column(Money())
    claimed_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    """The refund application (its declaration id) that claims this invoice; an invoice is claimed once."""


class RefundApplication(Base):
    """An ``export_tax_refund_application`` as submitted, its claim as computed here, and the tax bureau's answer."""

    __tablename__ = "refund_applications"

    declaration_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    reference: Mapped[str] = mapped_column(String(35))
    export_declaration_id: Mapped[uuid.UUID | None] = mapped_column(index=True, default=None)
    """The export this platform holds; None for an export declared elsewhere (passed to the bureau unchecked)."""
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    claimed_amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    approved_amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    lines: Mapped[list[Any]] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
