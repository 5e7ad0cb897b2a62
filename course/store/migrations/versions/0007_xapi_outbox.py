"""the xAPI outbox: statements waiting for the learning record store

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 11:00:00
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
        "xapi_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_outbox")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_xapi_outbox_statement_id")),
    )
    with op.batch_alter_table("xapi_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_xapi_outbox_event_at", ["event_at"], unique=False)
        batch_op.create_index(
            "ix_xapi_outbox_waiting", ["sent_at", "next_try_at", "id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("xapi_outbox")
