"""Assessments, payment orders, payments, receipts, customs exchange rates, port charges, the simulated bank.

Money is stored as its exact decimal text (``Money``): SQLite has no exact decimal type,
and amounts are summed in Python, never in SQL.
"""

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Dialect, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from singlewindow.kit.clock import utcnow
from singlewindow.kit.db import Base, CreatedMixin, IdMixin, str_enum


class Money(TypeDecorator[Decimal]):
    """A Decimal kept as its exact text on every backend."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class OrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    GUARANTEED = "guaranteed"
    CANCELLED = "cancelled"


SETTLED = frozenset({OrderStatus.PAID, OrderStatus.GUARANTEED})


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    FAILED = "failed"


class Assessment(IdMixin, CreatedMixin, Base):
    __tablename__ = "duty_assessments"
    __table_args__ = (UniqueConstraint("declaration_id", "revision"),)

    declaration_id: Mapped[uuid.UUID] = mapped_column(index=True)
    revision: Mapped[int]
    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    reference: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    customs_value: Mapped[Decimal] = mapped_column(Money())
    duty: Mapped[Decimal] = mapped_column(Money())
    consumption_tax: Mapped[Decimal] = mapped_column(Money())
    vat: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    items: Mapped[list[Any]]
    notes: Mapped[list[Any]]


class PaymentOrder(IdMixin, CreatedMixin, Base):
    __tablename__ = "payment_orders"

    assessment_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    declaration_id: Mapped[uuid.UUID] = mapped_column(index=True)
    revision: Mapped[int]
    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    reference: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Money())
    credited: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus))
    guarantee: Mapped[str | None] = mapped_column(String(80), default=None)
    settled_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Payment(IdMixin, CreatedMixin, Base):
    """One attempt to pay an order through a bank; the key makes a retried request the same attempt."""

    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("order_id", "idempotency_key"),)

    order_id: Mapped[uuid.UUID] = mapped_column(index=True)
    idempotency_key: Mapped[str] = mapped_column(String(120))
    bank: Mapped[str] = mapped_column(String(40))
    payer_account: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PaymentStatus] = mapped_column(str_enum(PaymentStatus))
    bank_reference: Mapped[str | None] = mapped_column(String(80), default=None)
    reason: Mapped[str | None] = mapped_column(String(300), default=None)
    actor: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class Receipt(IdMixin, Base):
    """The electronic tax payment receipt (电子缴款凭证): the document, its signature and the key that signed it."""

    __tablename__ = "payment_receipts"

    order_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    document: Mapped[dict[str, Any]]
    signature: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[str] = mapped_column(String(80))


class CustomsRate(Base):
    """Yuan per one unit of a currency, as customs applies it throughout one month."""

    __tablename__ = "customs_exchange_rates"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Money())
    published_on: Mapped[date] = mapped_column(Date())
    source: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PortCharge(IdMixin, Base):
    """One published charge: what a port operator charges for a service, at what standard, per what unit."""

    __tablename__ = "port_charges"
    __table_args__ = (
        UniqueConstraint("port", "operator", "service_code", "unit"),
        Index("ix_port_charges_service", "service_code"),
    )

    port: Mapped[str] = mapped_column(String(5))
    operator: Mapped[str] = mapped_column(String(200))
    service_code: Mapped[str] = mapped_column(String(40))
    service_zh: Mapped[str] = mapped_column(String(200))
    service_en: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))
    standard: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    pricing: Mapped[str] = mapped_column(String(40))
    basis: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(500))
    illustrative: Mapped[bool]
    effective_from: Mapped[date] = mapped_column(Date())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SimulatedAccount(Base):
    """An account at the demo's simulated bank, and how the bank treats instructions from it."""

    __tablename__ = "simulated_bank_accounts"

    account: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    balance: Mapped[Decimal] = mapped_column(Money())
    behaviour: Mapped[str] = mapped_column(String(16))


class SimulatedDebit(Base):
    """A debit the simulated bank made, one per payment instruction however often it is delivered."""

    __tablename__ = "simulated_bank_debits"

    instruction_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Money())
    at: Mapped[datetime] = mapped_column(default=utcnow)
