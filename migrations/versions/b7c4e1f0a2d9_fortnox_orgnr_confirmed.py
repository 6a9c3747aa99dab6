"""fortnox connection: an admin's confirmation of a Fortnox company with another orgnr

Revision ID: b7c4e1f0a2d9
Revises: e206f9fd867f
Create Date: 2026-12-04 01:35:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db


revision: str = 'b7c4e1f0a2d9'
down_revision: str | Sequence[str] | None = 'e206f9fd867f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('fortnoxconnection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('orgnr_confirmed', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('orgnr_confirmed_at', app.db.AwareDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('orgnr_confirmed_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_fortnoxconnection_orgnr_confirmed_by_user', 'user', ['orgnr_confirmed_by'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('fortnoxconnection', schema=None) as batch_op:
        batch_op.drop_constraint('fk_fortnoxconnection_orgnr_confirmed_by_user', type_='foreignkey')
        batch_op.drop_column('orgnr_confirmed_by')
        batch_op.drop_column('orgnr_confirmed_at')
        batch_op.drop_column('orgnr_confirmed')
