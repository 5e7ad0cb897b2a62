"""Walking a scenario and grading the path a learner took through it."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from course.content.schema import Choice, Scenario, Situation

GRADE_POINTS = {"best": 3, "acceptable": 2, "risky": 1, "breach": 0}
GRADE_ORDER = ("best", "acceptable", "risky", "breach")


@dataclass(frozen=True)
class Step:
    situation_id: str
    choice_id: str


@dataclass(frozen=True)
class PathGrade:
    """A path's grade: its weakest choice names it, the points show how close it came.

    The label is the worst grade among the choices made, because one breach of the rules is not
    averaged away by good choices elsewhere. The score is the mean of the choices' points
    (best 3, acceptable 2, risky 1, breach 0) divided by 3, between 0 and 1.
    """

    label: str
    score: float
    counts: dict[str, int]


@dataclass(frozen=True)
class Missed:
    """A situation where a better choice was available than the one made."""

    situation: Situation
    chosen: Choice
    better: Choice


def choice_orders(scenario: Scenario, rng: random.Random) -> dict[str, list[str]]:
    """An order to show the choices of every decision point in, drawn once for a play: the
    file's order would teach that the first choice is the best."""
    orders: dict[str, list[str]] = {}
    for situation in scenario.situations:
        if situation.choices:
            ids = [c.id for c in situation.choices]
            rng.shuffle(ids)
            orders[situation.id] = ids
    return orders


def in_order(situation: Situation, orders: Mapping[str, Sequence[str]] | None) -> list[Choice]:
    """A situation's choices as the play shows them; any the stored order lacks (a play made
    before orders were kept) follow in the file's order."""
    listed = list((orders or {}).get(situation.id, ()))
    ranked = {choice_id: n for n, choice_id in enumerate(listed)}
    return sorted(situation.choices, key=lambda c: ranked.get(c.id, len(listed)))


def take(scenario: Scenario, situation_id: str, choice_id: str) -> tuple[Choice, Situation]:
    """The choice made at a situation and the situation it leads to."""
    try:
        situation = scenario.situation(situation_id)
    except KeyError:
        raise ValueError(f"no situation '{situation_id}' in this scenario") from None
    if situation.ending:
        raise ValueError(f"'{situation_id}' is an ending: there is nothing to choose")
    try:
        choice = situation.choice(choice_id)
    except KeyError:
        raise ValueError(f"situation '{situation_id}' has no choice '{choice_id}'") from None
    return choice, scenario.situation(choice.next)


def replay(scenario: Scenario, steps: Sequence[Step]) -> Situation:
    """Follow recorded steps from the start; the situation they end at."""
    here = scenario.situation(scenario.start)
    for step in steps:
        if step.situation_id != here.id:
            raise ValueError(f"step at '{step.situation_id}' does not follow from '{here.id}'")
        _, here = take(scenario, step.situation_id, step.choice_id)
    return here


def resolve(scenario: Scenario, steps: Sequence[Step]) -> list[tuple[Situation, Choice]]:
    """Each step's situation and the choice made there."""
    taken = []
    for step in steps:
        situation = scenario.situation(step.situation_id)
        taken.append((situation, situation.choice(step.choice_id)))
    return taken


def grade_path(scenario: Scenario, steps: Sequence[Step]) -> PathGrade:
    """Grade the choices of a path (see PathGrade for the rule)."""
    grades: list[str] = [choice.grade for _, choice in resolve(scenario, steps)]
    if not grades:
        raise ValueError("a path with no choices has no grade")
    counts: dict[str, int] = {g: grades.count(g) for g in GRADE_ORDER if g in grades}
    worst = max(grades, key=GRADE_ORDER.index)
    score = sum(GRADE_POINTS[g] for g in grades) / (3 * len(grades))
    return PathGrade(label=worst, score=round(score, 4), counts=counts)


def missed(scenario: Scenario, steps: Sequence[Step]) -> list[Missed]:
    """For each step not graded best, the best choice that was on offer there."""
    found = []
    for situation, chosen in resolve(scenario, steps):
        if chosen.grade == "best":
            continue
        best = min(situation.choices, key=lambda c: GRADE_ORDER.index(c.grade))
        if GRADE_ORDER.index(best.grade) >= GRADE_ORDER.index(chosen.grade):
            continue  # nothing on offer there was better
        found.append(Missed(situation=situation, chosen=chosen, better=best))
    return found


@dataclass(frozen=True)
class Debrief:
    """What the debrief shows of a finished path: its grade, each step, the better choices."""

    grade: PathGrade
    taken: tuple[tuple[Situation, Choice], ...]
    missed: tuple[Missed, ...]


def debrief(scenario: Scenario, steps: Sequence[Step]) -> Debrief:
    return Debrief(
        grade=grade_path(scenario, steps),
        taken=tuple(resolve(scenario, steps)),
        missed=tuple(missed(scenario, steps)),
    )


def all_paths(scenario: Scenario) -> list[list[Step]]:
    """Every path from the start to an ending (the graph is acyclic and small)."""
    paths: list[list[Step]] = []

    def extend(situation: Situation, so_far: list[Step]) -> None:
        if situation.ending:
            paths.append(so_far)
            return
        for choice in situation.choices:
            extend(
                scenario.situation(choice.next),
                [*so_far, Step(situation.id, choice.id)],
            )

    extend(scenario.situation(scenario.start), [])
    return paths
