"""Rules across attempts: the quiz grade, attempts left, deadlines, what a review may show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from course.content.schema import Quiz


def quiz_grade(method: str, scores: Sequence[float]) -> float | None:
    """The grade from finished attempts' scores, oldest first, by the quiz's grading method.

    highest: the best score; last: the newest; first: the oldest; average: the mean.
    None when no attempt is finished.
    """
    if not scores:
        return None
    if method == "highest":
        return max(scores)
    if method == "last":
        return scores[-1]
    if method == "first":
        return scores[0]
    if method == "average":
        return round(sum(scores) / len(scores), 4)
    raise ValueError(f"unknown grading method '{method}'")


def attempts_left(quiz: Quiz, used: int) -> int | None:
    """How many more attempts may start (None: no limit)."""
    return None if quiz.attempts == 0 else max(0, quiz.attempts - used)


def deadline(quiz: Quiz, started: datetime) -> datetime | None:
    """When an attempt must be finished: its time limit, or the quiz closing, whichever is first."""
    limits = [quiz.closes_at] if quiz.closes_at else []
    if quiz.time_limit_minutes:
        limits.append(started + timedelta(minutes=quiz.time_limit_minutes))
    return min(limits) if limits else None


def is_open(quiz: Quiz, now: datetime) -> bool:
    return (quiz.opens_at is None or now >= quiz.opens_at) and (
        quiz.closes_at is None or now < quiz.closes_at
    )


def visible(quiz: Quiz, finished: bool, now: datetime) -> frozenset[str]:
    """What a learner may see of an attempt now: score, correctness, feedback, key."""
    policy = quiz.review
    if not finished:
        return frozenset(policy.during)
    if quiz.closes_at is not None and now >= quiz.closes_at:
        return frozenset(policy.after_close)
    return frozenset(policy.after_attempt)


def feedback_band(quiz: Quiz, score: float) -> str | None:
    """The overall feedback of the highest band the score reaches."""
    reached = [b for b in quiz.feedback_bands if score >= b.from_score]
    return max(reached, key=lambda b: b.from_score).text if reached else None


def passed(quiz: Quiz, grade: float | None) -> bool:
    return grade is not None and grade >= quiz.pass_mark - 1e-9
