"""board papers: each paper's snapshot of figures, and when a plan's paper is posted

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "board_papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("made_by", sa.String(length=32), nullable=False),
        sa.Column("draft", sa.Boolean(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_board_papers_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_papers")),
        sa.UniqueConstraint("plan_id", "period", name=op.f("uq_board_papers_plan_id_period")),
    )
    op.create_index(op.f("ix_board_papers_plan_id"), "board_papers", ["plan_id"], unique=False)
    # A nullable column is added in place on SQLite too (no rebuild of `plans`).
    op.add_column("plans", sa.Column("report_schedule", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column("plans", "report_schedule")
    op.drop_index(op.f("ix_board_papers_plan_id"), table_name="board_papers")
    op.drop_table("board_papers")
