"""reviews: the differences each review saw, so a later, other difference is not covered by it

Revision ID: d5e1a9c3b7f2
Revises: c81f4e2a6d35
Create Date: 2026-12-04 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5e1a9c3b7f2"
down_revision: str | Sequence[str] | None = "c81f4e2a6d35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing reviews keep NULL: what they saw is unknown, and they count as they did.
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("fingerprint")
