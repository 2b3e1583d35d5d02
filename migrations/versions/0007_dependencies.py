"""dependencies: actions waiting on other actions, and the notices a blocker raises

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_dependencies",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("depends_on_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action_id <> depends_on_id", name=op.f("ck_action_dependencies_not_itself")
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_action_dependencies_action_id_actions")
        ),
        sa.ForeignKeyConstraint(
            ["depends_on_id"],
            ["actions.id"],
            name=op.f("fk_action_dependencies_depends_on_id_actions"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_action_dependencies_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("action_id", "depends_on_id", name=op.f("pk_action_dependencies")),
    )
    op.create_index(
        op.f("ix_action_dependencies_depends_on_id"), "action_dependencies", ["depends_on_id"]
    )
    op.create_index(op.f("ix_action_dependencies_plan_id"), "action_dependencies", ["plan_id"])
    op.create_table(
        "dependency_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("blocker_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "reason IN ('red', 'overdue', 'cancelled')", name=op.f("ck_dependency_notices_reason")
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_dependency_notices_action_id_actions")
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"], ["actions.id"], name=op.f("fk_dependency_notices_blocker_id_actions")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_dependency_notices_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dependency_notices")),
        sa.UniqueConstraint(
            "action_id",
            "blocker_id",
            "reason",
            name=op.f("uq_dependency_notices_action_id_blocker_id_reason"),
        ),
    )
    op.create_index(op.f("ix_dependency_notices_plan_id"), "dependency_notices", ["plan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_dependency_notices_plan_id"), table_name="dependency_notices")
    op.drop_table("dependency_notices")
    op.drop_index(op.f("ix_action_dependencies_plan_id"), table_name="action_dependencies")
    op.drop_index(op.f("ix_action_dependencies_depends_on_id"), table_name="action_dependencies")
    op.drop_table("action_dependencies")
