"""feedback links: the public form's addresses, and feedback that came through them

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("service_area", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=32), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_feedback_links_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_links")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_feedback_links_plan_id_number")),
        sa.UniqueConstraint("token", name=op.f("uq_feedback_links_token")),
    )
    op.create_index(op.f("ix_feedback_links_plan_id"), "feedback_links", ["plan_id"], unique=False)
    with op.batch_alter_table("plans") as batch:
        batch.add_column(
            sa.Column("next_feedback_link_number", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(
            sa.Column("answer_public", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("link_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_feedback_link_id_feedback_links"), "feedback_links", ["link_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_constraint(op.f("fk_feedback_link_id_feedback_links"), type_="foreignkey")
        batch.drop_column("link_id")
        batch.drop_column("answer_public")
    # Not batch mode: as in 0002, `plans` cannot be rebuilt while other rows point at it.
    op.drop_column("plans", "next_feedback_link_number")
    op.drop_index(op.f("ix_feedback_links_plan_id"), table_name="feedback_links")
    op.drop_table("feedback_links")
