"""bank: payout fee vouchers, one per company and payout, with their posting state (issue 17)

Revision ID: f7e2b4c19d30
Revises: 1cc79ba5dbaf
Create Date: 2026-12-04 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = 'f7e2b4c19d30'
down_revision: str | Sequence[str] | None = '1cc79ba5dbaf'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('payoutfee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('payout_reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('acquirer', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('payout_date', sa.Date(), nullable=False),
    sa.Column('amount', app.db.Money(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('state_version', sa.Integer(), nullable=False),
    sa.Column('state_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('hold_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('state_changed_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('outcome_unknown', sa.Boolean(), nullable=False),
    sa.Column('voucher_series', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('voucher_number', sa.Integer(), nullable=True),
    sa.Column('voucher_year', sa.Integer(), nullable=True),
    sa.Column('posted_at', app.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['settlementfile.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'payout_reference')
    )
    with op.batch_alter_table('payoutfee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payoutfee_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payoutfee_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payoutfee_state'), ['state'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('payoutfee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payoutfee_state'))
        batch_op.drop_index(batch_op.f('ix_payoutfee_file_id'))
        batch_op.drop_index(batch_op.f('ix_payoutfee_company_id'))
    op.drop_table('payoutfee')
