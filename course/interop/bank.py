"""Between the banks and the interchange: our questions out, and imported ones in as drafts.

`from_question` loses nothing the GIFT writer cannot carry. `to_bank_entry` fills a bank entry
with what an imported question says and lists what a trainer must still add (rules,
misconceptions, ...) before the loader will accept it.
"""

from __future__ import annotations

import re
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
from course.interop.markup import convert
from course.interop.model import Imported, Item, Option, Pair

_LETTERS = "abcdefgh"
_OUR_ID = re.compile(r"^[a-z]{2,4}-\d{3}$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _fractions(question: MultipleResponse) -> list[float]:
    """Our partial credit as Moodle weights: right options share 100 %, wrong ones share -100 %
    (course.learning.grading.grade_multiple, floored at zero as Moodle floors it)."""
    right = sum(o.correct for o in question.options)
    wrong = len(question.options) - right
    return [1 / right if o.correct else -1 / wrong for o in question.options]


def _options(question: SingleChoice | MultipleResponse, fractions: list[float]) -> list[Option]:
    return [
        Option(
            text=o.text,
            fraction=f,
            feedback=o.feedback,
            misconception=o.misconception,
            act=o.act,
            act_reason=o.act_reason,
        )
        for o, f in zip(question.options, fractions, strict=True)
    ]


def from_question(question: Question, category: str | None = None) -> Imported:
    """One of our bank questions as an interchange question, extras included."""
    common: dict[str, Any] = {
        "title": question.id,
        "category": category,
        "stem": question.stem,
        "stem_format": "markdown",
        "general_feedback": question.general_feedback or "",
        "id": question.id,
        "rules": question.rules,
        "difficulty": question.difficulty,
        "tags": question.tags,
        "about": question.about.model_dump(exclude_none=True) if question.about else None,
        "use": "practice" if question.use == "practice" else None,
        "waive": dict(question.waive),
    }
    if isinstance(question, SingleChoice):
        fractions = [1.0 if o.correct else 0.0 for o in question.options]
        options = tuple(_options(question, fractions))
        return Imported(kind="single", options=options, fixed_order=question.fixed_order, **common)
    if isinstance(question, MultipleResponse):
        weighted = tuple(_options(question, _fractions(question)))
        return Imported(
            kind="multiple", options=weighted, fixed_order=question.fixed_order, **common
        )
    if isinstance(question, TrueFalse):
        return Imported(
            kind="true_false",
            answer=question.answer,
            feedback_true=question.feedback_true,
            feedback_false=question.feedback_false,
            misconception=question.misconception,
            **common,
        )
    if isinstance(question, Matching):
        pairs = [Pair(prompt=p.prompt, match=p.match, feedback=p.feedback) for p in question.pairs]
        return Imported(kind="matching", pairs=tuple(pairs), **common)
    assert isinstance(question, Ordering)
    items = [Item(text=i.text, feedback=i.feedback) for i in question.items]
    return Imported(kind="ordering", items=tuple(items), feedback=question.feedback, **common)


# ---- drafts from imports ----


@dataclass(frozen=True)
class Draft:
    """A bank entry as far as an import can fill it, and what it still needs."""

    entry: dict[str, Any]
    needs: tuple[str, ...]


def _markdown(question: Imported, text: str) -> str:
    # the banks hold Markdown: plain text is escaped so that it shows as it was written
    return convert(text, question.stem_format, "markdown")


def _choice_options(question: Imported, needs: list[str]) -> list[dict[str, Any]]:
    if question.kind == "single":
        right = [o.fraction == 1 for o in question.options]
        if sum(right) > 1:
            needs.append(f"{sum(right)} options are marked right: keep exactly one")
    else:
        right = [o.fraction > 0 for o in question.options]
    entries = []
    for letter, option, correct in zip(_LETTERS, question.options, right, strict=False):
        entry: dict[str, Any] = {"id": letter, "text": _markdown(question, option.text)}
        if correct:
            entry["correct"] = True
        if question.kind == "single" and 0 < option.fraction < 1:
            needs.append(
                f"option {letter} earned {option.fraction * 100:g} % in Moodle; "
                "the course gives no partial credit for a single choice"
            )
        for key in ("act", "act_reason"):
            if value := getattr(option, key):
                entry[key] = value
        if option.feedback:
            entry["feedback"] = _markdown(question, option.feedback)
        else:
            needs.append(f"option {letter} has no feedback")
        if option.misconception:
            entry["misconception"] = option.misconception
        elif not correct:
            needs.append(f"option {letter} names no misconception")
        entries.append(entry)
    if len(question.options) > len(_LETTERS):
        needs.append(f"{len(question.options)} options: the course holds at most 8")
    return entries


def _sized(question: Imported, count: int, low: int, high: int, what: str) -> list[str]:
    if low <= count <= high:
        return []
    return [f"{count} {what}: a {question.kind.replace('_', '/')} question has {low} to {high}"]


def _body(question: Imported, needs: list[str]) -> dict[str, Any]:
    """The type-specific part of the entry."""
    if question.kind in ("single", "multiple"):
        high = 6 if question.kind == "single" else 8
        needs += _sized(question, len(question.options), 3, high, "options")
        body: dict[str, Any] = {"options": _choice_options(question, needs)}
        if question.fixed_order:
            body["fixed_order"] = True
        return body
    if question.kind == "true_false":
        body = {"answer": question.answer}
        for key in ("feedback_true", "feedback_false"):
            if text := getattr(question, key):
                body[key] = _markdown(question, text)
            else:
                needs.append(f"no {key.replace('_', ' ')}")
        if question.misconception:
            body["misconception"] = question.misconception
        else:
            needs.append("no misconception for the wrong answer")
        return body
    if question.kind == "matching":
        pairs = [p for p in question.pairs if p.prompt]
        if extra := [p.match for p in question.pairs if not p.prompt]:
            needs.append(f"the course's matching has no extra answers: dropped {extra}")
        needs += _sized(question, len(pairs), 3, 6, "pairs")
        entries = []
        for letter, pair in zip(_LETTERS, pairs, strict=False):
            entry = {"id": letter, "prompt": _markdown(question, pair.prompt), "match": pair.match}
            if pair.feedback:
                entry["feedback"] = _markdown(question, pair.feedback)
            else:
                needs.append(f"pair {letter} has no feedback")
            entries.append(entry)
        return {"pairs": entries}
    needs += _sized(question, len(question.items), 3, 6, "items")
    items = []
    for letter, item in zip(_LETTERS, question.items, strict=False):
        entry = {"id": letter, "text": _markdown(question, item.text)}
        if item.feedback:
            entry["feedback"] = _markdown(question, item.feedback)
        else:
            needs.append(f"item {letter} has no feedback")
        items.append(entry)
    if not question.feedback:
        needs.append("no feedback on the whole order")
    return {"items": items, **({"feedback": question.feedback} if question.feedback else {})}


def to_bank_entry(question: Imported) -> Draft:
    """A bank entry (the dict a bank's YAML holds) and the list of what it still needs."""
    needs: list[str] = []
    if question.kind == "description":
        return Draft(
            {"stem": _markdown(question, question.stem)},
            ("a description is text, not a question: the banks have no place for it",),
        )
    entry: dict[str, Any] = {}
    if question.id and _OUR_ID.match(question.id):
        entry["id"] = question.id
    else:
        needs.append("no id of the course's form (e.g. coi-123)")
    entry["type"] = question.kind
    if question.difficulty:
        entry["difficulty"] = question.difficulty
    else:
        needs.append("no difficulty (easy, medium or hard)")
    if question.about:
        entry["about"] = question.about
    else:
        needs.append("no officer named in `about`")
    if question.rules:
        entry["rules"] = list(question.rules)
    else:
        needs.append("no rule cited")
    if tags := [t for t in question.tags if _SLUG.match(t)]:
        entry["tags"] = tags
    if odd := [t for t in question.tags if not _SLUG.match(t)]:
        needs.append(f"tags {odd} are not of the course's form (lower-case words and hyphens)")
    if question.use:
        entry["use"] = question.use
    entry["stem"] = _markdown(question, question.stem)
    entry.update(_body(question, needs))
    if question.general_feedback:
        entry["general_feedback"] = _markdown(question, question.general_feedback)
    if question.waive:
        entry["waive"] = dict(question.waive)
    return Draft(entry, tuple(needs))
