"""GIFT against gift-pegjs's 51 expected parses, on the fields that map to the course's model.

Where gift-pegjs and Moodle disagree we follow Moodle; each place is marked MOODLE below:
- true/false feedback: gift-pegjs puts the first `#` text in trueFeedback whatever the answer;
  Moodle gives the first `#` to the WRONG choice, so for a TRUE question the two are swapped;
- line breaks: gift-pegjs joins the lines of a plain text with spaces and keeps a Markdown text's
  trailing spaces (its hard breaks); Moodle trims every line and joins them with newlines.
  Texts are compared as a reader sees them (visible_text), which both readings give alike;
- HTML: gift-pegjs keeps it; the course converts it to Markdown, so texts are compared as seen;
- text after the answer block (`{...}.`): both call it embedded, and the course skips it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from course.interop.gift import GiftFile, parse_gift
from course.interop.markup import visible_text
from course.interop.model import Imported, Skipped
from tests.interop.conftest import INTEROP

PEGJS = INTEROP / "gift" / "gift-pegjs"
NAMES = sorted(p.stem for p in PEGJS.glob("*.gift")) if PEGJS.is_dir() else []
SKIPPED = {"Short": "short answer", "Numerical": "numerical", "Essay": "essay"}


def seen(text: dict[str, str] | None) -> str:
    if text is None:
        return ""
    fmt = text["format"] if text["format"] != "moodle" else "plain"
    return visible_text(text["text"], fmt)  # type: ignore[arg-type]


def ours(question: Imported, text: str) -> str:
    return visible_text(text, "plain" if question.stem_format == "moodle" else "markdown")


def in_file_order(got: GiftFile) -> list[Imported | Skipped]:
    found: list[Imported | Skipped] = [*got.questions, *got.skipped]
    return sorted(found, key=lambda q: q.line)


def check_choices(question: Imported, want: dict[str, Any]) -> None:
    choices = want["choices"]
    assert question.kind == ("single" if any(c["isCorrect"] for c in choices) else "multiple")
    assert [ours(question, o.text) for o in question.options] == [seen(c["text"]) for c in choices]
    assert [o.fraction for o in question.options] == [
        1.0 if c["isCorrect"] else round((c["weight"] or 0) / 100, 7) for c in choices
    ]
    assert [ours(question, o.feedback) for o in question.options] == [
        seen(c["feedback"]) for c in choices
    ]


def check_true_false(question: Imported, want: dict[str, Any]) -> None:
    assert question.answer is want["isTrue"]
    first, second = seen(want["trueFeedback"]), seen(want["falseFeedback"])
    # MOODLE: the first `#` is the wrong choice's feedback, so a TRUE question swaps them
    true_fb, false_fb = (second, first) if want["isTrue"] else (first, second)
    assert (ours(question, question.feedback_true), ours(question, question.feedback_false)) == (
        true_fb,
        false_fb,
    )


def check(question: Imported | Skipped, want: dict[str, Any]) -> None:
    kind = want["type"]
    if kind in SKIPPED:
        assert isinstance(question, Skipped) and question.kind == SKIPPED[kind]
        return
    if want.get("hasEmbeddedAnswers"):
        assert isinstance(question, Skipped) and question.kind == "missing word"
        return
    assert isinstance(question, Imported), question
    assert question.title == want["title"]
    assert ours(question, question.stem) == seen(want["stem"])
    assert ours(question, question.general_feedback) == seen(want.get("globalFeedback"))
    if want["id"] is not None:
        assert question.id == want["id"]
    if kind == "MC":
        check_choices(question, want)
    elif kind == "TF":
        check_true_false(question, want)
    elif kind == "Matching":
        assert question.kind == "matching"
        assert [(ours(question, p.prompt), p.match) for p in question.pairs] == [
            (seen(m["subquestion"]), m["subanswer"]) for m in want["matchPairs"]
        ]
    else:
        assert (kind, question.kind) == ("Description", "description")


@pytest.mark.parametrize("name", NAMES)
def test_gift_pegjs_pair_reads_alike_on_the_fields_we_keep(interop: Path, name: str) -> None:
    wanted = json.loads((PEGJS / f"{name}.json").read_text(encoding="utf-8"))
    got = parse_gift((PEGJS / f"{name}.gift").read_text(encoding="utf-8"), f"{name}.gift")

    categories = [w["title"] for w in wanted if w["type"] == "Category"]
    questions = [w for w in wanted if w["type"] != "Category"]
    assert list(got.categories) == categories
    found = in_file_order(got)
    assert len(found) == len(questions)
    for question, want in zip(found, questions, strict=True):
        check(question, want)


def test_gift_pegjs_suite_is_all_there(interop: Path) -> None:
    assert len(NAMES) == 51
