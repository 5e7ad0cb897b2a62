"""Assembling a quiz attempt: which questions, in which order, with options in which order."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from course.content.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    Quiz,
    SingleChoice,
)


@dataclass(frozen=True)
class Slot:
    """One place in an attempt: a question and the order its options are shown in."""

    question: Question
    order: tuple[str, ...]  # option ids, pair ids (for the answers) or item ids, as shown


def assemble(
    quiz: Quiz,
    pool: Callable[[str, str | None], list[Question]],
    fixed: Callable[[str], Question],
    rng: random.Random,
) -> list[Slot]:
    """Draw the quiz's questions from the pools (no question twice) and lay them out.

    Draws take `count` distinct questions at random from the competency's pool (or its tag).
    Questions are shuffled when the quiz says so; options are shuffled when it says so, unless
    the question's options form a scale (`fixed_order`); the items of an ordering question are
    always shown out of order, or the key would be given away.
    """
    chosen: list[Question] = [fixed(question_id) for question_id in quiz.questions]
    taken = {q.id for q in chosen}
    for draw in quiz.draws:
        candidates = [q for q in pool(draw.competency, draw.tag) if q.id not in taken]
        if len(candidates) < draw.count:
            raise ValueError(f"quiz '{quiz.id}' cannot draw {draw.count} from {draw.competency}")
        picked = rng.sample(candidates, draw.count)
        chosen.extend(picked)
        taken.update(q.id for q in picked)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return [Slot(question=q, order=_layout(q, quiz.shuffle_options, rng)) for q in chosen]


def _layout(question: Question, shuffle: bool, rng: random.Random) -> tuple[str, ...]:
    if isinstance(question, SingleChoice | MultipleResponse):
        ids = [o.id for o in question.options]
        shuffle = shuffle and not question.fixed_order
    elif isinstance(question, Matching):
        ids = [p.id for p in question.pairs]
    elif isinstance(question, Ordering):
        ids = [i.id for i in question.items]
        return tuple(_out_of_order(ids, rng))
    else:
        return ()
    if shuffle:
        rng.shuffle(ids)
    return tuple(ids)


def _out_of_order(key: list[str], rng: random.Random) -> list[str]:
    shown = list(key)
    while shown == key:
        rng.shuffle(shown)
    return shown
