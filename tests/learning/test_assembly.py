"""Assembling an attempt from small pools: what is drawn, and the order it is shown in."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from course.content.schema import (
    Item,
    Matching,
    Option,
    Ordering,
    Pair,
    Question,
    Quiz,
    SingleChoice,
)
from course.learning.assembly import Slot, assemble

RULES = ("pk-cr-r22-statements",)
PREFIX = {"epistemic-insularity": "ei", "conflict-of-interest": "coi", "ethical-engagement": "ee"}


def single(question_id: str, tags: tuple[str, ...] = ()) -> SingleChoice:
    return SingleChoice(
        type="single",
        id=question_id,
        difficulty="easy",
        tags=tags,
        rules=RULES,
        stem=f"Question {question_id}?",
        options=tuple(
            Option(
                id=i,
                text=f"Option {i}",
                correct=i == "a",
                feedback="Why.",
                misconception=None if i == "a" else "A mistaken belief.",
            )
            for i in "abcd"
        ),
    )


MATCHING = Matching(
    type="matching",
    id="fx-002",
    difficulty="medium",
    rules=RULES,
    stem="Match each situation to its rule.",
    pairs=tuple(
        Pair(id=i, prompt=f"Prompt {i}", match=f"Answer {i}", feedback="Why.") for i in "abcd"
    ),
)

ORDERING = Ordering(
    type="ordering",
    id="fx-003",
    difficulty="hard",
    rules=RULES,
    stem="Put the steps in order.",
    items=tuple(Item(id=i, text=f"Step {i}", feedback="Why.") for i in "abcd"),
    feedback="Check the facts before you publish.",
)

# six questions a competency; in conflict-of-interest, the odd ones are tagged "gifts"
POOLS: dict[str, list[Question]] = {
    competency: [
        single(
            f"{prefix}-{n:03}",
            tags=("gifts",) if prefix == "coi" and n % 2 else (),
        )
        for n in range(1, 7)
    ]
    for competency, prefix in PREFIX.items()
}
FIXED: dict[str, Question] = {q.id: q for q in (single("fx-001"), MATCHING, ORDERING)} | {
    q.id: q for questions in POOLS.values() for q in questions
}


def pool(competency: str, tag: str | None) -> list[Question]:
    return [q for q in POOLS[competency] if tag is None or tag in q.tags]


def fixed(question_id: str) -> Question:
    return FIXED[question_id]


def quiz(**fields: Any) -> Quiz:
    return Quiz.model_validate(
        {"id": "gifts-check", "title": "Gifts", "kind": "competency", "pass_mark": 0.7} | fields
    )


DRAWS = [
    {"competency": "epistemic-insularity", "count": 2},
    {"competency": "conflict-of-interest", "count": 3},
]


def ids(slots: list[Slot]) -> list[str]:
    return [slot.question.id for slot in slots]


def layout(slots: list[Slot]) -> list[tuple[str, tuple[str, ...]]]:
    return [(slot.question.id, slot.order) for slot in slots]


def test_assemble_draws_the_count_from_each_competency() -> None:
    for seed in range(20):
        slots = assemble(quiz(draws=DRAWS), pool, fixed, random.Random(seed))

        assert Counter(i.split("-")[0] for i in ids(slots)) == {"ei": 2, "coi": 3}
        assert len(set(ids(slots))) == 5


def test_assemble_two_draws_from_one_competency_never_repeat_a_question() -> None:
    # 3 + 3 from a pool of 6: only possible if the second draw skips the first's picks
    draws = [{"competency": "ethical-engagement", "count": 3}] * 2
    for seed in range(20):
        slots = assemble(quiz(draws=draws), pool, fixed, random.Random(seed))

        assert sorted(ids(slots)) == [f"ee-{n:03}" for n in range(1, 7)]


def test_assemble_draw_with_a_tag_takes_only_tagged_questions() -> None:
    draws = [{"competency": "conflict-of-interest", "count": 2, "tag": "gifts"}]
    for seed in range(20):
        slots = assemble(quiz(draws=draws), pool, fixed, random.Random(seed))

        assert all("gifts" in slot.question.tags for slot in slots)
        assert len(set(ids(slots))) == 2


def test_assemble_includes_the_fixed_questions() -> None:
    slots = assemble(
        quiz(questions=["fx-001", "fx-002", "fx-003"], draws=DRAWS),
        pool,
        fixed,
        random.Random(3),
    )

    assert {"fx-001", "fx-002", "fx-003"} <= set(ids(slots))
    assert len(slots) == 3 + 2 + 3


def test_assemble_fixed_only_quiz_asks_exactly_those() -> None:
    slots = assemble(quiz(questions=["fx-001", "fx-002"]), pool, fixed, random.Random(0))

    assert sorted(ids(slots)) == ["fx-001", "fx-002"]


def test_assemble_never_draws_a_fixed_question_again() -> None:
    # ei-001 is fixed, so a draw of 5 from the 6 in the pool must take the other five
    for seed in range(20):
        slots = assemble(
            quiz(questions=["ei-001"], draws=[{"competency": "epistemic-insularity", "count": 5}]),
            pool,
            fixed,
            random.Random(seed),
        )

        assert sorted(ids(slots)) == [f"ei-{n:03}" for n in range(1, 7)]


def test_assemble_same_seed_gives_the_same_layout() -> None:
    shape = quiz(questions=["fx-001", "fx-002", "fx-003"], draws=DRAWS)

    first = assemble(shape, pool, fixed, random.Random(42))
    second = assemble(shape, pool, fixed, random.Random(42))

    assert layout(first) == layout(second)


def test_assemble_different_seeds_give_different_layouts() -> None:
    shape = quiz(questions=["fx-001", "fx-002", "fx-003"], draws=DRAWS)
    baseline = layout(assemble(shape, pool, fixed, random.Random(0)))

    for seed in range(1, 11):
        assert layout(assemble(shape, pool, fixed, random.Random(seed))) != baseline


def test_assemble_without_shuffling_keeps_the_draw_order() -> None:
    shape = quiz(
        questions=["fx-001", "fx-002"],
        draws=DRAWS,
        shuffle_questions=False,
        shuffle_options=False,
    )
    for seed in range(20):
        slots = assemble(shape, pool, fixed, random.Random(seed))

        # the fixed list as written, then each draw in turn
        assert ids(slots)[:2] == ["fx-001", "fx-002"]
        assert [i.split("-")[0] for i in ids(slots)[2:]] == ["ei", "ei", "coi", "coi", "coi"]
        assert all(slot.order == ("a", "b", "c", "d") for slot in slots)


def test_assemble_shuffles_questions_when_asked() -> None:
    shape = quiz(questions=["fx-001", "fx-002"], draws=DRAWS, shuffle_questions=True)
    draw_order = ["fx", "fx", "ei", "ei", "coi", "coi", "coi"]

    prefixes = [
        [i.split("-")[0] for i in ids(assemble(shape, pool, fixed, random.Random(seed)))]
        for seed in range(20)
    ]

    assert any(p != draw_order for p in prefixes)
    assert all(sorted(p) == sorted(draw_order) for p in prefixes)


def test_assemble_shuffles_options_when_asked() -> None:
    shape = quiz(questions=["fx-001", "fx-002"], shuffle_options=True)
    orders = [
        slot.order
        for seed in range(20)
        for slot in assemble(shape, pool, fixed, random.Random(seed))
    ]

    assert any(order != ("a", "b", "c", "d") for order in orders)
    assert all(sorted(order) == ["a", "b", "c", "d"] for order in orders)


def test_assemble_keeps_the_order_of_options_that_form_a_scale() -> None:
    scale = single("fx-001").model_copy(update={"fixed_order": True})
    shape = quiz(questions=["fx-001"], shuffle_options=True)
    for seed in range(20):
        (slot,) = assemble(shape, pool, lambda _: scale, random.Random(seed))

        assert slot.order == ("a", "b", "c", "d")


@pytest.mark.parametrize("shuffle_options", [True, False])
def test_assemble_never_shows_an_ordering_in_key_order(shuffle_options: bool) -> None:
    shape = quiz(questions=["fx-003"], shuffle_options=shuffle_options)
    for seed in range(50):
        (slot,) = assemble(shape, pool, fixed, random.Random(seed))

        assert slot.order != ("a", "b", "c", "d")
        assert sorted(slot.order) == ["a", "b", "c", "d"]


def test_assemble_pool_too_small_is_refused() -> None:
    shape = quiz(draws=[{"competency": "epistemic-insularity", "count": 7}])

    with pytest.raises(ValueError, match="cannot draw 7 from epistemic-insularity"):
        assemble(shape, pool, fixed, random.Random(0))


def test_assemble_tagged_pool_too_small_is_refused() -> None:
    # three of the six conflict-of-interest questions carry the tag
    shape = quiz(draws=[{"competency": "conflict-of-interest", "count": 4, "tag": "gifts"}])

    with pytest.raises(ValueError, match="cannot draw 4 from conflict-of-interest"):
        assemble(shape, pool, fixed, random.Random(0))


def test_assemble_pool_emptied_by_fixed_questions_is_refused() -> None:
    shape = quiz(questions=["ei-001"], draws=[{"competency": "epistemic-insularity", "count": 6}])

    with pytest.raises(ValueError, match="cannot draw 6"):
        assemble(shape, pool, fixed, random.Random(0))
