"""workforce measures, their values by period, corrections and rebases

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(
            sa.Column("next_measure_number", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(
            sa.Column("measure_grace_days", sa.Integer(), nullable=False, server_default="5")
        )
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("better", sa.String(length=8), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("baseline_periods", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("better IN ('up', 'down', 'neither')", name=op.f("ck_measures_better")),
        sa.CheckConstraint(
            "frequency IN ('monthly', 'weekly', 'quarterly')", name=op.f("ck_measures_frequency")
        ),
        sa.CheckConstraint("status IN ('active', 'retired')", name=op.f("ck_measures_status")),
        sa.CheckConstraint(
            "baseline_periods IS NULL OR baseline_periods >= 2", name=op.f("ck_measures_baseline")
        ),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["people_functions.id"],
            name=op.f("fk_measures_function_id_people_functions"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_measures_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_measures_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measures")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_measures_plan_id_number")),
    )
    op.create_index(op.f("ix_measures_plan_id"), "measures", ["plan_id"])
    op.create_index(op.f("ix_measures_owner_id"), "measures", ["owner_id"])
    op.create_table(
        "measure_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measures.id"], name=op.f("fk_measure_values_measure_id_measures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_values")),
        sa.UniqueConstraint(
            "measure_id", "period_start", name=op.f("uq_measure_values_measure_id_period_start")
        ),
    )
    op.create_index(op.f("ix_measure_values_measure_id"), "measure_values", ["measure_id"])
    op.create_table(
        "measure_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value_id", sa.Integer(), nullable=False),
        sa.Column("old_value", sa.Float(), nullable=False),
        sa.Column("new_value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("corrected_by", sa.String(length=32), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["value_id"],
            ["measure_values.id"],
            name=op.f("fk_measure_corrections_value_id_measure_values"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_corrections")),
    )
    op.create_index(op.f("ix_measure_corrections_value_id"), "measure_corrections", ["value_id"])
    op.create_table(
        "measure_rebases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rebased_by", sa.String(length=32), nullable=False),
        sa.Column("rebased_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measures.id"], name=op.f("fk_measure_rebases_measure_id_measures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_rebases")),
        sa.UniqueConstraint(
            "measure_id", "period_start", name=op.f("uq_measure_rebases_measure_id_period_start")
        ),
    )
    op.create_index(op.f("ix_measure_rebases_measure_id"), "measure_rebases", ["measure_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_measure_rebases_measure_id"), table_name="measure_rebases")
    op.drop_table("measure_rebases")
    op.drop_index(op.f("ix_measure_corrections_value_id"), table_name="measure_corrections")
    op.drop_table("measure_corrections")
    op.drop_index(op.f("ix_measure_values_measure_id"), table_name="measure_values")
    op.drop_table("measure_values")
    op.drop_index(op.f("ix_measures_owner_id"), table_name="measures")
    op.drop_index(op.f("ix_measures_plan_id"), table_name="measures")
    op.drop_table("measures")
    # Not batch mode: rebuilding `plans` drops it, which SQLite refuses while other rows
    # point at it; SQLite drops a plain column in place.
    op.drop_column("plans", "measure_grace_days")
    op.drop_column("plans", "next_measure_number")
