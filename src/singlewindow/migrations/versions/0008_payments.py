"""payments: duty assessments, payment orders, payments, receipts, customs exchange rates, port charges, simulated bank

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from singlewindow.kit.db import JsonDoc, UtcDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _money(name: str) -> sa.Column:
    return sa.Column(name, sa.String(length=40), nullable=False)


def upgrade() -> None:
    op.create_table(
        "duty_assessments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        _money("customs_value"),
        _money("duty"),
        _money("consumption_tax"),
        _money("vat"),
        _money("total"),
        sa.Column("items", JsonDoc, nullable=False),
        sa.Column("notes", JsonDoc, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_assessments")),
        sa.UniqueConstraint("declaration_id", "revision", name=op.f("uq_duty_assessments_declaration_id_revision")),
    )
    op.create_index(op.f("ix_duty_assessments_declaration_id"), "duty_assessments", ["declaration_id"])
    op.create_index(op.f("ix_duty_assessments_party_id"), "duty_assessments", ["party_id"])
    op.create_table(
        "payment_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("declaration_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        _money("amount"),
        _money("credited"),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "status",
            sa.Enum("awaiting_payment", "paid", "guaranteed", "cancelled", name="orderstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("guarantee", sa.String(length=80), nullable=True),
        sa.Column("settled_at", UtcDateTime(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_orders")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_payment_orders_assessment_id")),
    )
    op.create_index(op.f("ix_payment_orders_declaration_id"), "payment_orders", ["declaration_id"])
    op.create_index(op.f("ix_payment_orders_party_id"), "payment_orders", ["party_id"])
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("bank", sa.String(length=40), nullable=False),
        sa.Column("payer_account", sa.String(length=40), nullable=False),
        _money("amount"),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "accepted", "declined", "failed", name="paymentstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("bank_reference", sa.String(length=80), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("order_id", "idempotency_key", name=op.f("uq_payments_order_id_idempotency_key")),
    )
    op.create_index(op.f("ix_payments_order_id"), "payments", ["order_id"])
    op.create_table(
        "payment_receipts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("document", JsonDoc, nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=False),
        sa.Column("key_id", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_receipts")),
        sa.UniqueConstraint("order_id", name=op.f("uq_payment_receipts_order_id")),
        sa.UniqueConstraint("number", name=op.f("uq_payment_receipts_number")),
    )
    op.create_table(
        "customs_exchange_rates",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        _money("rate"),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("currency", "month", name=op.f("pk_customs_exchange_rates")),
    )
    op.create_table(
        "port_charges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("port", sa.String(length=5), nullable=False),
        sa.Column("operator", sa.String(length=200), nullable=False),
        sa.Column("service_code", sa.String(length=40), nullable=False),
        sa.Column("service_zh", sa.String(length=200), nullable=False),
        sa.Column("service_en", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        _money("standard"),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("pricing", sa.String(length=40), nullable=False),
        sa.Column("basis", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_port_charges")),
        sa.UniqueConstraint(
            "port", "operator", "service_code", "unit", name=op.f("uq_port_charges_port_operator_service_code_unit")
        ),
    )
    op.create_index("ix_port_charges_service", "port_charges", ["service_code"])
    op.create_table(
        "simulated_bank_accounts",
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        _money("balance"),
        sa.Column("behaviour", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_simulated_bank_accounts")),
    )
    op.create_table(
        "simulated_bank_debits",
        sa.Column("instruction_id", sa.Uuid(), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        _money("amount"),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("instruction_id", name=op.f("pk_simulated_bank_debits")),
    )


def downgrade() -> None:
    for table in (
        "simulated_bank_debits",
        "simulated_bank_accounts",
        "port_charges",
        "customs_exchange_rates",
        "payment_receipts",
        "payments",
        "payment_orders",
        "duty_assessments",
    ):
        op.drop_table(table)
