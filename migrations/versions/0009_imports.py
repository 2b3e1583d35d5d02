"""imports: previews kept until applied or expired, and the records a file's own ids became

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_previews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.CheckConstraint("kind IN ('actions', 'risks')", name=op.f("ck_import_previews_kind")),
        sa.CheckConstraint(
            "state IN ('previewed', 'applied', 'cancelled')", name=op.f("ck_import_previews_state")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_import_previews_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_previews")),
    )
    op.create_index(op.f("ix_import_previews_plan_id"), "import_previews", ["plan_id"])
    op.create_table(
        "imported_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('actions', 'risks')", name=op.f("ck_imported_records_kind")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_imported_records_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_records")),
        sa.UniqueConstraint(
            "plan_id", "kind", "source_id", name=op.f("uq_imported_records_plan_id_kind_source_id")
        ),
    )
    op.create_index(op.f("ix_imported_records_plan_id"), "imported_records", ["plan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_imported_records_plan_id"), table_name="imported_records")
    op.drop_table("imported_records")
    op.drop_index(op.f("ix_import_previews_plan_id"), table_name="import_previews")
    op.drop_table("import_previews")
