"""The interval ladder: rungs climbed on time, held when early, lost in a lapse; and its
promises as properties (the next wait is always a rung or the relearning wait, a lapse never
waits longer than a success would)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.learning.spacing import LADDER, Ladder, Review, schedule

T0 = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
PASS, FAIL = 0.85, 0.4


def at(days: int, score: float) -> Review:
    return Review(T0 + timedelta(days=days), score)


def waits(result_due: datetime | None, last: int) -> int:
    assert result_due is not None
    return (result_due - (T0 + timedelta(days=last))).days


def test_never_reviewed_is_due_now() -> None:
    found = schedule([])
    assert found.due_at is None and found.is_due(T0)
    assert found.why == "Never reviewed: due now."


def test_successes_on_time_climb_the_ladder_and_the_top_rung_repeats() -> None:
    history: list[Review] = []
    day = 0
    expected = [30, 91, 182, 365, 365]
    for rung, wait in enumerate(expected):
        history.append(at(day, PASS))
        found = schedule(history)
        assert waits(found.due_at, day) == wait
        assert found.rung == min(rung, 3)
        assert not found.relearning
        day += wait  # reviewed the day it falls due


def test_a_success_before_the_due_date_stays_on_its_rung() -> None:
    found = schedule([at(0, PASS), at(10, PASS)])  # due on day 30, reviewed on day 10
    assert found.rung == 0
    assert waits(found.due_at, 10) == 30


def test_a_lapse_drops_two_rungs_and_is_due_again_in_a_week() -> None:
    history = [at(0, PASS), at(30, PASS), at(121, PASS)]  # rung 3 of 4 (182 days)
    assert schedule(history).rung == 2
    lapsed = schedule([*history, at(303, FAIL)])
    assert lapsed.relearning and lapsed.rung == 0
    assert waits(lapsed.due_at, 303) == 7
    assert "under the pass mark of 70%" in lapsed.why
    resumed = schedule([*history, at(303, FAIL), at(310, PASS)])
    assert resumed.rung == 0 and not resumed.relearning  # from the rung it dropped to
    assert waits(resumed.due_at, 310) == 30


def test_an_officer_trained_a_year_ago_is_due_and_told_why() -> None:
    found = schedule([at(0, 0.9)])
    now = T0 + timedelta(days=365)
    assert found.is_due(now)
    assert found.why == (
        "Last review on 01 Dec 2025 scored 90%: rung 1 of 4, due after 30 days, on 31 Dec 2025."
    )


def test_the_order_reviews_arrive_in_does_not_matter() -> None:
    history = [at(0, PASS), at(30, PASS), at(121, FAIL), at(128, PASS)]
    assert schedule(history) == schedule(list(reversed(history)))


def test_bad_scores_and_ladders_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        schedule([at(0, 1.5)])
    for bad in (
        {"rungs_days": ()},
        {"rungs_days": (30, 10)},
        {"relearn_days": 0},
        {"relearn_days": 60},
        {"pass_mark": 0},
        {"drop": 0},
    ):
        with pytest.raises(ValueError):
            Ladder(**bad)  # type: ignore[arg-type]


reviews = st.lists(
    st.tuples(st.integers(0, 2000), st.floats(0, 1, allow_nan=False)), min_size=1, max_size=12
)


@given(reviews)
def test_the_next_wait_is_always_a_rung_or_the_relearning_wait(
    raw: list[tuple[int, float]],
) -> None:
    history = [at(day, score) for day, score in raw]
    found = schedule(history)
    last = max(history, key=lambda r: r.at)
    assert found.due_at is not None
    wait = (found.due_at - last.at).days
    # reviews on the same day: the last in time order decides (sorted is stable)
    assert wait in (*LADDER.rungs_days, LADDER.relearn_days)
    assert found.relearning == (wait == LADDER.relearn_days)


@given(reviews, st.floats(0, 1, allow_nan=False))
def test_a_lapse_never_waits_longer_than_a_success_on_the_same_day(
    raw: list[tuple[int, float]], score: float
) -> None:
    history = [at(day, s) for day, s in raw]
    then = max(day for day, _ in raw) + 1
    lapsed = schedule([*history, at(then, min(score, 0.69))])
    passed = schedule([*history, at(then, max(score, 0.7))])
    assert lapsed.due_at is not None and passed.due_at is not None
    assert lapsed.due_at < passed.due_at
