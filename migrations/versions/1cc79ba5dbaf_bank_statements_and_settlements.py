"""bank: camt.053 statement files, statements and entries; settlement files, lines and profiles (issue 17)

Revision ID: 1cc79ba5dbaf
Revises: e5d1a7c3b9f2
Create Date: 2026-12-04 11:45:15.120330
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db


revision: str = '1cc79ba5dbaf'
down_revision: str | Sequence[str] | None = 'e5d1a7c3b9f2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bankstatementfile',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('received_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('created_at_bank', app.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('statement_count', sa.Integer(), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'sha256')
    )
    with op.batch_alter_table('bankstatementfile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankstatementfile_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankstatementfile_received_at'), ['received_at'], unique=False)

    op.create_table('settlementfile',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('received_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'sha256')
    )
    with op.batch_alter_table('settlementfile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_settlementfile_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_settlementfile_received_at'), ['received_at'], unique=False)

    op.create_table('settlementprofile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('saved_by', sa.Integer(), nullable=True),
    sa.Column('saved_at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_by'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'name')
    )
    with op.batch_alter_table('settlementprofile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_settlementprofile_company_id'), ['company_id'], unique=False)

    op.create_table('bankstatement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('account', sqlmodel.sql.sqltypes.AutoString(length=70), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('from_at', app.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('to_at', app.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('opening_balance', app.db.Money(), nullable=True),
    sa.Column('closing_balance', app.db.Money(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['bankstatementfile.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'account', 'statement_id')
    )
    with op.batch_alter_table('bankstatement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankstatement_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankstatement_file_id'), ['file_id'], unique=False)

    op.create_table('settlementline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('raw_type', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('transaction_date', sa.Date(), nullable=True),
    sa.Column('store', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('payment_method', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('gross', app.db.Money(), nullable=False),
    sa.Column('fee', app.db.Money(), nullable=True),
    sa.Column('net', app.db.Money(), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('payout_reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('payout_date', sa.Date(), nullable=True),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['settlementfile.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('settlementline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_settlementline_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_settlementline_company_id_payout_reference', ['company_id', 'payout_reference'], unique=False)
        batch_op.create_index('ix_settlementline_company_id_transaction_date', ['company_id', 'transaction_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_settlementline_file_id'), ['file_id'], unique=False)

    op.create_table('bankentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('statement_pk', sa.Integer(), nullable=False),
    sa.Column('entry_no', sa.Integer(), nullable=False),
    sa.Column('tx_no', sa.Integer(), nullable=False),
    sa.Column('tx_count', sa.Integer(), nullable=False),
    sa.Column('account', sqlmodel.sql.sqltypes.AutoString(length=70), nullable=False),
    sa.Column('amount', app.db.Money(), nullable=False),
    sa.Column('credit_debit', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('signed_amount', app.db.Money(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('reversal', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('booking_date', sa.Date(), nullable=True),
    sa.Column('value_date', sa.Date(), nullable=True),
    sa.Column('entry_reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('account_servicer_ref', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('end_to_end_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('remittance', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('creditor_reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('bank_transaction_code', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('counterparty', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('additional_info', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_pk'], ['bankstatement.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('bankentry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bankentry_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_bankentry_company_id_account_servicer_ref', ['company_id', 'account_servicer_ref'], unique=False)
        batch_op.create_index('ix_bankentry_company_id_booking_date', ['company_id', 'booking_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_bankentry_statement_pk'), ['statement_pk'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('bankentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankentry_statement_pk'))
        batch_op.drop_index('ix_bankentry_company_id_booking_date')
        batch_op.drop_index('ix_bankentry_company_id_account_servicer_ref')
        batch_op.drop_index(batch_op.f('ix_bankentry_company_id'))

    op.drop_table('bankentry')
    with op.batch_alter_table('settlementline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_settlementline_file_id'))
        batch_op.drop_index('ix_settlementline_company_id_transaction_date')
        batch_op.drop_index('ix_settlementline_company_id_payout_reference')
        batch_op.drop_index(batch_op.f('ix_settlementline_company_id'))

    op.drop_table('settlementline')
    with op.batch_alter_table('bankstatement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankstatement_file_id'))
        batch_op.drop_index(batch_op.f('ix_bankstatement_company_id'))

    op.drop_table('bankstatement')
    with op.batch_alter_table('settlementprofile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_settlementprofile_company_id'))

    op.drop_table('settlementprofile')
    with op.batch_alter_table('settlementfile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_settlementfile_received_at'))
        batch_op.drop_index(batch_op.f('ix_settlementfile_company_id'))

    op.drop_table('settlementfile')
    with op.batch_alter_table('bankstatementfile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bankstatementfile_received_at'))
        batch_op.drop_index(batch_op.f('ix_bankstatementfile_company_id'))

    op.drop_table('bankstatementfile')
