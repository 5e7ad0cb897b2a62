"""Synthetic learners for the demo academy: who gets a question right, and what they give instead.

The model, so whoever reads the demo's statistics knows what they are looking at:
- a learner has an ability θ on a logit scale; a question has a difficulty b (easy -1, medium 0,
  hard +1, each moved by a little noise of its own) and a discrimination a (0.7 to 1.7);
- the chance of a right answer is 1 / (1 + exp(-a (θ - b))), the two-parameter logistic model of
  item response theory, so able learners get more right and hard questions fewer;
- a "trap" question has a negative discrimination: the ablest learners overthink it, which is
  what item analysis flags as "check the key";
- a wrong answer to a single-choice question picks a distractor by its pull (drawn once per
  question between 0.3 and 1.3, so some distractors draw four times as many as others); a
  "popular" distractor draws 90 % of its question's wrong answers and makes the question hard
  (b = 1.5, whatever its label), as a widely held misconception does;
- partial-credit questions are answered partly right: a multiple response keeps each right
  option with chance 0.6 and adds the distractor it pulls towards; a matching swaps two
  prompts' answers (sometimes two pairs of them); an ordering swaps two neighbours (sometimes
  twice); a true/false answer is the opposite of the key.

Every random draw comes from the `random.Random` the caller passes, so a seed gives the same
cohort every time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from course.content.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)
from course.learning.responses import right_response

DIFFICULTY = {"easy": -1.0, "medium": 0.0, "hard": 1.0}
POPULAR_PULL = 0.9  # the share of wrong answers a popular distractor draws to itself
POPULAR_DIFFICULTY = 1.5  # a question with a popular distractor is this hard, whatever its label
KEEP_RIGHT = 0.6  # a partly right multiple response keeps each right option with this chance


@dataclass(frozen=True)
class ItemModel:
    """How one question behaves in the synthetic cohort."""

    difficulty: float  # b, in logits
    discrimination: float  # a; negative for a trap
    pull: tuple[tuple[str, float], ...] = ()  # wrong option ids and their weights


def item_model(
    question: Question, rng: random.Random, *, popular: str | None = None, trap: bool = False
) -> ItemModel:
    """Draw a question's difficulty, discrimination and distractor pulls.

    `popular` names a wrong option that draws most wrong answers (the question is then harder
    than its label says: POPULAR_DIFFICULTY); `trap` gives the question a negative discrimination.
    """
    difficulty = DIFFICULTY[question.difficulty] + rng.gauss(0.0, 0.35)
    discrimination = -rng.uniform(0.4, 0.8) if trap else rng.uniform(0.7, 1.7)
    pull: list[tuple[str, float]] = []
    if isinstance(question, SingleChoice | MultipleResponse):
        wrong = [o.id for o in question.options if not o.correct]
        if popular is not None and popular not in wrong:
            raise ValueError(f"'{popular}' is not a wrong option of {question.id}")
        others = [(w, 0.3 + rng.random()) for w in wrong if w != popular]
        if popular is not None:
            rest = sum(weight for _, weight in others) or 1.0
            others.append((popular, rest * POPULAR_PULL / (1 - POPULAR_PULL)))
            difficulty += POPULAR_DIFFICULTY - DIFFICULTY[question.difficulty]
        pull = sorted(others)
    return ItemModel(difficulty, discrimination, tuple(pull))


def chance_right(ability: float, item: ItemModel) -> float:
    """The chance that a learner of this ability answers the question right."""
    exponent = -item.discrimination * (ability - item.difficulty)
    return 1.0 / (1.0 + math.exp(min(exponent, 700.0)))


def respond(
    question: Question, item: ItemModel, ability: float, rng: random.Random
) -> dict[str, Any]:
    """A response as the quiz page stores it: right with `chance_right`, else a wrong one."""
    if rng.random() < chance_right(ability, item):
        return right_response(question)
    return wrong_response(question, item, rng)


def wrong_response(question: Question, item: ItemModel, rng: random.Random) -> dict[str, Any]:
    """A response that is not wholly right, as a learner holding a misconception gives it."""
    if isinstance(question, SingleChoice):
        return {"choice": _pulled(item, rng)}
    if isinstance(question, TrueFalse):
        return {"value": not question.answer}
    if isinstance(question, MultipleResponse):
        keyed = [o.id for o in question.options if o.correct]
        chosen = {k for k in keyed if rng.random() < KEEP_RIGHT}
        if rng.random() < 0.8 or len(chosen) in (0, len(keyed)):
            chosen.add(_pulled(item, rng))
        return {"choices": sorted(chosen)}
    if isinstance(question, Matching):
        ids = [p.id for p in question.pairs]
        matches = dict(zip(ids, ids, strict=True))
        for _ in range(2 if rng.random() < 0.3 else 1):
            one, other = rng.sample(ids, 2)
            matches[one], matches[other] = matches[other], matches[one]
        if all(k == v for k, v in matches.items()):  # two swaps undid each other
            one, other = ids[0], ids[1]
            matches[one], matches[other] = other, one
        return {"matches": matches}
    if isinstance(question, Ordering):
        order = [i.id for i in question.items]
        for _ in range(2 if rng.random() < 0.3 else 1):
            at = rng.randrange(len(order) - 1)
            order[at], order[at + 1] = order[at + 1], order[at]
        if order == [i.id for i in question.items]:
            order[0], order[1] = order[1], order[0]
        return {"order": order}
    raise ValueError(f"unknown question type {type(question).__name__}")


def _pulled(item: ItemModel, rng: random.Random) -> str:
    ids: Sequence[str] = [option for option, _ in item.pull]
    return rng.choices(ids, [weight for _, weight in item.pull])[0]
