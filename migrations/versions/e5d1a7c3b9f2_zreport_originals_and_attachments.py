"""attachments: each posted closure's Z-report kept byte for byte, and its connection to the voucher

Revision ID: e5d1a7c3b9f2
Revises: d5e1a9c3b7f2
Create Date: 2026-12-11 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = 'e5d1a7c3b9f2'
down_revision: str | Sequence[str] | None = 'd5e1a9c3b7f2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('zreport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('closure_pk', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('keep_until', sa.Date(), nullable=False),
    sa.Column('pruned_at', app.db.AwareDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['closure_pk'], ['closure.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('closure_pk')
    )
    with op.batch_alter_table('zreport', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zreport_company_id'), ['company_id'], unique=False)

    op.create_table('zattachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('closure_pk', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('file_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('upload_unknown', sa.Boolean(), nullable=False),
    sa.Column('connect_unknown', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_at', app.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('connected_at', app.db.AwareDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['closure_pk'], ['closure.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('closure_pk')
    )
    with op.batch_alter_table('zattachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zattachment_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_zattachment_state'), ['state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('zattachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zattachment_state'))
        batch_op.drop_index(batch_op.f('ix_zattachment_company_id'))
    op.drop_table('zattachment')
    with op.batch_alter_table('zreport', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zreport_company_id'))
    op.drop_table('zreport')
