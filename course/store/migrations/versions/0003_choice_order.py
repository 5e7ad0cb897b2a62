"""scenario plays keep the order their choices are shown in

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plays made before have none, and show their choices in the file's order
    with op.batch_alter_table("scenario_play", schema=None) as batch_op:
        batch_op.add_column(sa.Column("choice_order", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scenario_play", schema=None) as batch_op:
        batch_op.drop_column("choice_order")
