"""A serving officer's review history, as the interval ladder reads it, and the questions of a
review session chosen from it (course/learning/review_session.py).

`review_answers` reads every finished attempt at a graded quiz of the course, review sessions
included; the ladder turns them into per-competency and per-item schedules.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock, config
from course.content.current import catalogue
from course.content.schema import COMPETENCY_TITLES, Question, Quiz
from course.learning import review_session
from course.learning.spacing import Schedule, reviews_from_answers, schedule
from course.store.models import Answer, Attempt


def review_answers(
    db: Session, learners: sa.Select[Any] | Sequence[int]
) -> dict[int, list[tuple[int, datetime, str, float]]]:
    """Per learner, the answers that make their reviews: (attempt, finished at, question, score)
    in each finished attempt at a graded quiz of the course (any track)."""
    graded = [q.id for q in catalogue().quizzes.values() if q.graded]
    zone = config.timezone()
    found: dict[int, list[tuple[int, datetime, str, float]]] = {}
    for user_id, attempt_id, finished_at, question_id, score in db.execute(
        sa.select(
            Attempt.user_id, Attempt.id, Attempt.finished_at, Answer.question_id, Answer.score
        )
        .join(Answer, Answer.attempt_id == Attempt.id)
        .where(
            Attempt.user_id.in_(learners),
            Attempt.finished_at.is_not(None),
            Attempt.quiz_id.in_(graded),
        )
    ):
        if finished_at is not None:  # (the query asks for finished attempts only)
            local = finished_at.astimezone(zone)  # dates in reasons are the academy's
            found.setdefault(user_id, []).append((attempt_id, local, question_id, score))
    return found


def schedules(db: Session, user_id: int) -> tuple[dict[str, Schedule], dict[str, Schedule]]:
    """One learner's schedules: every competency's, and every item's they have answered."""
    answers = review_answers(db, [user_id]).get(user_id, [])
    per_competency, per_item = reviews_from_answers(answers, catalogue().competency_of)
    return (
        {c: schedule(per_competency.get(c, ())) for c in COMPETENCY_TITLES},
        {q: schedule(history) for q, history in per_item.items()},
    )


def session_questions(
    db: Session, user_id: int, quiz: Quiz, rng: random.Random
) -> list[tuple[Question, str]]:
    """The questions of a review session for this learner now, each with why it is asked."""
    content = catalogue()
    competencies, items = schedules(db, user_id)
    pool: dict[str, list[str]] = {
        draw.competency: [q.id for q in content.quiz_pool(quiz, draw.competency, draw.tag)]
        for draw in quiz.draws
    }
    picks = review_session.plan(
        clock.now(), quiz.size, competencies, COMPETENCY_TITLES, items, pool, rng
    )
    return [(content.questions[p.question_id], p.why) for p in picks]
