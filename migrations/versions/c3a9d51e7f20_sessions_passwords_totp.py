"""sessions, passwords, two-factor: user session generation and TOTP, company require_totp,
password-reset tokens; the sign-in throttle moved to Redis (loginattempt dropped)

Revision ID: c3a9d51e7f20
Revises: b7c4e1f0a2d9
Create Date: 2026-12-04 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db


revision: str = 'c3a9d51e7f20'
down_revision: str | Sequence[str] | None = 'b7c4e1f0a2d9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('totp_secret', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('totp_enabled', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_totp', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('passwordreset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('used_at', app.db.AwareDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('passwordreset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passwordreset_token_hash'), ['token_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_passwordreset_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginattempt_email'))
        batch_op.drop_index(batch_op.f('ix_loginattempt_at'))
    op.drop_table('loginattempt')


def downgrade() -> None:
    op.create_table('loginattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('remote_addr', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginattempt_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_loginattempt_email'), ['email'], unique=False)
    with op.batch_alter_table('passwordreset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passwordreset_user_id'))
        batch_op.drop_index(batch_op.f('ix_passwordreset_token_hash'))
    op.drop_table('passwordreset')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('require_totp')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('session_generation')
