"""pinned module and quiz versions, rule snapshots, sign-in throttle per username

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "module_version",
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("module_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_module_version")),
    )
    with op.batch_alter_table("module_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_module_version_module_id"), ["module_id"], unique=False
        )
    op.create_table(
        "quiz_version",
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("quiz_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_quiz_version")),
    )
    with op.batch_alter_table("quiz_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_version_quiz_id"), ["quiz_id"], unique=False)
    op.create_table(
        "rule_snapshot",
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", name=op.f("pk_rule_snapshot")),
    )
    op.create_table(
        "signin_throttle",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_signin_throttle")),
    )
    # failed sign-ins move from the account to the throttle, which also counts unknown names
    op.execute(
        "INSERT INTO signin_throttle (username, failures, locked_until) "
        "SELECT username, failed_signins, locked_until FROM app_user WHERE failed_signins > 0"
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_signins")
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiz_hash", sa.String(length=64), nullable=True))
    # both were covered by unique constraints that lead with user_id
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_index("ix_enrolment_user_id")
    with op.batch_alter_table("scenario_play", schema=None) as batch_op:
        batch_op.drop_index("ix_scenario_play_user_id")


def downgrade() -> None:
    with op.batch_alter_table("scenario_play", schema=None) as batch_op:
        batch_op.create_index("ix_scenario_play_user_id", ["user_id"], unique=False)
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.create_index("ix_enrolment_user_id", ["user_id"], unique=False)
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_column("quiz_hash")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_signins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_table("signin_throttle")
    op.drop_table("rule_snapshot")
    with op.batch_alter_table("quiz_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_version_quiz_id"))
    op.drop_table("quiz_version")
    with op.batch_alter_table("module_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_module_version_module_id"))
    op.drop_table("module_version")
