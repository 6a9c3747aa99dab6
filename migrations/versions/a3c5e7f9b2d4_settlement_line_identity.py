"""settlement lines: a row's identity, so a later file adds to an open payout once (issue 17)

Revision ID: a3c5e7f9b2d4
Revises: c1ea0d5e9a17
Create Date: 2026-12-04 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "a3c5e7f9b2d4"
down_revision: str | Sequence[str] | None = "c1ea0d5e9a17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("settlementline") as batch:
        batch.add_column(
            sa.Column(
                "identity",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("settlementfile") as batch:
        batch.add_column(sa.Column("held_count", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("settlementfile") as batch:
        batch.drop_column("held_count")
    with op.batch_alter_table("settlementline") as batch:
        batch.drop_column("identity")
