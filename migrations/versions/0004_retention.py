"""retention: feedback text erased after a per-plan period; pseudonyms for erased people

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RETENTION_CHECK = "feedback_retention_months BETWEEN 1 AND 120"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: rebuilding `plans` drops it, and with foreign keys on SQLite
        # refuses to drop a table other rows point at. A column-level CHECK can be added
        # in place (and dropped with its column).
        op.execute(
            "ALTER TABLE plans ADD COLUMN feedback_retention_months INTEGER NOT NULL "
            "DEFAULT 24 CONSTRAINT ck_plans_feedback_retention_months "
            f"CHECK ({RETENTION_CHECK})"
        )
    else:
        op.add_column(
            "plans",
            sa.Column(
                "feedback_retention_months", sa.Integer(), nullable=False, server_default="24"
            ),
        )
        op.create_check_constraint("feedback_retention_months", "plans", RETENTION_CHECK)
    op.add_column("feedback", sa.Column("text_erased_at", sa.DateTime(timezone=True)))
    op.create_table(
        "former_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_former_members")),
    )


def downgrade() -> None:
    op.drop_table("former_members")
    op.drop_column("feedback", "text_erased_at")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_plans_feedback_retention_months"), "plans", type_="check")
    op.drop_column("plans", "feedback_retention_months")
