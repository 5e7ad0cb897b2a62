"""Grading one answer to a question, between 0 and 1, for each of the five question types.

The rules, so a trainer can check them:
- single choice and true/false: 1 for the keyed answer, else 0.
- multiple response: each right option chosen earns 1/k (k right options); each wrong option
  chosen costs 1/w (w wrong options); the total never drops below 0.
- matching: each prompt matched to its own answer earns 1/n (n prompts); unanswered prompts earn 0.
- ordering: each of the n-1 neighbouring pairs in the learner's order that are also neighbours, in
  that order, in the key earns 1/(n-1) ("relative to the next item", as Moodle calls it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from course.content.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)


class BadResponse(ValueError):
    """A response that does not fit its question (unknown option, wrong shape)."""


def grade_single(chosen: str, key: str, offered: frozenset[str]) -> float:
    if chosen not in offered:
        raise BadResponse(f"option '{chosen}' was not offered")
    return 1.0 if chosen == key else 0.0


def grade_multiple(chosen: frozenset[str], key: frozenset[str], offered: frozenset[str]) -> float:
    if unknown := chosen - offered:
        raise BadResponse(f"options not offered: {', '.join(sorted(unknown))}")
    wrong = offered - key
    earned = len(chosen & key) / len(key)
    lost = len(chosen & wrong) / len(wrong) if wrong else 0.0
    return max(0.0, round(earned - lost, 4))


def grade_matching(matches: Mapping[str, str], prompts: Sequence[str]) -> float:
    """`matches` maps a prompt's id to the id of the pair whose answer was chosen for it."""
    if unknown := (set(matches) | set(matches.values())) - set(prompts):
        raise BadResponse(f"unknown pairs: {', '.join(sorted(unknown))}")
    return round(sum(1 for p in prompts if matches.get(p) == p) / len(prompts), 4)


def grade_ordering(order: Sequence[str], key: Sequence[str]) -> float:
    if sorted(order) != sorted(key):
        raise BadResponse("an ordering answer places every item exactly once")
    following = {key[i]: key[i + 1] for i in range(len(key) - 1)}
    right = sum(1 for i in range(len(order) - 1) if following.get(order[i]) == order[i + 1])
    return round(right / (len(key) - 1), 4)


def _listed(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        raise BadResponse("expected a list of ids")
    return [str(item) for item in value]


def grade(question: Question, response: Mapping[str, Any]) -> float:
    """The score of a stored response to a question (see the module docstring for the rules)."""
    try:
        if isinstance(question, SingleChoice):
            key = next(o.id for o in question.options if o.correct)
            return grade_single(str(response["choice"]), key, _ids(question))
        if isinstance(question, MultipleResponse):
            keyed = frozenset(o.id for o in question.options if o.correct)
            return grade_multiple(frozenset(_listed(response["choices"])), keyed, _ids(question))
        if isinstance(question, TrueFalse):
            if not isinstance(response["value"], bool):
                raise BadResponse("a true/false answer is true or false")
            return 1.0 if response["value"] == question.answer else 0.0
        if isinstance(question, Matching):
            if not isinstance(response["matches"], Mapping):
                raise BadResponse("expected prompt ids mapped to pair ids")
            matches = {str(k): str(v) for k, v in response["matches"].items()}
            return grade_matching(matches, [p.id for p in question.pairs])
        if isinstance(question, Ordering):
            order = _listed(response["order"])
            return grade_ordering(order, [i.id for i in question.items])
    except (KeyError, TypeError) as missing:
        raise BadResponse(f"the response lacks {missing}") from None
    raise BadResponse(f"unknown question type {type(question).__name__}")


def is_complete(question: Question, response: Mapping[str, Any]) -> bool:
    """Whether a response answers the whole question (a matching needs every prompt)."""
    if isinstance(question, Matching):
        prompts = {p.id for p in question.pairs}
        return prompts <= set(response.get("matches", {}))
    if isinstance(question, MultipleResponse):
        return bool(response.get("choices"))
    return bool(response)


def _ids(question: SingleChoice | MultipleResponse) -> frozenset[str]:
    return frozenset(o.id for o in question.options)
