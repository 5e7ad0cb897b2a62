"""Rules of taking a quiz: attempts left, the deadline, whether it is open, what a review shows."""

from __future__ import annotations

from datetime import datetime, timedelta

from course.content.schema import Quiz


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


def past_deadline(deadline_at: datetime | None, now: datetime) -> bool:
    return deadline_at is not None and now >= deadline_at


def visible(quiz: Quiz, finished: bool, now: datetime) -> frozenset[str]:
    """What a learner may see of an attempt now: score, correctness, feedback, key."""
    policy = quiz.review
    if not finished:
        return frozenset(policy.during)
    if quiz.closes_at is not None and now >= quiz.closes_at:
        return frozenset(policy.after_close)
    return frozenset(policy.after_attempt)


def locks_answers(quiz: Quiz) -> bool:
    """Whether each answer is final once given: the attempt shows right or wrong as it goes
    (correctness, or feedback that tells it), so changing an answer after seeing it would turn
    the feedback into the answer."""
    return bool(set(quiz.review.during) - {"score"})
