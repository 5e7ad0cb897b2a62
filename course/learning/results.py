"""How a quiz is scored, graded, passed and banded, and how a score is shown.

The rules, so a trainer can check them:
- an attempt's score is the mean of its slots' scores; an unanswered slot scores 0;
- a quiz's grade is the highest, last, first or average score of the finished attempts, as the
  quiz says (the average to 4 decimals);
- a grade passes when it reaches the pass mark;
- the feedback band is the highest band whose lower bound the score reaches;
- a score is shown as a whole percent, unless rounding would put it on the other side of the
  pass mark (69.8 % of a 70 % pass mark is shown as 69.8 %, never as 70 %).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from course.content.schema import Question, Quiz
from course.learning.grading import is_complete

_EPSILON = 1e-9  # scores are stored to 4 decimals: tolerate float noise at the pass mark
AnswerState = Literal["answered", "partly answered", "not answered"]


def score_attempt(slot_scores: Sequence[float], slots: int) -> float:
    """The attempt's score: the sum of its answered slots' scores over all its slots."""
    if slots < 1:
        raise ValueError("an attempt has at least one question")
    return round(sum(slot_scores) / slots, 4)


def quiz_grade(method: str, scores: Sequence[float]) -> float | None:
    """The grade from finished attempts' scores, oldest first; None when none is finished."""
    if not scores:
        return None
    if method == "highest":
        return max(scores)
    if method == "last":
        return scores[-1]
    if method == "first":
        return scores[0]
    if method == "average":
        return round(sum(scores) / len(scores), 4)
    raise ValueError(f"unknown grading method '{method}'")


def passed(pass_mark: float, grade: float | None) -> bool:
    return grade is not None and grade >= pass_mark - _EPSILON


def band(quiz: Quiz, score: float) -> str | None:
    """The overall feedback of the highest band the score reaches."""
    reached = [b for b in quiz.feedback_bands if score >= b.from_score - _EPSILON]
    return max(reached, key=lambda b: b.from_score).text if reached else None


def percent(value: float) -> str:
    """A fraction as a whole percent (for pass marks and other exact figures)."""
    return f"{round(value * 100)}%"


def shown_score(score: float, pass_mark: float) -> str:
    """The score as a percent that never lands on the other side of the pass mark."""
    whole = round(score * 100)
    mark = pass_mark * 100
    if passed(pass_mark, score) == (whole >= mark - _EPSILON * 100):
        return f"{whole}%"
    tenths = score * 1000
    # one decimal, rounded toward the side the score is really on
    shown = math.ceil(tenths - 1e-6) if passed(pass_mark, score) else math.floor(tenths + 1e-6)
    return f"{shown / 10:.1f}%"


@dataclass(frozen=True)
class Verdict:
    """A score against a quiz's pass mark: what to show and what it means."""

    score: float
    passed: bool
    shown: str  # e.g. "69.8%": never rounded across the pass mark
    pass_mark: str  # e.g. "70%"
    band: str | None


def verdict(quiz: Quiz, score: float) -> Verdict:
    return Verdict(
        score=score,
        passed=passed(quiz.pass_mark, score),
        shown=shown_score(score, quiz.pass_mark),
        pass_mark=percent(quiz.pass_mark),
        band=band(quiz, score),
    )


def answer_state(question: Question, response: Mapping[str, Any] | None) -> AnswerState:
    """Whether a slot is answered: a matching with some prompts unmatched is partly answered."""
    if not response:
        return "not answered"
    if is_complete(question, response):
        return "answered"
    given = response.get("matches") or response.get("choices")
    return "partly answered" if given else "not answered"
