"""identity: qualifications, credit level, delegations, verification mail, lockout, TOTP, token versions

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import singlewindow.kit.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = singlewindow.kit.db.UtcDateTime


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def upgrade() -> None:
    with op.batch_alter_table("parties") as batch:
        batch.add_column(sa.Column("legal_representative", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("email_verified_at", UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("email_token_hash", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column(
                "credit_level",
                _enum("creditlevel", "aeo_advanced", "aeo_general", "general", "untrustworthy"),
                nullable=True,
            )
        )
        batch.create_index("ix_parties_email_token_hash", ["email_token_hash"], unique=False)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("token_version", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_enabled", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "delegations",
        sa.Column("client_party_id", sa.Uuid(), nullable=False),
        sa.Column("broker_party_id", sa.Uuid(), nullable=False),
        sa.Column("granted_by", sa.String(length=80), nullable=False),
        sa.Column("revoked_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_party_id"], ["parties.id"], name=op.f("fk_delegations_client_party_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["broker_party_id"], ["parties.id"], name=op.f("fk_delegations_broker_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegations")),
    )
    op.create_index("ix_delegations_client_party_id", "delegations", ["client_party_id"])
    op.create_index("ix_delegations_broker_party_id", "delegations", ["broker_party_id"])
    op.create_table(
        "mail_messages",
        sa.Column("to", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(length=4000), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_messages")),
    )
    op.create_index("ix_mail_messages_to", "mail_messages", ["to"])
    op.create_table(
        "qualifications",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("status", _enum("qualificationstatus", "applied", "granted", "refused"), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("applied_by", sa.String(length=80), nullable=False),
        sa.Column("decided_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name=op.f("fk_qualifications_party_id_parties")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualifications")),
    )
    op.create_index("ix_qualifications_party_id", "qualifications", ["party_id"])


def downgrade() -> None:
    op.drop_table("qualifications")
    op.drop_table("mail_messages")
    op.drop_table("delegations")
    with op.batch_alter_table("users") as batch:
        for column in ("totp_enabled", "totp_secret", "locked_until", "failed_logins", "token_version"):
            batch.drop_column(column)
    with op.batch_alter_table("parties") as batch:
        batch.drop_index("ix_parties_email_token_hash")
        for column in (
            "credit_level",
            "email_token_hash",
            "email_verified_at",
            "contact_email",
            "legal_representative",
        ):
            batch.drop_column(column)
