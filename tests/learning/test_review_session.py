"""The review session planner: due items first, then the weakest competencies, never more than
the session's size, never one question twice, and a reason for each."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from course.learning.review_session import plan
from course.learning.spacing import Review, Schedule, schedule

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
TITLES = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
POOL = {c: [f"{c}-{n:03d}" for n in range(12)] for c in TITLES}


def reviewed(days_ago: int, score: float) -> Schedule:
    return schedule([Review(NOW - timedelta(days=days_ago), score)])


def test_due_items_come_first_most_overdue_first_and_say_why() -> None:
    items = {
        "b-001": reviewed(40, 1.0),  # due 10 days ago
        "a-002": reviewed(100, 1.0),  # due 70 days ago
        "c-003": reviewed(5, 1.0),  # not due
    }
    competencies = {c: reviewed(5, 0.9) for c in TITLES}
    picks = plan(NOW, 10, competencies, TITLES, items, POOL, random.Random(1))
    assert [p.question_id for p in picks[:2]] == ["a-002", "b-001"]
    assert picks[0].why.startswith("You answered this question before, and it is due again")
    assert "scored" not in picks[0].why  # an item's score is not shown
    assert len(picks) == 10
    assert len({p.question_id for p in picks}) == 10


def test_the_rest_go_to_due_competencies_only_weakest_first() -> None:
    competencies = {"a": reviewed(5, 0.9), "b": reviewed(40, 0.8), "c": reviewed(12, 0.4)}
    # b is due (past its 30 days), c is relearning and due after 7 days; a is not due
    picks = plan(NOW, 10, competencies, TITLES, {}, POOL, random.Random(2))
    assert {p.competency for p in picks} == {"b", "c"}
    assert picks[0].competency == "c"  # due, and the lower last score
    assert picks[0].why.startswith("Gamma is due: Last review on")
    assert sum(p.competency == "c" for p in picks) == 5


def test_when_nothing_is_due_every_competency_takes_turns_weakest_first() -> None:
    competencies = {"a": reviewed(5, 0.9), "b": reviewed(5, 0.75), "c": reviewed(5, 0.8)}
    picks = plan(NOW, 4, competencies, TITLES, {}, POOL, random.Random(3))
    assert [p.competency for p in picks] == ["b", "c", "a", "b"]
    assert picks[0].why.startswith("Beta is among your weakest")


def test_unseen_questions_come_before_ones_already_answered() -> None:
    pool = {"a": ["a-001", "a-002", "a-003"]}
    items = {"a-001": reviewed(2, 1.0), "a-002": reviewed(3, 1.0)}
    picks = plan(NOW, 3, {"a": reviewed(40, 0.9)}, TITLES, items, pool, random.Random(4))
    assert [p.question_id for p in picks] == ["a-003", "a-002", "a-001"]


def test_a_small_pool_gives_a_shorter_session_not_a_repeat() -> None:
    pool = {"a": ["a-001", "a-002"], "b": []}
    never = schedule([])
    picks = plan(NOW, 10, {"a": never, "b": never}, TITLES, {}, pool, random.Random(5))
    assert sorted(p.question_id for p in picks) == ["a-001", "a-002"]


@given(
    st.integers(1, 12),
    st.dictionaries(
        st.sampled_from([q for ids in POOL.values() for q in ids]),
        st.tuples(st.integers(0, 400), st.floats(0, 1)),
        max_size=20,
    ),
    st.integers(0, 2**32),
)
def test_never_too_many_never_twice_due_items_always_first(
    size: int, history: dict[str, tuple[int, float]], seed: int
) -> None:
    items = {q: reviewed(days, score) for q, (days, score) in history.items()}
    competencies = {c: reviewed(20, 0.5) for c in TITLES}
    picks = plan(NOW, size, competencies, TITLES, items, POOL, random.Random(seed))
    chosen = [p.question_id for p in picks]
    assert len(chosen) == size == len(set(chosen))
    due = {q for q, s in items.items() if s.is_due(NOW)}
    leading = chosen[: min(size, len(due))]
    assert set(leading) <= due
    assert all(p.why for p in picks)
