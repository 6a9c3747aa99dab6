"""fortnox connection: the web app's workspace id, for links to vouchers and invoices

Revision ID: f4b8a2c61d07
Revises: c3a9d51e7f20
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'f4b8a2c61d07'
down_revision: str | Sequence[str] | None = 'c3a9d51e7f20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('fortnoxconnection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('web_workspace', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('fortnoxconnection', schema=None) as batch_op:
        batch_op.drop_column('web_workspace')
