"""Synthetic learners: the logistic chance of a right answer, and wrong answers that are wrong."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from course.content.schema import Question
from course.learning.grading import grade
from course.learning.synthetic import (
    POPULAR_DIFFICULTY,
    ItemModel,
    chance_right,
    item_model,
    respond,
    wrong_response,
)
from tests.learning.builders import MATCHING, MULTIPLE, ORDERING, SINGLE, TRUE_FALSE

EVERY_TYPE = [SINGLE, MULTIPLE, TRUE_FALSE, MATCHING, ORDERING]


def test_chance_is_one_half_where_ability_meets_difficulty() -> None:
    assert chance_right(0.4, ItemModel(0.4, 1.3)) == pytest.approx(0.5)


def test_abler_learners_and_easier_questions_are_likelier_right() -> None:
    item = ItemModel(difficulty=0.0, discrimination=1.2)
    chances = [chance_right(ability, item) for ability in (-2, -1, 0, 1, 2)]
    assert chances == sorted(chances) and chances[0] < 0.1 < 0.9 < chances[-1]
    harder = ItemModel(difficulty=1.0, discrimination=1.2)
    assert chance_right(0.0, harder) < chance_right(0.0, item)


def test_a_trap_is_missed_more_by_the_ablest() -> None:
    trap = item_model(SINGLE, random.Random(1), trap=True)
    assert trap.discrimination < 0
    assert chance_right(2.0, trap) < chance_right(-2.0, trap)


def test_extreme_abilities_do_not_overflow() -> None:
    item = ItemModel(0.0, 1.0)
    assert chance_right(-5000.0, item) == pytest.approx(0.0)
    assert chance_right(5000.0, item) == 1.0


@pytest.mark.parametrize("question", EVERY_TYPE, ids=lambda q: q.type)
def test_wrong_responses_fit_the_question_and_are_never_wholly_right(question: Question) -> None:
    rng = random.Random(3)
    item = item_model(question, rng)
    for _ in range(200):
        assert 0 <= grade(question, wrong_response(question, item, rng)) < 1


@pytest.mark.parametrize("question", EVERY_TYPE, ids=lambda q: q.type)
def test_a_sure_learner_answers_right(question: Question) -> None:
    rng = random.Random(4)
    item = ItemModel(difficulty=0.0, discrimination=1.0)
    assert grade(question, respond(question, item, 1000.0, rng)) == 1.0


def test_partial_credit_questions_earn_some_marks_when_wrong() -> None:
    rng = random.Random(5)
    for question in (MULTIPLE, MATCHING, ORDERING):
        item = item_model(question, rng)
        scores = {grade(question, wrong_response(question, item, rng)) for _ in range(200)}
        assert any(0 < s < 1 for s in scores), question.type


def test_a_popular_distractor_draws_most_wrong_answers_and_makes_the_question_hard() -> None:
    rng = random.Random(6)
    item = item_model(SINGLE, rng, popular="d")
    assert item.difficulty == pytest.approx(POPULAR_DIFFICULTY, abs=1.4)  # 4 sd of its noise
    picks = Counter(wrong_response(SINGLE, item, rng)["choice"] for _ in range(2000))
    assert picks.most_common(1)[0][0] == "d" and picks["d"] > 0.8 * 2000
    assert "b" not in picks  # the key is never a wrong answer


def test_the_key_cannot_be_the_popular_distractor() -> None:
    with pytest.raises(ValueError, match="not a wrong option"):
        item_model(SINGLE, random.Random(7), popular="b")


def test_a_seed_gives_the_same_answers() -> None:
    def answers(seed: int) -> list[object]:
        rng = random.Random(seed)
        items = [item_model(q, rng) for q in EVERY_TYPE]
        return [respond(q, i, 0.0, rng) for q, i in zip(EVERY_TYPE, items, strict=True)]

    assert answers(8) == answers(8)
