"""decisions: what the board is asked to decide and decides, and what each rests on or affects

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(
            sa.Column("next_decision_number", sa.Integer(), server_default="1", nullable=False)
        )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("proposal", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("proposed_by", sa.String(length=32), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("forum", sa.String(length=200), nullable=False),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("deferred_until", sa.Date(), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'agreed', 'rejected', 'deferred')",
            name=op.f("ck_decisions_status"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_decisions_plan_id_plans")),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["decisions.id"], name=op.f("fk_decisions_supersedes_id_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_decisions_plan_id_number")),
    )
    op.create_index("ix_decisions_plan_id_status", "decisions", ["plan_id", "status"])
    op.create_table(
        "decision_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "role IN ('informed-by', 'affects')", name=op.f("ck_decision_links_role")
        ),
        sa.CheckConstraint(
            "kind IN ('measure', 'risk', 'issue', 'feedback', 'action', 'partner')",
            name=op.f("ck_decision_links_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_links_decision_id_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_links")),
        sa.UniqueConstraint(
            "decision_id",
            "role",
            "kind",
            "target_id",
            name=op.f("uq_decision_links_decision_id_role_kind_target_id"),
        ),
    )
    op.create_index(op.f("ix_decision_links_decision_id"), "decision_links", ["decision_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_decision_links_decision_id"), table_name="decision_links")
    op.drop_table("decision_links")
    op.drop_index("ix_decisions_plan_id_status", table_name="decisions")
    op.drop_table("decisions")
    # Not batch mode: as in 0002, `plans` cannot be rebuilt while other rows point at it.
    op.drop_column("plans", "next_decision_number")
