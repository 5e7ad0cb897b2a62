"""GIFT files nobody here has seen (the pygiftparser samples), and files Moodle would refuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.interop.gift import GiftError, parse_gift
from course.interop.model import Imported, Skipped
from tests.interop.conftest import INTEROP

SAMPLES = sorted(
    p
    for folder in ("pygiftparser-mtommasi", "pygiftparser-rgmf")
    for p in (INTEROP / "gift" / folder).glob("*")
    if p.suffix in (".gift", ".txt") and not p.name.startswith("README")
)
RGMF = INTEROP / "gift" / "pygiftparser-rgmf"
# rgmf's type names as the course reads them; Moodle's true/false is case-sensitive, so rgmf's
# lowercase `{t#bien}` is a short answer in Moodle (and so here)
RGMF_KINDS = {
    "MultipleChoiceRadio": "single",
    "MultipleChoiceCheckbox": "multiple",
    "TrueFalse": "true_false",
    "Short": "short answer",
    "Matching": "matching",
    "Numerical": "numerical",
    "Range": "numerical",
    "MultipleNumerical": "numerical",
    "Essay": "essay",
    "Description": "description",
}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_unseen_file_imports_or_fails_with_a_sentence(interop: Path, path: Path) -> None:
    try:
        got = parse_gift(path.read_text(encoding="utf-8"), path.name)
    except GiftError as failure:
        assert str(failure).startswith(f"{path.name}, line ")
        return
    for skipped in got.skipped:
        assert skipped.message.startswith(f"{path.name}, line {skipped.line}: ")
        assert skipped.message.endswith("skipped.")


def kinds_in_order(path: Path) -> list[tuple[str, str | None]]:
    got = parse_gift(path.read_text(encoding="utf-8"), path.name)
    found: list[Imported | Skipped] = sorted([*got.questions, *got.skipped], key=lambda q: q.line)
    return [(q.kind, q.category) if isinstance(q, Imported) else (q.kind, None) for q in found]


def test_rgmf_files_hold_as_many_questions_as_rgmf_counts(interop: Path) -> None:
    counts = json.loads((RGMF / "expected_by_rgmf.json").read_text())["question_counts"]

    for name, count in counts.items():
        assert len(kinds_in_order(RGMF / name)) == count, name


def test_rgmf_categories_file_reads_type_by_type(interop: Path) -> None:
    expected = json.loads((RGMF / "expected_by_rgmf.json").read_text())["gift_file_categories.txt"]
    rgmf_types = [t.split("/")[0] for t in expected["per_question_type_and_option_count"]]
    want = [RGMF_KINDS[t] for t in rgmf_types]
    want[5] = "short answer"  # MOODLE: `{t#bien}`, rgmf's sixth TrueFalse
    # the MissingCategory questions have their answers mid-text: skipped as missing word
    got = kinds_in_order(RGMF / "gift_file_categories.txt")
    for index, category in enumerate(expected["category_of_each_question"]):
        if category == "MissingCategory":
            want[index] = "missing word"
    assert [kind for kind, _ in got] == want
    imported = [(k, c) for k, c in got if k in ("single", "multiple", "true_false", "matching")]
    categories = [
        c
        for c, (k, _) in zip(expected["category_of_each_question"], got, strict=True)
        if k in ("single", "multiple", "true_false", "matching")
    ]
    assert [c for _, c in imported] == categories


# ---- malformed files: nothing imported, the file and line named ----


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (
            "Fine?{=a ~b}\n\nBroken?{=a ~b\n~c\n",
            3,
            "the answer block opened with { is never closed",
        ),
        ("Q1\n} stray", 2, "a } closes an answer block that no { opened"),
        ("// c\n::T::One answer?{=only}\n\nX?{~only}", 4, "needs at least 2 answers, and has 1"),
        ("M?{\n=a -> 1\n=b 2\n}", 3, "the pair 'b 2' has no '->'"),
        ("W?{\n~%50%a\n~%35%b\n~c\n}", 3, "the weight %35% is not a grade Moodle accepts"),
        ("W?{\n~%50%a\n~%25%b\n~c\n}", 2, "the positive weights add up to 75 %"),
        ("// sns: {not json\nQ?{=a ~b}", 1, "the course's data in this comment cannot be read"),
        ('// sns: {"colour": 1}\nQ?{=a ~b}', 1, "the course's data in this comment cannot be read"),
        ('// sns: {"options": [{}]}\nQ?{=a ~b}', 2, "names 1 options, the question has 2"),
        ("Q?{~ ~b}", 1, "one of its answers has no text"),
        ("S?{=%33%x}", 1, "the weight %33% is not a grade Moodle accepts"),
        ("Ok?{T}\n\nR?{=a ~b \ufdd0}", 3, "reserved character"),
    ],
)
def test_malformed_gift_names_file_and_line_and_imports_nothing(
    text: str, line: int, problem: str
) -> None:
    with pytest.raises(GiftError) as failure:
        parse_gift(text, "trainer.gift")

    assert failure.value.line == line
    assert problem in str(failure.value)
    assert str(failure.value).startswith(f"trainer.gift, line {line}: ")
    assert str(failure.value).endswith("Nothing was imported from the file.")


def test_every_problem_in_a_file_is_listed_at_once() -> None:
    text = "A?{=a\n\nB?{=x ~y}\n\nC?{~%7%a ~b}\n"

    with pytest.raises(GiftError) as failure:
        parse_gift(text, "two.gift")

    assert [p.line for p in failure.value.problems] == [1, 5]
    assert "line 1: question 'A? _____'" in str(failure.value)


def test_unsupported_questions_are_skipped_with_their_name_and_line() -> None:
    text = (
        "::Year::When? {#1822}\n\n"
        "Write about your posting.{}\n\n"
        "Grant is {~buried =entombed} in the tomb.\n\n"
        "::Ok::Fine?{=yes ~no}\n"
    )

    got = parse_gift(text, "mixed.gift")

    assert [q.title for q in got.questions] == ["Ok"]
    assert [s.message for s in got.skipped] == [
        "mixed.gift, line 1: question 'Year' is a numerical question, which the course does "
        "not support; skipped.",
        "mixed.gift, line 3: question 'Write about your posting. _____' is an essay question, "
        "which the course does not support; skipped.",
        "mixed.gift, line 5: question 'Grant is _____ in the tomb.' has its answers in "
        "the middle of the text (text follows the closing }: 'in the tomb.'), a missing-word "
        "question the course does not support; skipped.",
    ]
