"""initial schema and the 10 people functions

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


PEOPLE_FUNCTIONS = [
    (1, "wellbeing", "Supporting the health and wellbeing of all staff"),
    (2, "supply", "Growing the workforce for the future and enabling adequate workforce supply"),
    (
        3,
        "inclusion",
        "Supporting inclusion and belonging for all, and creating great experiences for staff",
    ),
    (4, "leadership", "Valuing and supporting leadership at all levels, and lifelong learning"),
    (5, "transformation", "Leading workforce transformation and new ways of working"),
    (6, "education", "Educating, training and developing people, and managing talent"),
    (7, "social-economic", "Driving and supporting broader social and economic development"),
    (8, "people-services", "Transforming people services and supporting the people profession"),
    (9, "planning", "Leading coordinated workforce planning using analysis and intelligence"),
    (10, "system-design", "Supporting system design and development"),
]


def upgrade() -> None:
    op.create_table(
        "job_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_claims")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_job_claims_kind_key")),
    )
    op.create_table(
        "people_functions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people_functions")),
        sa.UniqueConstraint("key", name=op.f("uq_people_functions_key")),
        sa.UniqueConstraint("number", name=op.f("uq_people_functions_number")),
    )
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("team_id", name=op.f("uq_workspaces_team_id")),
    )
    op.create_table(
        "member_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("working_days", sa.String(length=32), nullable=False),
        sa.Column("away_until", sa.Date(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_member_preferences_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_preferences")),
        sa.UniqueConstraint(
            "workspace_id", "user_id", name=op.f("uq_member_preferences_workspace_id_user_id")
        ),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("board_channel_id", sa.String(length=32), nullable=True),
        sa.Column("digest_weekday", sa.Integer(), nullable=False),
        sa.Column("digest_time", sa.Time(), nullable=False),
        sa.Column("nudge_time", sa.Time(), nullable=False),
        sa.Column("quiet_weekends", sa.Boolean(), nullable=False),
        sa.Column("anonymity_threshold", sa.Integer(), nullable=False),
        sa.Column("next_action_number", sa.Integer(), nullable=False),
        sa.Column("next_risk_number", sa.Integer(), nullable=False),
        sa.Column("next_feedback_number", sa.Integer(), nullable=False),
        sa.Column("next_win_number", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "anonymity_threshold BETWEEN 5 AND 20", name=op.f("ck_plans_anonymity_threshold")
        ),
        sa.CheckConstraint("digest_weekday BETWEEN 0 AND 6", name=op.f("ck_plans_digest_weekday")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_plans_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_index(op.f("ix_plans_workspace_id"), "plans", ["workspace_id"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("verb", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_audit_log_plan_id_plans")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_audit_log_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_plan_id"), "audit_log", ["plan_id"], unique=False)
    op.create_index(op.f("ix_audit_log_workspace_id"), "audit_log", ["workspace_id"], unique=False)
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "sector IN ('nhs', 'council', 'social-care', 'vcse', 'primary-care')",
            name=op.f("ck_partners_sector"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_partners_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("plan_id", "name", name=op.f("uq_partners_plan_id_name")),
    )
    op.create_index(op.f("ix_partners_plan_id"), "partners", ["plan_id"], unique=False)
    op.create_table(
        "plan_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_channels_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_plan_channels_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_channels")),
        sa.UniqueConstraint(
            "workspace_id", "channel_id", name=op.f("uq_plan_channels_workspace_id_channel_id")
        ),
    )
    op.create_index(op.f("ix_plan_channels_plan_id"), "plan_channels", ["plan_id"], unique=False)
    op.create_table(
        "risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("target_score", sa.Integer(), nullable=True),
        sa.Column("mitigation", sa.Text(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("close_note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_risks_status")),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_risks_impact")),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name=op.f("ck_risks_likelihood")),
        sa.CheckConstraint(
            "target_score IS NULL OR target_score BETWEEN 1 AND 25", name=op.f("ck_risks_target")
        ),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["people_functions.id"],
            name=op.f("fk_risks_function_id_people_functions"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_risks_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risks")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_risks_plan_id_number")),
    )
    op.create_index(op.f("ix_risks_owner_id"), "risks", ["owner_id"], unique=False)
    op.create_index(op.f("ix_risks_plan_id"), "risks", ["plan_id"], unique=False)
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "role IN ('chair', 'lead', 'data-lead', 'member')", name=op.f("ck_roles_role")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_roles_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("plan_id", "user_id", name=op.f("uq_roles_plan_id_user_id")),
    )
    op.create_index(op.f("ix_roles_plan_id"), "roles", ["plan_id"], unique=False)
    op.create_table(
        "wins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["people_functions.id"],
            name=op.f("fk_wins_function_id_people_functions"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_wins_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wins")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_wins_plan_id_number")),
    )
    op.create_index(op.f("ix_wins_plan_id"), "wins", ["plan_id"], unique=False)
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('not-started', 'on-track', 'at-risk', 'off-track', 'done', 'cancelled')",
            name=op.f("ck_actions_status"),
        ),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name=op.f("ck_actions_progress")),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["people_functions.id"],
            name=op.f("fk_actions_function_id_people_functions"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_actions_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_actions_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_actions_plan_id_number")),
    )
    op.create_index(op.f("ix_actions_owner_id"), "actions", ["owner_id"], unique=False)
    op.create_index(op.f("ix_actions_plan_id"), "actions", ["plan_id"], unique=False)
    op.create_table(
        "risk_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.CheckConstraint("percent BETWEEN 1 AND 100", name=op.f("ck_risk_shares_percent")),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_risk_shares_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_risk_shares_risk_id_risks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_shares")),
        sa.UniqueConstraint(
            "risk_id", "partner_id", name=op.f("uq_risk_shares_risk_id_partner_id")
        ),
    )
    op.create_index(op.f("ix_risk_shares_risk_id"), "risk_shares", ["risk_id"], unique=False)
    op.create_table(
        "win_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("win_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_win_partners_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(["win_id"], ["wins.id"], name=op.f("fk_win_partners_win_id_wins")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_win_partners")),
        sa.UniqueConstraint("win_id", "partner_id", name=op.f("uq_win_partners_win_id_partner_id")),
    )
    op.create_index(op.f("ix_win_partners_win_id"), "win_partners", ["win_id"], unique=False)
    op.create_table(
        "win_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("win_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["win_id"], ["wins.id"], name=op.f("fk_win_people_win_id_wins")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_win_people")),
        sa.UniqueConstraint("win_id", "user_id", name=op.f("uq_win_people_win_id_user_id")),
    )
    op.create_index(op.f("ix_win_people_win_id"), "win_people", ["win_id"], unique=False)
    op.create_table(
        "action_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_from", sa.String(length=16), nullable=True),
        sa.Column("status_to", sa.String(length=16), nullable=True),
        sa.Column("progress_from", sa.Integer(), nullable=True),
        sa.Column("progress_to", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_action_updates_action_id_actions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_updates")),
    )
    op.create_index(
        op.f("ix_action_updates_action_id"), "action_updates", ["action_id"], unique=False
    )
    op.create_table(
        "challenges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("asked_by", sa.String(length=32), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=32), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(action_id IS NULL) <> (risk_id IS NULL)", name=op.f("ck_challenges_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_challenges_action_id_actions")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_challenges_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_challenges_risk_id_risks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenges")),
    )
    op.create_index(op.f("ix_challenges_action_id"), "challenges", ["action_id"], unique=False)
    op.create_index(op.f("ix_challenges_plan_id"), "challenges", ["plan_id"], unique=False)
    op.create_index(op.f("ix_challenges_risk_id"), "challenges", ["risk_id"], unique=False)
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column("service_area", sa.String(length=100), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=32), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer_action_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "source IN ('staff', 'service-user', 'carer', 'partner')",
            name=op.f("ck_feedback_source"),
        ),
        sa.CheckConstraint(
            "NOT anonymous OR author_id IS NULL", name=op.f("ck_feedback_anonymous_has_no_author")
        ),
        sa.CheckConstraint(
            "rating IS NULL OR rating BETWEEN 1 AND 5", name=op.f("ck_feedback_rating")
        ),
        sa.ForeignKeyConstraint(
            ["answer_action_id"], ["actions.id"], name=op.f("fk_feedback_answer_action_id_actions")
        ),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["people_functions.id"],
            name=op.f("fk_feedback_function_id_people_functions"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_feedback_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_feedback_plan_id_number")),
    )
    op.create_index(op.f("ix_feedback_plan_id"), "feedback", ["plan_id"], unique=False)
    op.create_index(
        "ix_feedback_plan_id_created_at", "feedback", ["plan_id", "created_at"], unique=False
    )
    op.create_index(
        "ix_feedback_plan_id_answered_at", "feedback", ["plan_id", "answered_at"], unique=False
    )
    people_functions = sa.table(
        "people_functions",
        sa.column("id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("key", sa.String),
        sa.column("name", sa.String),
    )
    # A frozen copy, not an import: a migration must not change when the code does.
    op.bulk_insert(
        people_functions,
        [{"id": n, "number": n, "key": k, "name": name} for n, k, name in PEOPLE_FUNCTIONS],
    )


def downgrade() -> None:
    op.drop_index("ix_feedback_plan_id_answered_at", table_name="feedback")
    op.drop_index("ix_feedback_plan_id_created_at", table_name="feedback")
    op.drop_index(op.f("ix_feedback_plan_id"), table_name="feedback")
    op.drop_table("feedback")
    op.drop_index(op.f("ix_challenges_risk_id"), table_name="challenges")
    op.drop_index(op.f("ix_challenges_plan_id"), table_name="challenges")
    op.drop_index(op.f("ix_challenges_action_id"), table_name="challenges")
    op.drop_table("challenges")
    op.drop_index(op.f("ix_action_updates_action_id"), table_name="action_updates")
    op.drop_table("action_updates")
    op.drop_index(op.f("ix_win_people_win_id"), table_name="win_people")
    op.drop_table("win_people")
    op.drop_index(op.f("ix_win_partners_win_id"), table_name="win_partners")
    op.drop_table("win_partners")
    op.drop_index(op.f("ix_risk_shares_risk_id"), table_name="risk_shares")
    op.drop_table("risk_shares")
    op.drop_index(op.f("ix_actions_plan_id"), table_name="actions")
    op.drop_index(op.f("ix_actions_owner_id"), table_name="actions")
    op.drop_table("actions")
    op.drop_index(op.f("ix_wins_plan_id"), table_name="wins")
    op.drop_table("wins")
    op.drop_index(op.f("ix_roles_plan_id"), table_name="roles")
    op.drop_table("roles")
    op.drop_index(op.f("ix_risks_plan_id"), table_name="risks")
    op.drop_index(op.f("ix_risks_owner_id"), table_name="risks")
    op.drop_table("risks")
    op.drop_index(op.f("ix_plan_channels_plan_id"), table_name="plan_channels")
    op.drop_table("plan_channels")
    op.drop_index(op.f("ix_partners_plan_id"), table_name="partners")
    op.drop_table("partners")
    op.drop_index(op.f("ix_audit_log_workspace_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_plan_id"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_plans_workspace_id"), table_name="plans")
    op.drop_table("plans")
    op.drop_table("member_preferences")
    op.drop_table("workspaces")
    op.drop_table("people_functions")
    op.drop_table("job_claims")
