"""GIFT against Moodle's own tests: its fixtures, its expected imports and its exports."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from course.interop.gift import GiftError, ids_and_tags, parse_gift, write_gift
from course.interop.markup import visible_text
from course.interop.model import Imported
from tests.interop.conftest import INTEROP

QTYPES = {
    "multichoice": ("single", "multiple"),
    "match": ("matching",),
    "truefalse": ("true_false",),
}
SKIPPED = {"essay": "essay", "numerical": "numerical", "shortanswer": "short answer"}


def expected(interop: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((interop / "gift/moodle/expected_import.json").read_text())
    return data


def cases(key: str) -> list[Any]:
    if not INTEROP.is_dir():
        return []
    return list(expected(INTEROP)[key])


def shown(text: str, fmt: str) -> str:
    return visible_text(text, "plain" if fmt == "moodle" else fmt)  # type: ignore[arg-type]


def check_import(question: Imported, want: dict[str, Any]) -> None:
    """The fields Moodle asserts that map to ours, compared as a reader sees them."""
    assert question.title == want["name"]
    assert shown(question.stem, question.stem_format) == shown(
        want["questiontext"], want["questiontextformat"]
    )
    assert question.general_feedback == want["generalfeedback"]
    if want["qtype"] == "multichoice":
        assert question.kind == ("single" if want["single"] else "multiple")
        assert [o.fraction for o in question.options] == want["fraction"]
        assert [shown(o.text, question.stem_format) for o in question.options] == [
            shown(a["text"], a["format"]) for a in want["answer"]
        ]
        assert [shown(o.feedback, question.stem_format) for o in question.options] == [
            shown(f["text"], f["format"]) for f in want["feedback"]
        ]
    elif want["qtype"] == "match":
        assert [shown(p.prompt, question.stem_format) for p in question.pairs] == [
            shown(s["text"], s["format"]) for s in want["subquestions"]
        ]
        assert [p.match for p in question.pairs] == want["subanswers"]
    elif want["qtype"] == "truefalse":
        assert question.answer is bool(want["correctanswer"])
        assert question.feedback_true == want["feedbacktrue"]["text"]
        assert question.feedback_false == want["feedbackfalse"]["text"]


@pytest.mark.parametrize("case", cases("import_cases"), ids=lambda c: c["test"])
def test_moodle_import_case_reads_as_moodle_asserts(interop: Path, case: dict[str, Any]) -> None:
    got = parse_gift(case["gift"], "case.gift")
    want = case["expected"]

    if want["qtype"] in SKIPPED:
        assert got.questions == ()
        assert [s.kind for s in got.skipped] == [SKIPPED[want["qtype"]]]
        assert want["name"] in got.skipped[0].message
    else:
        (question,) = got.questions
        assert question.kind in QTYPES[want["qtype"]]
        check_import(question, want)


@pytest.mark.parametrize(
    "case", cases("extract_idnumber_and_tags_from_comment"), ids=lambda c: c["case"]
)
def test_ids_and_tags_are_read_from_comments_as_moodle_reads_them(
    interop: Path, case: dict[str, Any]
) -> None:
    assert ids_and_tags(case["comment"]) == (case["idnumber"], case["tags"])


def test_moodle_questions_fixture_imports_five_and_names_each_skipped_one(interop: Path) -> None:
    got = parse_gift((interop / "gift/moodle/questions.gift.txt").read_text(), "questions.gift")

    assert [(q.title, q.kind) for q in got.questions] == [
        ("Moodle activities", "matching"),
        ("Q2", "single"),
        ("colours", "multiple"),
        ("2-08 TSL", "true_false"),
        ("2-08 TSL", "true_false"),
    ]
    # Q5 and Q1 end with a stray `";` after their braces (in Moodle's own fixture): text after
    # the answer block is Moodle's missing-word form, so Q1 is not a plain true/false here
    assert [(s.name, s.kind, s.line) for s in got.skipped] == [
        ("Q8", "essay", 2),
        ("Q5", "numerical", 31),
        ("Shortanswer", "short answer", 34),
        ("Q1", "missing word", 41),
    ]
    assert got.skipped[0].message == (
        "questions.gift, line 2: question 'Q8' is an essay question, which the course does "
        "not support; skipped."
    )


def test_moodle_category_fixture_puts_questions_in_the_category(interop: Path) -> None:
    text = (interop / "gift/moodle/questions_in_category.gift.txt").read_text()

    got = parse_gift(text, "in_category.gift")

    assert got.categories == ("$course$/Default for New Features",)
    assert {q.category for q in got.questions} == {"$course$/Default for New Features"}
    greeting = next(q for q in got.questions if q.title == "Greeting")
    # raw HTML (with escaped = and :) becomes Markdown with a safe link, never HTML
    assert greeting.stem_format == "markdown"
    assert "<" not in greeting.stem
    assert "[Listen to this greeting:](http://demo.moodle.net/file.php/5/media/bonjour.mp3)" in (
        greeting.stem
    )
    assert [s.kind for s in got.skipped] == ["short answer"]


def test_moodle_examples_file_imports_every_question_it_can(interop: Path) -> None:
    got = parse_gift((interop / "gift/moodle/examples.txt").read_text(), "examples.txt")

    kinds = sorted({s.kind for s in got.skipped})
    assert kinds == ["missing word", "numerical", "short answer"]
    assert len(got.questions) + len(got.skipped) == 43
    control = next(q for q in got.questions if q.title == "GIFT Control Characters")
    assert [o.text for o in control.options] == ["~", "=", "#", "{", "}", "\\"]
    assert control.options[-1].fraction == 1


def exported(interop: Path, name: str) -> str:
    return (interop / "gift/moodle/export_expected" / name).read_text()


def block_of(gift: str) -> str:
    """The answer block onwards, the part a writer cannot word differently."""
    return gift[gift.index("{") :]


@pytest.mark.parametrize("name", ["multichoice_multi_tricky.gift", "truefalse_tags_idnumber.gift"])
def test_write_gift_answers_as_moodle_exports_them(interop: Path, name: str) -> None:
    moodle = exported(interop, name).replace("{ID}", "1")
    (question,) = parse_gift(moodle).questions

    ours = write_gift([question])

    assert block_of(ours) == block_of(moodle)


def test_write_gift_writes_moodle_id_and_tags_line(interop: Path) -> None:
    moodle = exported(interop, "truefalse_tags_idnumber.gift").replace("{ID}", "1")
    (question,) = parse_gift(moodle).questions

    assert (question.id, question.tags) == ("myid", ("tag1", "tag2"))
    assert "// [id:myid] [tag:tag1] [tag:tag2]\n" in write_gift([question])


@pytest.mark.parametrize(
    "name", ["multichoice.gift", "multichoice_multi_tricky.gift", "match.gift", "truefalse.gift"]
)
def test_moodle_export_reads_back_the_same_after_we_write_it(interop: Path, name: str) -> None:
    (question,) = parse_gift(exported(interop, name)).questions

    again = parse_gift(write_gift([question])).questions

    assert [q.model_copy(update={"line": 0}) for q in again] == [
        question.model_copy(update={"line": 0})
    ]


@pytest.mark.parametrize(
    "name", ["essay.gift", "numerical.gift", "shortanswer.gift", "backslash.gift"]
)
def test_moodle_exports_of_types_we_lack_are_skipped(interop: Path, name: str) -> None:
    got = parse_gift(exported(interop, name), name)

    assert got.questions == ()
    assert len(got.skipped) == 1


def test_match_export_keeps_the_extra_answer_as_a_pair_without_prompt(interop: Path) -> None:
    (question,) = parse_gift(exported(interop, "match.gift")).questions

    assert question.pairs[-1].prompt == ""
    assert question.pairs[-1].match == "Chat"
    # the first prompt was `<div class="frog">…</div>` in an [html] question: no tag survives
    assert question.pairs[0].prompt == "An activity supporting asynchronous discussions."
    assert html.unescape(question.stem) == question.stem


def test_moodle_refuses_what_we_refuse_nothing_is_imported() -> None:
    text = "::ok::Fine?{=yes ~no}\n\n::bad::Grade?{~%33%a ~%67%b}\n"

    with pytest.raises(GiftError) as failure:
        parse_gift(text, "grades.gift")

    assert failure.value.line == 3
    assert str(failure.value).startswith("grades.gift, line 3: question 'bad': the weight %33%")
