"""The review of an answer: under every policy, for every type, a hidden key stays hidden."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from course.content.schema import Question
from course.learning.grading import grade
from course.learning.review import review
from tests.learning.builders import MATCHING, MULTIPLE, ORDERING, SINGLE, TRUE_FALSE

PARTS = ("score", "correctness", "feedback", "key")
POLICIES = [frozenset(c) for n in range(len(PARTS) + 1) for c in combinations(PARTS, n)]
WITHOUT_KEY = [p for p in POLICIES if "key" not in p]

# a wrong answer to each question, and the order its options were shown in
WRONG: list[tuple[Question, dict[str, Any], tuple[str, ...]]] = [
    (SINGLE, {"choice": "c"}, ("d", "c", "b", "a")),
    (MULTIPLE, {"choices": ["a", "c"]}, ("e", "d", "c", "b", "a")),
    (TRUE_FALSE, {"value": True}, ()),
    (MATCHING, {"matches": {"a": "b", "b": "a", "c": "d"}}, ("d", "c", "b", "a")),
    (ORDERING, {"order": ["d", "c", "b", "a"]}, ("c", "a", "d", "b")),
]


def text_of(question: Question, response: dict[str, Any], order: tuple[str, ...], policy) -> str:  # type: ignore[no-untyped-def]
    shown = review(question, response, grade(question, response), order, policy)
    parts = [shown.correctness or "", shown.explanation or "", " ".join(shown.rules)]
    return "\n".join([*parts, *(line.text for line in shown.lines)])


@pytest.mark.parametrize("policy", WITHOUT_KEY, ids=lambda p: "+".join(sorted(p)) or "nothing")
@pytest.mark.parametrize(
    ("question", "response", "order"), WRONG, ids=lambda v: getattr(v, "type", "")
)
def test_review_without_the_key_never_reveals_it(question, response, order, policy) -> None:  # type: ignore[no-untyped-def]
    shown = text_of(question, response, order, policy)
    assert "GENERAL" not in shown and "Check the facts" not in shown  # explanations
    assert "correct answer" not in shown.lower() and "correct match" not in shown.lower()
    assert "right order" not in shown.lower()
    assert "pk-cr-r22-statements" not in shown  # the rule the key rests on
    if question is SINGLE or question is MULTIPLE:
        assert "Why b is right" not in shown  # the feedback of a keyed option not chosen
    if question is MATCHING:
        for pair in "abcd":  # every prompt here is matched wrongly or not at all
            assert f"Why {pair} fits {pair}" not in shown
    if question is ORDERING:
        assert "goes here" not in shown  # item feedback follows the right order
        assert "Step a" not in shown.split("Your order:")[0]


@pytest.mark.parametrize(
    ("question", "response", "order"), WRONG, ids=lambda v: getattr(v, "type", "")
)
def test_review_with_everything_shows_the_key(question, response, order) -> None:  # type: ignore[no-untyped-def]
    shown = text_of(question, response, order, frozenset(PARTS))
    assert "pk-cr-r22-statements" in shown
    key_words = {
        "single": "correct answer",
        "multiple": "correct answer",
        "true_false": "Correct answer: False",
        "matching": "Correct match: Answer a",
        "ordering": "The right order:",
    }[question.type]
    assert key_words in shown


def test_review_shows_matching_feedback_only_for_prompts_matched_rightly() -> None:
    response = {"matches": {"a": "a", "b": "c"}}
    shown = text_of(MATCHING, response, (), frozenset({"correctness", "feedback"}))
    assert "Why a fits a" in shown  # matched rightly: its feedback tells nothing new
    assert "Why b fits b" not in shown
    assert "Prompt a → you chose: Answer a ✓" in shown
    assert "Prompt b → you chose: Answer c ✗" in shown


def test_review_lists_options_in_the_order_shown_with_feedback_for_the_chosen() -> None:
    shown = review(SINGLE, {"choice": "c"}, 0.0, ("d", "c", "b", "a"), frozenset({"feedback"}))
    answers = [line.text for line in shown.lines if line.kind == "answer"]
    assert answers == [
        "☐: Option d",
        "☑ you chose: Option c",
        "☐: Option b",
        "☐: Option a",
    ]
    assert [line.text for line in shown.lines if line.kind == "feedback"] == ["Why c is wrong."]


def test_review_says_correctness_with_the_share_of_marks() -> None:
    shown = review(MULTIPLE, {"choices": ["a", "c"]}, 0.1667, (), frozenset({"correctness"}))
    assert shown.correctness == "Partly correct · 17% of the marks"
    assert review(SINGLE, None, None, (), frozenset({"correctness"})).correctness == (
        "Not answered · 0% of the marks"
    )
