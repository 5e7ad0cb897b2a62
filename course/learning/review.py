"""What the review of one answered question shows, as a quiz's review policy allows.

The policy names four things a learner may see: score, correctness, feedback and key. When the
key is hidden, nothing else may give it away:
- single choice, multiple response: feedback only for the options the learner chose;
- true/false: feedback only for the value the learner gave;
- matching: a prompt's feedback explains its right match, so it is shown only for prompts the
  learner matched rightly, and only when correctness is shown too;
- ordering: the item feedback and the explanation follow the right order, so neither is shown;
- general feedback explains the answer, so it is shown only with the key.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from course.content.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)

Kind = Literal["answer", "key", "feedback", "misconception", "heading"]


@dataclass(frozen=True)
class Line:
    """One line of a review: author Markdown, its kind, and how deep it is nested."""

    text: str
    kind: Kind
    depth: int = 0


@dataclass(frozen=True)
class Review:
    correctness: str | None  # e.g. "Partly correct · 67% of the marks"; None when hidden
    lines: tuple[Line, ...]
    explanation: str | None  # the general feedback, shown only with the key
    rules: tuple[str, ...]  # ids of the rules the key rests on, shown only with the key


def correctness_word(score: float | None) -> str:
    if score is None:
        return "Not answered"
    if score >= 1:
        return "Correct"
    return "Partly correct" if score > 0 else "Incorrect"


def review(
    question: Question,
    response: Mapping[str, Any] | None,
    score: float | None,
    order: tuple[str, ...],
    visible: Collection[str],
) -> Review:
    """The review of one slot, showing only what `visible` allows (see the module docstring)."""
    done = response or {}
    key = "key" in visible
    show = _Show(feedback="feedback" in visible, key=key, correctness="correctness" in visible)
    if isinstance(question, SingleChoice | MultipleResponse):
        lines = _options(question, done, order, show)
    elif isinstance(question, TrueFalse):
        lines = _true_false(question, done, show)
    elif isinstance(question, Matching):
        lines = _matching(question, done, show)
    else:
        lines = _ordering(question, done, show)
    correctness = None
    if show.correctness:
        correctness = f"{correctness_word(score)} · {round((score or 0) * 100)}% of the marks"
    explanation = _explanation(question) if key and show.feedback else None
    return Review(correctness, tuple(lines), explanation, question.rules if key else ())


@dataclass(frozen=True)
class _Show:
    feedback: bool
    key: bool
    correctness: bool


def _explanation(question: Question) -> str | None:
    if isinstance(question, Ordering):
        return question.feedback
    return question.general_feedback


def _options(
    question: SingleChoice | MultipleResponse,
    done: Mapping[str, Any],
    order: tuple[str, ...],
    show: _Show,
) -> list[Line]:
    chosen = {done["choice"]} if "choice" in done else set(done.get("choices", []))
    options = {o.id: o for o in question.options}
    lines = []
    for oid in order:
        option = options[oid]
        mark = "☑ you chose" if oid in chosen else "☐"
        keyed = " — *correct answer*" if show.key and option.correct else ""
        lines.append(Line(f"{mark}: {option.text}{keyed}", "answer"))
        if show.feedback and oid in chosen:
            lines.append(Line(option.feedback, "feedback", 1))
            if option.misconception and not option.correct:
                lines.append(Line(f"Misconception: {option.misconception}", "misconception", 1))
    return lines


def _true_false(question: TrueFalse, done: Mapping[str, Any], show: _Show) -> list[Line]:
    given = done.get("value")
    word = "—" if given is None else ("True" if given else "False")
    lines = [Line(f"You answered: {word}", "answer")]
    if show.key:
        lines.append(Line(f"Correct answer: {'True' if question.answer else 'False'}", "key"))
    if show.feedback and given is not None:
        lines.append(
            Line(question.feedback_true if given else question.feedback_false, "feedback", 1)
        )
        if given != question.answer:
            lines.append(Line(f"Misconception: {question.misconception}", "misconception", 1))
    return lines


def _matching(question: Matching, done: Mapping[str, Any], show: _Show) -> list[Line]:
    pairs = {p.id: p for p in question.pairs}
    given = done.get("matches", {})
    lines = []
    for pair in question.pairs:
        picked = given.get(pair.id)
        answer = pairs[picked].match if picked in pairs else "—"
        right = picked == pair.id
        tick = (" ✓" if right else " ✗") if show.correctness and picked else ""
        lines.append(Line(f"{pair.prompt} → you chose: {answer}{tick}", "answer"))
        if show.key and not right:
            lines.append(Line(f"Correct match: {pair.match}", "key", 1))
        if show.feedback and (show.key or (right and show.correctness)):
            lines.append(Line(pair.feedback, "feedback", 1))
    return lines


def _ordering(question: Ordering, done: Mapping[str, Any], show: _Show) -> list[Line]:
    texts = {i.id: i.text for i in question.items}
    lines = [Line("Your order:", "heading")]
    lines += [
        Line(f"{n}. {texts[i]}", "answer", 1)
        for n, i in enumerate(done.get("order", []), 1)
        if i in texts
    ]
    if show.key:
        lines.append(Line("The right order:", "heading"))
        lines += [Line(f"{n}. {i.text}", "key", 1) for n, i in enumerate(question.items, 1)]
        if show.feedback:
            lines += [Line(f"*{i.text}*: {i.feedback}", "feedback", 1) for i in question.items]
    return lines
