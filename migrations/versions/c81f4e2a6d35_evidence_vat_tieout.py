"""evidence: the last VAT tie-out of each company's month

Revision ID: c81f4e2a6d35
Revises: a7e3c5d9b142
Create Date: 2026-12-04 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db


revision: str = 'c81f4e2a6d35'
down_revision: str | Sequence[str] | None = 'a7e3c5d9b142'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('vattieout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('read_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'month')
    )
    with op.batch_alter_table('vattieout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vattieout_company_id'), ['company_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('vattieout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vattieout_company_id'))
    op.drop_table('vattieout')
