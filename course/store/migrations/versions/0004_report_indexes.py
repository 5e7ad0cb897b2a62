"""covering indexes for the trainers' reports: answers, attempts, plays and steps

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ATTEMPT_COLUMNS = [
    "quiz_id",
    "user_id",
    "score",
    "attempt_no",
    "finished_at",
    "started_at",
    "quiz_hash",
]


def upgrade() -> None:
    # item analysis, mastery and the exports read these columns of every answer of the attempts
    # they count: from this index alone, never the answer rows
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answer_attempt_marks",
            ["attempt_id", "question_id", "question_hash", "score", "slot"],
            unique=False,
        )
    # (quiz, learner) grows every column the reports read from an attempt but its large layout:
    # they choose attempts (the highest, the first) from the index alone, in its order
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_quiz_user")
        batch_op.create_index("ix_attempt_quiz_user", ATTEMPT_COLUMNS, unique=False)
    # progress, activity and completion read plays module by module, learner by learner
    with op.batch_alter_table("scenario_play", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scenario_play_module_user",
            ["module_id", "user_id", "play_no", "started_at", "finished_at"],
            unique=False,
        )
    # scenario analytics reads the choices made in the plays of a cohort's learners
    with op.batch_alter_table("scenario_step", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scenario_step_play_choice",
            ["play_id", "module_id", "situation_id", "choice_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("scenario_step", schema=None) as batch_op:
        batch_op.drop_index("ix_scenario_step_play_choice")
    with op.batch_alter_table("scenario_play", schema=None) as batch_op:
        batch_op.drop_index("ix_scenario_play_module_user")
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_quiz_user")
        batch_op.create_index("ix_attempt_quiz_user", ["quiz_id", "user_id"], unique=False)
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index("ix_answer_attempt_marks")
