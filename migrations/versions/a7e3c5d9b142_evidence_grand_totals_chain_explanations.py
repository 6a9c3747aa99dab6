"""evidence: the register's grand totals on each closure; explanations of Z-chain breaks

Revision ID: a7e3c5d9b142
Revises: bad0c9d8c604
Create Date: 2026-12-04 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db


revision: str = 'a7e3c5d9b142'
down_revision: str | Sequence[str] | None = 'bad0c9d8c604'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no backfill: no closure stored before this carried grand totals.
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grand_total_sales', app.db.Money(), nullable=True))
        batch_op.add_column(sa.Column('grand_total_returns', app.db.Money(), nullable=True))
    op.create_table('chainexplanation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('store_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('register_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('amount', app.db.Money(), nullable=True),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', app.db.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('chainexplanation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chainexplanation_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_chainexplanation_company_id_key', ['company_id', 'key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('chainexplanation', schema=None) as batch_op:
        batch_op.drop_index('ix_chainexplanation_company_id_key')
        batch_op.drop_index(batch_op.f('ix_chainexplanation_company_id'))
    op.drop_table('chainexplanation')
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.drop_column('grand_total_returns')
        batch_op.drop_column('grand_total_sales')
