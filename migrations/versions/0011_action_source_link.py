"""action source link: the Slack message an action was added from (Add as action)

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column is added in place on SQLite too: no table rebuild.
    op.add_column("actions", sa.Column("source_link", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("source_link")
