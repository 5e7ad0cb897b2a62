"""indexes of the attempts and plays still open, for the trainers' reports

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OPEN = sa.text("finished_at IS NULL")


def upgrade() -> None:
    # the few attempts and plays still open among hundreds of thousands, found without reading
    # the others: a learner's last activity reads the answers of the open attempts, and the
    # kept reports' fingerprint (course/services/report_cache.py) sums up both
    for table in ("attempt", "scenario_play"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                f"ix_{table}_open",
                ["user_id", "id"],
                unique=False,
                postgresql_where=OPEN,
                sqlite_where=OPEN,
            )


def downgrade() -> None:
    for table in ("scenario_play", "attempt"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_open")
