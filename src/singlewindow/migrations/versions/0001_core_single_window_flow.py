"""core single-window flow

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 11:33:13.985929
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
import singlewindow.kit.db

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    
    op.create_table('audit_records',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_records'))
    )
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_records_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_records_subject'), ['subject'], unique=False)

    op.create_table('counterparties',
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('adapter', sa.String(length=40), nullable=False),
    sa.Column('endpoint', sa.String(length=500), nullable=False),
    sa.Column('auth_token', sa.String(length=200), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_counterparties'))
    )
    op.create_table('declarations',
    sa.Column('party_id', sa.Uuid(), nullable=False),
    sa.Column('reference', sa.String(length=35), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'in_review', 'inspection', 'released', 'rejected', 'cancelled', name='declarationstatus', native_enum=False, length=16), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('catalogue_version', sa.String(length=20), nullable=False),
    sa.Column('submitted_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declarations'))
    )
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.create_index('ix_declarations_party_created', ['party_id', 'created_at'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('party_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('declaration_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('party_id', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('inbox_messages',
    sa.Column('sender', sa.String(length=80), nullable=False),
    sa.Column('sender_message_id', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=True),
    sa.Column('content_type', sa.String(length=80), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('received_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_messages')),
    sa.UniqueConstraint('sender', 'sender_message_id', name=op.f('uq_inbox_messages_sender_sender_message_id'))
    )
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_inbox_subject', ['subject_id'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('destination', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=80), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('pending', 'delivered', 'dead', name='outboxstatus', native_enum=False, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('delivered_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['next_attempt_at'], unique=False, postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
        batch_op.create_index('ix_outbox_status_destination', ['status', 'destination'], unique=False)
        batch_op.create_index('ix_outbox_subject', ['subject_id'], unique=False)

    op.create_table('parties',
    sa.Column('kind', sa.Enum('enterprise', 'agency', 'operator', name='partykind', native_enum=False, length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('customs_code', sa.String(length=10), nullable=True),
    sa.Column('agency_code', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('roles', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties')),
    sa.UniqueConstraint('agency_code', name=op.f('uq_parties_agency_code')),
    sa.UniqueConstraint('customs_code', name=op.f('uq_parties_customs_code')),
    sa.UniqueConstraint('uscc', name=op.f('uq_parties_uscc'))
    )
    op.create_table('routing_rules',
    sa.Column('id', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('condition', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_rules'))
    )
    op.create_table('sim_agencies',
    sa.Column('agency', sa.String(length=40), nullable=False),
    sa.Column('inbound_token', sa.String(length=100), nullable=False),
    sa.Column('api_key', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('agency', name=op.f('pk_sim_agencies'))
    )
    op.create_table('sim_received',
    sa.Column('message_id', sa.String(length=120), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=True),
    sa.Column('body', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('received_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_sim_received'))
    )
    op.create_table('sim_replies',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=False),
    sa.Column('envelope', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('due_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('sent', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sim_replies'))
    )
    with op.batch_alter_table('sim_replies', schema=None) as batch_op:
        batch_op.create_index('ix_sim_replies_due', ['sent', 'due_at'], unique=False)

    op.create_table('agency_tasks',
    sa.Column('declaration_id', sa.Uuid(), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Enum('pending', 'in_review', 'inspection', 'released', 'rejected', 'withdrawn', name='taskstatus', native_enum=False, length=16), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('decided_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], name=op.f('fk_agency_tasks_declaration_id_declarations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_tasks')),
    sa.UniqueConstraint('declaration_id', 'agency', name=op.f('uq_agency_tasks_declaration_id_agency'))
    )
    op.create_table('api_keys',
    sa.Column('party_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('roles', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('revoked_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_api_keys_party_id_parties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash'))
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_party_id'), ['party_id'], unique=False)

    op.create_table('declaration_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('declaration_id', sa.Uuid(), nullable=False),
    sa.Column('at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], name=op.f('fk_declaration_events_declaration_id_declarations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration_events'))
    )
    with op.batch_alter_table('declaration_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_events_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('joint_inspections',
    sa.Column('declaration_id', sa.Uuid(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('agencies', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('results', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('completed_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], name=op.f('fk_joint_inspections_declaration_id_declarations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_inspections')),
    sa.UniqueConstraint('declaration_id', 'revision', name=op.f('uq_joint_inspections_declaration_id_revision'))
    )
    op.create_table('users',
    sa.Column('party_id', sa.Uuid(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_users_party_id_parties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_party_id'), ['party_id'], unique=False)

    op.create_table('webhooks',
    sa.Column('party_id', sa.Uuid(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('secret', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', singlewindow.kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_webhooks_party_id_parties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks'))
    )
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhooks_party_id'), ['party_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhooks_party_id'))

    op.drop_table('webhooks')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_party_id'))

    op.drop_table('users')
    op.drop_table('joint_inspections')
    with op.batch_alter_table('declaration_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_events_declaration_id'))

    op.drop_table('declaration_events')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_party_id'))

    op.drop_table('api_keys')
    op.drop_table('agency_tasks')
    with op.batch_alter_table('sim_replies', schema=None) as batch_op:
        batch_op.drop_index('ix_sim_replies_due')

    op.drop_table('sim_replies')
    op.drop_table('sim_received')
    op.drop_table('sim_agencies')
    op.drop_table('routing_rules')
    op.drop_table('parties')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_subject')
        batch_op.drop_index('ix_outbox_status_destination')
        batch_op.drop_index('ix_outbox_due', postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_subject')

    op.drop_table('inbox_messages')
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_index('ix_declarations_party_created')

    op.drop_table('declarations')
    op.drop_table('counterparties')
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_records_subject'))
        batch_op.drop_index(batch_op.f('ix_audit_records_action'))

    op.drop_table('audit_records')
    
