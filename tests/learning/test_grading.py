"""Grading one answer, on small questions of each type, against scores worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from course.content.schema import Question
from course.learning.grading import (
    BadResponse,
    grade,
    grade_matching,
    grade_multiple,
    grade_ordering,
    grade_single,
    is_complete,
)
from tests.learning.builders import MATCHING, MULTIPLE, ORDERING, SINGLE, TRUE_FALSE

OFFERED = frozenset("abcde")
KEY = frozenset("ab")


# ---- single choice ----


def test_grade_single_keyed_option_scores_one() -> None:
    assert grade_single("b", "b", frozenset("abcd")) == 1.0


def test_grade_single_other_option_scores_zero() -> None:
    assert grade_single("c", "b", frozenset("abcd")) == 0.0


def test_grade_single_option_not_offered_is_refused() -> None:
    with pytest.raises(BadResponse, match="option 'z' was not offered"):
        grade_single("z", "b", frozenset("abcd"))


# ---- multiple response: k = 2 right (a, b), w = 3 wrong (c, d, e) ----


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        pytest.param("a", 0.5, id="one-right"),  # 1/2
        pytest.param("ab", 1.0, id="two-right"),  # 2/2
        pytest.param("abc", 0.6667, id="two-right-one-wrong"),  # 2/2 - 1/3 = 2/3
        pytest.param("acd", 0.0, id="one-right-two-wrong"),  # 1/2 - 2/3 = -1/6, floored to 0
        pytest.param("c", 0.0, id="one-wrong"),  # 0/2 - 1/3 = -1/3, floored to 0
        pytest.param("abcde", 0.0, id="everything"),  # 2/2 - 3/3 = 0
        pytest.param("", 0.0, id="nothing"),  # 0/2 - 0/3 = 0
    ],
)
def test_grade_multiple_gives_partial_credit(chosen: str, expected: float) -> None:
    assert grade_multiple(frozenset(chosen), KEY, OFFERED) == expected


def test_grade_multiple_option_not_offered_is_refused() -> None:
    with pytest.raises(BadResponse, match="options not offered: y, z"):
        grade_multiple(frozenset("azy"), KEY, OFFERED)


# ---- matching: 4 prompts, each worth 1/4 ----


@pytest.mark.parametrize(
    ("matches", "expected"),
    [
        pytest.param({"a": "b", "b": "a", "c": "d", "d": "c"}, 0.0, id="none-right"),  # 0/4
        pytest.param({"a": "a", "b": "b", "c": "d", "d": "c"}, 0.5, id="two-right"),  # 2/4
        pytest.param({"a": "a", "b": "b", "c": "c", "d": "d"}, 1.0, id="all-right"),  # 4/4
        pytest.param({"a": "a", "b": "b", "c": "c"}, 0.75, id="one-unanswered"),  # 3/4
        pytest.param({"a": "a", "b": "c", "c": "b"}, 0.25, id="one-unanswered-two-wrong"),  # 1/4
        pytest.param({}, 0.0, id="nothing"),  # 0/4
    ],
)
def test_grade_matching_gives_a_quarter_for_each_prompt(
    matches: dict[str, str], expected: float
) -> None:
    assert grade_matching(matches, list("abcd")) == expected


def test_grade_matching_unknown_prompt_is_refused() -> None:
    with pytest.raises(BadResponse, match="unknown pairs: z"):
        grade_matching({"z": "a"}, list("abcd"))


def test_grade_matching_unknown_answer_is_refused() -> None:
    with pytest.raises(BadResponse, match="unknown pairs: z"):
        grade_matching({"a": "z"}, list("abcd"))


# ---- ordering: key a b c d, so a→b, b→c, c→d each earn 1/3 ----


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        pytest.param("abcd", 1.0, id="key-order"),  # a→b ✓ b→c ✓ c→d ✓: 3/3
        pytest.param("dcba", 0.0, id="reversed"),  # d→c ✗ c→b ✗ b→a ✗: 0/3
        pytest.param("acbd", 0.0, id="adjacent-swap"),  # a→c ✗ c→b ✗ b→d ✗: 0/3
        pytest.param("bcda", 0.6667, id="rotation"),  # b→c ✓ c→d ✓ d→a ✗: 2/3
        pytest.param("cdab", 0.6667, id="halves-swapped"),  # c→d ✓ d→a ✗ a→b ✓: 2/3
        pytest.param("abdc", 0.3333, id="last-two-swapped"),  # a→b ✓ b→d ✗ d→c ✗: 1/3
    ],
)
def test_grade_ordering_counts_neighbours_kept(order: str, expected: float) -> None:
    assert grade_ordering(list(order), list("abcd")) == expected


def test_grade_ordering_that_repeats_an_item_is_refused() -> None:
    with pytest.raises(BadResponse, match="every item exactly once"):
        grade_ordering(list("aabc"), list("abcd"))


def test_grade_ordering_that_leaves_out_an_item_is_refused() -> None:
    with pytest.raises(BadResponse, match="every item exactly once"):
        grade_ordering(list("abc"), list("abcd"))


def test_grade_ordering_with_an_unknown_item_is_refused() -> None:
    with pytest.raises(BadResponse, match="every item exactly once"):
        grade_ordering(list("abcz"), list("abcd"))


# ---- grade(): dispatch on the question type, with stored response shapes ----


@pytest.mark.parametrize(
    ("question", "response", "expected"),
    [
        pytest.param(SINGLE, {"choice": "b"}, 1.0, id="single-right"),
        pytest.param(SINGLE, {"choice": "a"}, 0.0, id="single-wrong"),
        pytest.param(MULTIPLE, {"choices": ["a", "b"]}, 1.0, id="multiple-right"),  # 2/2
        pytest.param(MULTIPLE, {"choices": ["b"]}, 0.5, id="multiple-half"),  # 1/2
        pytest.param(
            MULTIPLE, {"choices": ["a", "b", "e"]}, 0.6667, id="multiple-one-wrong"
        ),  # 2/2 - 1/3 = 2/3
        pytest.param(MULTIPLE, {"choices": []}, 0.0, id="multiple-nothing"),
        pytest.param(TRUE_FALSE, {"value": False}, 1.0, id="true-false-right"),
        pytest.param(TRUE_FALSE, {"value": True}, 0.0, id="true-false-wrong"),
        pytest.param(
            MATCHING,
            {"matches": {"a": "a", "b": "b", "c": "c", "d": "d"}},
            1.0,
            id="matching-right",
        ),  # 4/4
        pytest.param(
            MATCHING, {"matches": {"a": "a", "b": "c", "c": "b"}}, 0.25, id="matching-partial"
        ),  # 1/4
        pytest.param(ORDERING, {"order": ["a", "b", "c", "d"]}, 1.0, id="ordering-right"),  # 3/3
        pytest.param(
            ORDERING, {"order": ["b", "c", "d", "a"]}, 0.6667, id="ordering-rotated"
        ),  # 2/3
    ],
)
def test_grade_dispatches_on_the_question_type(
    question: Question, response: dict[str, Any], expected: float
) -> None:
    assert grade(question, response) == expected


def test_grade_true_false_keyed_true_scores_true() -> None:
    keyed_true = TRUE_FALSE.model_copy(update={"answer": True})

    assert (grade(keyed_true, {"value": True}), grade(keyed_true, {"value": False})) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("question", "response"),
    [
        pytest.param(SINGLE, {"choice": "z"}, id="single"),
        pytest.param(MULTIPLE, {"choices": ["a", "z"]}, id="multiple"),
        pytest.param(MATCHING, {"matches": {"a": "z"}}, id="matching"),
        pytest.param(ORDERING, {"order": ["a", "b", "c", "z"]}, id="ordering"),
    ],
)
def test_grade_option_not_offered_is_a_bad_response(
    question: Question, response: dict[str, Any]
) -> None:
    with pytest.raises(BadResponse):
        grade(question, response)


@pytest.mark.parametrize(
    ("question", "response"),
    [
        pytest.param(SINGLE, {"choices": ["b"]}, id="single"),
        pytest.param(MULTIPLE, {"choice": "a"}, id="multiple"),
        pytest.param(TRUE_FALSE, {}, id="true-false"),
        pytest.param(MATCHING, {"order": ["a"]}, id="matching"),
        pytest.param(ORDERING, {"matches": {}}, id="ordering"),
    ],
)
def test_grade_response_missing_its_key_is_a_bad_response(
    question: Question, response: dict[str, Any]
) -> None:
    with pytest.raises(BadResponse, match="the response lacks"):
        grade(question, response)


def test_grade_ordering_that_repeats_an_item_is_a_bad_response() -> None:
    with pytest.raises(BadResponse, match="every item exactly once"):
        grade(ORDERING, {"order": ["a", "b", "b", "d"]})


@pytest.mark.parametrize("value", ["true", "False", 1, None])
def test_grade_true_false_that_is_not_a_bool_is_a_bad_response(value: object) -> None:
    with pytest.raises(BadResponse, match="true or false"):
        grade(TRUE_FALSE, {"value": value})


def test_grade_wrong_container_is_a_bad_response() -> None:
    with pytest.raises(BadResponse, match="expected a list of ids"):
        grade(ORDERING, {"order": None})


def test_grade_a_string_is_not_a_list_of_ids() -> None:
    with pytest.raises(BadResponse, match="expected a list of ids"):
        grade(ORDERING, {"order": "abcd"})
    with pytest.raises(BadResponse, match="expected a list of ids"):
        grade(MULTIPLE, {"choices": "ab"})
    with pytest.raises(BadResponse, match="mapped to pair ids"):
        grade(MATCHING, {"matches": "ab"})


# ---- is_complete ----


def test_is_complete_partly_answered_matching_is_not_complete() -> None:
    assert not is_complete(MATCHING, {"matches": {"a": "a", "b": "b", "c": "c"}})


def test_is_complete_fully_answered_matching_is_complete() -> None:
    # every prompt answered, even wrongly, completes it
    assert is_complete(MATCHING, {"matches": {"a": "b", "b": "a", "c": "c", "d": "d"}})


def test_is_complete_matching_without_matches_is_not_complete() -> None:
    assert not is_complete(MATCHING, {})


def test_is_complete_multiple_with_nothing_chosen_is_not_complete() -> None:
    assert not is_complete(MULTIPLE, {"choices": []})
    assert is_complete(MULTIPLE, {"choices": ["c"]})


def test_is_complete_other_types_need_a_response() -> None:
    assert not is_complete(SINGLE, {})
    assert is_complete(SINGLE, {"choice": "a"})
    assert is_complete(TRUE_FALSE, {"value": False})
    assert is_complete(ORDERING, {"order": ["d", "c", "b", "a"]})
