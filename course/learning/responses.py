"""Responses built from a question's key: the right answer, and a wholly wrong one.

The demo academy and the benchmarks answer quizzes with these, and the tests use them to know
what a right answer scores.
"""

from __future__ import annotations

from typing import Any

from course.content.schema import (
    Matching,
    MultipleResponse,
    Question,
    SingleChoice,
    TrueFalse,
)


def right_response(question: Question) -> dict[str, Any]:
    """The response that earns full marks."""
    if isinstance(question, SingleChoice):
        return {"choice": next(o.id for o in question.options if o.correct)}
    if isinstance(question, MultipleResponse):
        return {"choices": sorted(o.id for o in question.options if o.correct)}
    if isinstance(question, TrueFalse):
        return {"value": question.answer}
    if isinstance(question, Matching):
        return {"matches": {p.id: p.id for p in question.pairs}}
    return {"order": [i.id for i in question.items]}


def wrong_response(question: Question) -> dict[str, Any]:
    """A response that earns nothing: every option, match or neighbour wrong."""
    if isinstance(question, SingleChoice):
        return {"choice": next(o.id for o in question.options if not o.correct)}
    if isinstance(question, MultipleResponse):
        return {"choices": sorted(o.id for o in question.options if not o.correct)}
    if isinstance(question, TrueFalse):
        return {"value": not question.answer}
    if isinstance(question, Matching):
        ids = [p.id for p in question.pairs]
        return {"matches": dict(zip(ids, ids[1:] + ids[:1], strict=True))}
    return {"order": [i.id for i in reversed(question.items)]}
