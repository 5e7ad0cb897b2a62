"""Rules of taking a quiz: attempts left, deadlines, opening times, what a review shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from course.content.schema import Quiz
from course.learning.quiz_rules import attempts_left, deadline, is_open, visible

OPENS = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
CLOSES = datetime(2027, 1, 17, 17, 0, tzinfo=UTC)


def quiz(**fields: Any) -> Quiz:
    return Quiz.model_validate(
        {
            "id": "gifts-check",
            "title": "Gifts",
            "kind": "competency",
            "questions": ["tq-001"],
            "pass_mark": 0.7,
        }
        | fields
    )


# ---- attempts left ----


@pytest.mark.parametrize(("used", "left"), [(0, 3), (1, 2), (3, 0), (5, 0)])
def test_attempts_left_counts_down_from_the_limit(used: int, left: int) -> None:
    assert attempts_left(quiz(attempts=3), used) == left


@pytest.mark.parametrize("used", [0, 3, 100])
def test_attempts_left_without_a_limit_is_none(used: int) -> None:
    assert attempts_left(quiz(attempts=0), used) is None


# ---- deadlines and opening times ----

STARTED = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


def test_deadline_with_only_a_time_limit_is_the_limit() -> None:
    assert deadline(quiz(time_limit_minutes=30), STARTED) == datetime(
        2027, 1, 10, 9, 30, tzinfo=UTC
    )


def test_deadline_with_only_a_close_time_is_the_close() -> None:
    assert deadline(quiz(closes_at=CLOSES), STARTED) == CLOSES


def test_deadline_time_limit_before_the_close_wins() -> None:
    assert deadline(quiz(time_limit_minutes=30, closes_at=CLOSES), STARTED) == datetime(
        2027, 1, 10, 9, 30, tzinfo=UTC
    )


def test_deadline_close_before_the_time_limit_wins() -> None:
    started = CLOSES - timedelta(minutes=10)

    assert deadline(quiz(time_limit_minutes=30, closes_at=CLOSES), started) == CLOSES


def test_deadline_compares_across_time_zones() -> None:
    # 14:15 at +05:00 is 09:15 UTC, before the 09:30 UTC time limit
    closes = datetime(2027, 1, 10, 14, 15, tzinfo=timezone(timedelta(hours=5)))

    found = deadline(quiz(time_limit_minutes=30, closes_at=closes), STARTED)

    assert found == datetime(2027, 1, 10, 9, 15, tzinfo=UTC)


def test_deadline_with_neither_is_none() -> None:
    assert deadline(quiz(), STARTED) is None


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        pytest.param(OPENS - timedelta(minutes=1), False, id="before"),
        pytest.param(OPENS, True, id="at-opening"),
        pytest.param(datetime(2027, 1, 12, 12, 0, tzinfo=UTC), True, id="inside"),
        pytest.param(CLOSES - timedelta(seconds=1), True, id="just-before-closing"),
        pytest.param(CLOSES, False, id="at-closing"),
        pytest.param(CLOSES + timedelta(days=1), False, id="after"),
    ],
)
def test_is_open_only_inside_the_window(now: datetime, expected: bool) -> None:
    assert is_open(quiz(opens_at=OPENS, closes_at=CLOSES), now) is expected


def test_is_open_without_a_window_is_always_open() -> None:
    assert is_open(quiz(), datetime(1999, 1, 1, tzinfo=UTC))


def test_is_open_with_only_an_opening_stays_open() -> None:
    shape = quiz(opens_at=OPENS)

    assert not is_open(shape, OPENS - timedelta(seconds=1))
    assert is_open(shape, OPENS + timedelta(days=365))


# ---- what a review may show ----

REVIEW = {
    "during": ["correctness"],
    "after_attempt": ["score", "feedback"],
    "after_close": ["score", "correctness", "feedback", "key"],
}


def test_visible_during_an_open_attempt_follows_during() -> None:
    shape = quiz(review=REVIEW, closes_at=CLOSES)

    assert visible(shape, finished=False, now=OPENS) == {"correctness"}


def test_visible_after_finishing_before_the_close_follows_after_attempt() -> None:
    shape = quiz(review=REVIEW, closes_at=CLOSES)

    assert visible(shape, finished=True, now=CLOSES - timedelta(minutes=1)) == {
        "score",
        "feedback",
    }


def test_visible_after_the_close_follows_after_close() -> None:
    shape = quiz(review=REVIEW, closes_at=CLOSES)

    assert visible(shape, finished=True, now=CLOSES) == {"score", "correctness", "feedback", "key"}


def test_visible_without_a_close_time_stays_after_attempt() -> None:
    shape = quiz(review=REVIEW)

    assert visible(shape, finished=True, now=CLOSES + timedelta(days=365)) == {"score", "feedback"}


def test_visible_default_policy_shows_only_the_score_after_an_attempt() -> None:
    shape = quiz(closes_at=CLOSES)

    assert visible(shape, finished=False, now=OPENS) == frozenset()
    assert visible(shape, finished=True, now=OPENS) == {"score"}
