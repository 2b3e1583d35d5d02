"""issues: problems happening now, the partners they affect, their linked actions and history

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Not batch mode for `plans` (see 0004): plain ADD COLUMN works on both databases.
    op.add_column(
        "plans",
        sa.Column("next_issue_number", sa.Integer(), server_default="1", nullable=False),
    )
    op.add_column(
        "plans",
        sa.Column("issue_escalation_days", sa.Integer(), server_default="14", nullable=False),
    )
    op.create_table(
        "issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(length=32), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("severity BETWEEN 1 AND 5", name=op.f("ck_issues_severity")),
        sa.CheckConstraint("status IN ('open', 'resolved')", name=op.f("ck_issues_status")),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["people_functions.id"],
            name=op.f("fk_issues_function_id_people_functions"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_issues_plan_id_plans")),
        sa.ForeignKeyConstraint(["risk_id"], ["risks.id"], name=op.f("fk_issues_risk_id_risks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issues")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_issues_plan_id_number")),
        sa.UniqueConstraint("risk_id", name=op.f("uq_issues_risk_id")),
    )
    op.create_index(op.f("ix_issues_plan_id"), "issues", ["plan_id"], unique=False)
    op.create_index(op.f("ix_issues_owner_id"), "issues", ["owner_id"], unique=False)
    op.create_table(
        "issue_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "percent IS NULL OR percent BETWEEN 1 AND 100", name=op.f("ck_issue_partners_percent")
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_partners_issue_id_issues")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_issue_partners_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_partners")),
        sa.UniqueConstraint(
            "issue_id", "partner_id", name=op.f("uq_issue_partners_issue_id_partner_id")
        ),
    )
    op.create_index(
        op.f("ix_issue_partners_issue_id"), "issue_partners", ["issue_id"], unique=False
    )
    op.create_table(
        "issue_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_issue_actions_action_id_actions")
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_actions_issue_id_issues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_actions")),
        sa.UniqueConstraint(
            "issue_id", "action_id", name=op.f("uq_issue_actions_issue_id_action_id")
        ),
    )
    op.create_index(op.f("ix_issue_actions_issue_id"), "issue_actions", ["issue_id"], unique=False)
    op.create_index(
        op.f("ix_issue_actions_action_id"), "issue_actions", ["action_id"], unique=False
    )
    op.create_table(
        "issue_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_history_issue_id_issues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_history")),
    )
    op.create_index(op.f("ix_issue_history_issue_id"), "issue_history", ["issue_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_issue_history_issue_id"), table_name="issue_history")
    op.drop_table("issue_history")
    op.drop_index(op.f("ix_issue_actions_action_id"), table_name="issue_actions")
    op.drop_index(op.f("ix_issue_actions_issue_id"), table_name="issue_actions")
    op.drop_table("issue_actions")
    op.drop_index(op.f("ix_issue_partners_issue_id"), table_name="issue_partners")
    op.drop_table("issue_partners")
    op.drop_index(op.f("ix_issues_owner_id"), table_name="issues")
    op.drop_index(op.f("ix_issues_plan_id"), table_name="issues")
    op.drop_table("issues")
    op.drop_column("plans", "issue_escalation_days")
    op.drop_column("plans", "next_issue_number")
