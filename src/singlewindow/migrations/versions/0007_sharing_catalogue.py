"""sharing: data classes, access requests, grants, the store of shared records, deliveries, the access log

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import singlewindow.kit.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = singlewindow.kit.db.UtcDateTime
JsonDoc = singlewindow.kit.db.JsonDoc


def upgrade() -> None:
    op.create_table(
        "sharing_data_classes",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("publisher", sa.String(length=40), nullable=False),
        sa.Column(
            "source",
            sa.Enum("released_declarations", "enterprise_credit", name="source", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("document_types", JsonDoc, nullable=False),
        sa.Column("elements", JsonDoc, nullable=False),
        sa.Column("fields", JsonDoc, nullable=False),
        sa.Column("published_by", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_data_classes")),
        sa.UniqueConstraint("code", name=op.f("uq_sharing_data_classes_code")),
    )
    op.create_index(op.f("ix_sharing_data_classes_publisher"), "sharing_data_classes", ["publisher"], unique=False)
    op.create_table(
        "sharing_records",
        sa.Column(
            "source",
            sa.Enum("released_declarations", "enterprise_credit", name="source", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("subject_key", sa.String(length=64), nullable=False),
        sa.Column("document_type", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("data", JsonDoc, nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("available_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_records")),
        sa.UniqueConstraint("source", "subject_key", name=op.f("uq_sharing_records_source_subject_key")),
    )
    op.create_index(
        "ix_sharing_records_available", "sharing_records", ["source", "available", "available_at"], unique=False
    )
    op.create_table(
        "sharing_access_log",
        sa.Column("at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("data_class_id", sa.Uuid(), nullable=False),
        sa.Column("publisher", sa.String(length=40), nullable=False),
        sa.Column("subscriber", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.Enum("query", "push", name="channel", native_enum=False, length=16), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("grant_id", sa.Uuid(), nullable=True),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_class_id"],
            ["sharing_data_classes.id"],
            name=op.f("fk_sharing_access_log_data_class_id_sharing_data_classes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_access_log")),
    )
    op.create_index(op.f("ix_sharing_access_log_data_class_id"), "sharing_access_log", ["data_class_id"], unique=False)
    op.create_index("ix_sharing_access_log_publisher_at", "sharing_access_log", ["publisher", "at"], unique=False)
    op.create_table(
        "sharing_record_facets",
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["sharing_records.id"], name=op.f("fk_sharing_record_facets_record_id_sharing_records")
        ),
        sa.PrimaryKeyConstraint("record_id", "name", "value", name=op.f("pk_sharing_record_facets")),
    )
    op.create_index(
        "ix_sharing_record_facets_lookup", "sharing_record_facets", ["name", "value", "record_id"], unique=False
    )
    op.create_table(
        "sharing_requests",
        sa.Column("data_class_id", sa.Uuid(), nullable=False),
        sa.Column("requester", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=1000), nullable=False),
        sa.Column("elements", JsonDoc, nullable=False),
        sa.Column("push", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "granted", "refused", name="requeststatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_class_id"],
            ["sharing_data_classes.id"],
            name=op.f("fk_sharing_requests_data_class_id_sharing_data_classes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_requests")),
    )
    op.create_index(op.f("ix_sharing_requests_data_class_id"), "sharing_requests", ["data_class_id"], unique=False)
    op.create_index(op.f("ix_sharing_requests_requester"), "sharing_requests", ["requester"], unique=False)
    op.create_table(
        "sharing_grants",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("data_class_id", sa.Uuid(), nullable=False),
        sa.Column("subscriber", sa.String(length=40), nullable=False),
        sa.Column("elements", JsonDoc, nullable=False),
        sa.Column("filters", JsonDoc, nullable=False),
        sa.Column("push", sa.Boolean(), nullable=False),
        sa.Column("expires_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(length=80), nullable=False),
        sa.Column("revoked_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=80), nullable=True),
        sa.Column("revoke_reason", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_class_id"],
            ["sharing_data_classes.id"],
            name=op.f("fk_sharing_grants_data_class_id_sharing_data_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["sharing_requests.id"], name=op.f("fk_sharing_grants_request_id_sharing_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_grants")),
    )
    op.create_index(
        "ix_sharing_grants_class_subscriber", "sharing_grants", ["data_class_id", "subscriber"], unique=False
    )
    op.create_index(op.f("ix_sharing_grants_request_id"), "sharing_grants", ["request_id"], unique=False)
    op.create_index(op.f("ix_sharing_grants_subscriber"), "sharing_grants", ["subscriber"], unique=False)
    op.create_table(
        "sharing_deliveries",
        sa.Column("grant_id", sa.Uuid(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"], ["sharing_grants.id"], name=op.f("fk_sharing_deliveries_grant_id_sharing_grants")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["sharing_records.id"], name=op.f("fk_sharing_deliveries_record_id_sharing_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_deliveries")),
        sa.UniqueConstraint(
            "grant_id", "record_id", "revision", name=op.f("uq_sharing_deliveries_grant_id_record_id_revision")
        ),
    )


def downgrade() -> None:
    op.drop_table("sharing_deliveries")
    op.drop_index(op.f("ix_sharing_grants_subscriber"), table_name="sharing_grants")
    op.drop_index(op.f("ix_sharing_grants_request_id"), table_name="sharing_grants")
    op.drop_index("ix_sharing_grants_class_subscriber", table_name="sharing_grants")
    op.drop_table("sharing_grants")
    op.drop_index(op.f("ix_sharing_requests_requester"), table_name="sharing_requests")
    op.drop_index(op.f("ix_sharing_requests_data_class_id"), table_name="sharing_requests")
    op.drop_table("sharing_requests")
    op.drop_index("ix_sharing_record_facets_lookup", table_name="sharing_record_facets")
    op.drop_table("sharing_record_facets")
    op.drop_index("ix_sharing_access_log_publisher_at", table_name="sharing_access_log")
    op.drop_index(op.f("ix_sharing_access_log_data_class_id"), table_name="sharing_access_log")
    op.drop_table("sharing_access_log")
    op.drop_index("ix_sharing_records_available", table_name="sharing_records")
    op.drop_table("sharing_records")
    op.drop_index(op.f("ix_sharing_data_classes_publisher"), table_name="sharing_data_classes")
    op.drop_table("sharing_data_classes")
