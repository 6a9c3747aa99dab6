"""clearing: takings matched to settlements, payouts and the bank; aliases, settings (issue 17)

Revision ID: c1ea0d5e9a17
Revises: f7e2b4c19d30
Create Date: 2026-12-04 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.db

revision: str = "c1ea0d5e9a17"
down_revision: str | Sequence[str] | None = "f7e2b4c19d30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def _company() -> list:
    return [
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], ondelete="CASCADE"),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "clearingalias",
        sa.Column("id", sa.Integer(), nullable=False),
        *_company(),
        sa.Column("kind", S(length=10), nullable=False),
        sa.Column("word", S(length=80), nullable=False),
        sa.Column("code", S(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "kind", "word"),
    )
    op.create_table(
        "clearingsetting",
        *_company(),
        sa.Column("late_after", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("company_id"),
    )
    op.create_table(
        "clearingday",
        sa.Column("id", sa.Integer(), nullable=False),
        *_company(),
        sa.Column("store_code", S(length=40), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("method", S(length=40), nullable=False),
        sa.Column("account", S(length=4), nullable=False),
        *(
            sa.Column(name, app.db.Money(), nullable=False)
            for name in ("takings", "settled", "refunds", "fees", "in_bank")
        ),
        sa.Column("status", S(length=12), nullable=False),
        sa.Column("difference", app.db.Money(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        *(
            sa.Column(name, sa.JSON(), nullable=False)
            for name in ("closure_ids", "line_ids", "payouts", "entry_ids")
        ),
        sa.Column("computed_at", app.db.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "store_code", "business_date", "method"),
    )
    op.create_table(
        "clearingpayout",
        sa.Column("id", sa.Integer(), nullable=False),
        *_company(),
        sa.Column("kind", S(length=10), nullable=False),
        sa.Column("reference", S(length=100), nullable=False),
        sa.Column("account", S(length=4), nullable=False),
        sa.Column("store_code", S(length=40), nullable=False),
        sa.Column("pay_date", sa.Date(), nullable=True),
        *(
            sa.Column(name, app.db.Money(), nullable=False)
            for name in ("gross", "fees", "amount", "in_bank")
        ),
        sa.Column("booked_on", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("how", S(length=10), nullable=False),
        sa.Column("difference", app.db.Money(), nullable=False),
        *(sa.Column(name, sa.JSON(), nullable=False) for name in ("entry_ids", "line_ids", "days")),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "kind", "reference"),
    )
    op.create_table(
        "clearingdecision",
        sa.Column("id", sa.Integer(), nullable=False),
        *_company(),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("action", S(length=10), nullable=False),
        sa.Column("kind", S(length=10), nullable=False),
        sa.Column("reference", S(length=100), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", app.db.AwareDateTime(timezone=True), nullable=False),
        sa.Column("note", S(length=500), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["bankentry.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "entry_id"),
    )
    for table in ("clearingalias", "clearingday", "clearingpayout", "clearingdecision"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_company_id"), ["company_id"])
    with op.batch_alter_table("clearingday", schema=None) as batch_op:
        batch_op.create_index(
            "ix_clearingday_company_id_business_date", ["company_id", "business_date"]
        )


def downgrade() -> None:
    """Downgrade schema."""
    for table in (
        "clearingdecision",
        "clearingpayout",
        "clearingday",
        "clearingsetting",
        "clearingalias",
    ):
        op.drop_table(table)
