"""Results: the attempt score, the quiz grade, passing, bands, and how a score is shown."""

from __future__ import annotations

from typing import Any

import pytest

from course.content.schema import Matching, Quiz
from course.learning.results import (
    answer_state,
    band,
    passed,
    quiz_grade,
    score_attempt,
    shown_score,
    verdict,
)


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


# ---- the quiz grade ----

SCORES = [0.4, 0.9, 0.6]  # oldest first


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("highest", 0.9),
        ("last", 0.6),
        ("first", 0.4),
        ("average", 0.6333),  # (0.4 + 0.9 + 0.6) / 3 = 1.9/3 = 0.63333...
    ],
)
def test_quiz_grade_follows_the_grading_method(method: str, expected: float) -> None:
    assert quiz_grade(method, SCORES) == expected


@pytest.mark.parametrize("method", ["highest", "last", "first", "average"])
def test_quiz_grade_without_finished_attempts_is_none(method: str) -> None:
    assert quiz_grade(method, []) is None


def test_quiz_grade_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown grading method 'median'"):
        quiz_grade("median", SCORES)


# ---- overall feedback and passing ----

# listed out of order, so the first band reached is not the highest
BANDS = [
    {"from": 0.5, "text": "Nearly there."},
    {"from": 0.8, "text": "Well done."},
    {"from": 0.2, "text": "Read the module again."},
]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        pytest.param(1.0, "Well done.", id="top"),
        pytest.param(0.8, "Well done.", id="exactly-top"),
        pytest.param(0.79, "Nearly there.", id="just-below-top"),
        pytest.param(0.5, "Nearly there.", id="exactly-middle"),
        pytest.param(0.3, "Read the module again.", id="bottom"),
    ],
)
def test_feedback_band_is_the_highest_band_reached(score: float, expected: str) -> None:
    assert band(quiz(feedback_bands=BANDS), score) == expected


def test_feedback_band_below_every_band_is_none() -> None:
    assert band(quiz(feedback_bands=BANDS), 0.1) is None


def test_feedback_band_without_bands_is_none() -> None:
    assert band(quiz(), 1.0) is None


def test_passed_at_exactly_the_pass_mark() -> None:
    assert passed(0.7, 0.7)


def test_passed_with_an_average_that_lands_on_the_pass_mark() -> None:
    # (0.6 + 0.8) / 2 = 0.7
    assert passed(0.7, quiz_grade("average", [0.6, 0.8]))


def test_passed_below_the_pass_mark_fails() -> None:
    assert not passed(0.7, 0.6999)


def test_passed_without_a_grade_fails() -> None:
    assert not passed(0.0, None)


# ---- the attempt's score ----


def test_score_attempt_is_the_mean_over_every_slot() -> None:
    # three slots answered (1, 0.5, 0.25) of four: 1.75 / 4
    assert score_attempt([1.0, 0.5, 0.25], 4) == 0.4375


def test_score_attempt_with_nothing_answered_is_zero() -> None:
    assert score_attempt([], 10) == 0.0


def test_score_attempt_of_no_slots_is_refused() -> None:
    with pytest.raises(ValueError):
        score_attempt([], 0)


# ---- showing a score against the pass mark ----


@pytest.mark.parametrize(
    ("score", "pass_mark", "shown"),
    [
        pytest.param(0.6979, 0.7, "69.7%", id="just-under-is-not-rounded-up"),
        pytest.param(0.6999, 0.7, "69.9%", id="very-just-under"),
        pytest.param(0.69995, 0.7, "69.9%", id="under-by-a-hair"),
        pytest.param(0.7, 0.7, "70%", id="on-the-mark"),
        pytest.param(0.6949, 0.7, "69%", id="clearly-under"),
        pytest.param(0.7049, 0.7, "70%", id="over"),
        pytest.param(0.8333, 0.7, "83%", id="two-thirds-and-more"),
        pytest.param(0.0, 0.7, "0%", id="zero"),
        pytest.param(1.0, 0.7, "100%", id="full"),
        pytest.param(0.705, 0.705, "70.5%", id="a-mark-of-70.5-is-reached"),
    ],
)
def test_shown_score_never_lands_on_the_other_side_of_the_pass_mark(
    score: float, pass_mark: float, shown: str
) -> None:
    assert shown_score(score, pass_mark) == shown


@pytest.mark.parametrize("pass_mark", [0.5, 0.7, 0.75, 0.8])
def test_shown_score_agrees_with_passing_at_every_stored_score(pass_mark: float) -> None:
    for step in range(10001):  # scores are stored to 4 decimals
        score = step / 10000
        text = shown_score(score, pass_mark)
        assert (float(text.rstrip("%")) >= pass_mark * 100) == passed(pass_mark, score), text


def test_verdict_says_passed_band_and_pass_mark() -> None:
    checked = verdict(quiz(feedback_bands=BANDS), 0.6979)
    assert (checked.passed, checked.shown, checked.pass_mark) == (False, "69.7%", "70%")
    assert checked.band == "Nearly there."


# ---- whether a question is answered ----


def _matching() -> Matching:
    return Matching.model_validate(
        {
            "type": "matching",
            "id": "tq-001",
            "difficulty": "easy",
            "rules": ["r"],
            "stem": "Match.",
            "pairs": [
                {"id": i, "prompt": f"p{i}", "match": f"m{i}", "feedback": "f"}
                for i in ("a", "b", "c")
            ],
        }
    )


@pytest.mark.parametrize(
    ("response", "state"),
    [
        pytest.param(None, "not answered", id="nothing"),
        pytest.param({"matches": {}}, "not answered", id="emptied"),
        pytest.param({"matches": {"a": "b"}}, "partly answered", id="one-of-three"),
        pytest.param({"matches": {"a": "b", "b": "a", "c": "c"}}, "answered", id="all"),
    ],
)
def test_answer_state_tells_a_partly_matched_question(response, state) -> None:  # type: ignore[no-untyped-def]
    assert answer_state(_matching(), response) == state
