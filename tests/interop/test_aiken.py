"""Aiken against Moodle's fixtures and the results its tests expect."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from course.interop.aiken import AikenError, parse_aiken, read_aiken, write_aiken

# Moodle's aikenformat_test.php: the errors it reports for aiken_errors.txt, in its words
MOODLE_ERRORS = [
    (3, "Question must have at least 2 answers"),
    (5, "Question not started"),
    (7, "Question not started"),
    (18, "Question not completed before next question start"),
]


def fixture(interop: Path, name: str) -> str:
    return (interop / "aiken" / "moodle" / name).read_text(encoding="utf-8")


def test_aiken_errors_file_finds_moodles_three_questions_and_four_errors(interop: Path) -> None:
    questions, problems = read_aiken(fixture(interop, "aiken_errors.txt"))

    assert [(p.line, p.message) for p in problems] == MOODLE_ERRORS
    assert [q.stem for q in questions] == [
        "A good question",
        "A second good question",
        "A third good question with HTML chars such as > < &",
    ]
    # Moodle stores the answers HTML-escaped ("Correct (&lt; &gt; &amp;)"): the same text
    assert [[o.text for o in q.options] for q in questions] == [
        ["Correct", "Incorrect"],
        ["Incorrect (No space)", "Correct (No space)"],
        [html.unescape("Correct (&lt; &gt; &amp;)"), html.unescape("Incorrect (&lt; &gt; &amp;)")],
    ]
    assert [[o.fraction for o in q.options] for q in questions] == [[1, 0], [0, 1], [1, 0]]


def test_aiken_file_with_errors_imports_nothing_and_names_each_line(interop: Path) -> None:
    with pytest.raises(AikenError) as failure:
        parse_aiken(fixture(interop, "aiken_errors.txt"), "errors.txt")

    assert failure.value.line == 3
    assert str(failure.value).splitlines()[:4] == [
        f"errors.txt, line {line}: {message}" for line, message in MOODLE_ERRORS
    ]


def test_aiken_moodle_fixture_imports_two_questions(interop: Path) -> None:
    questions = parse_aiken(fixture(interop, "questions.aiken.txt"), "questions.aiken.txt")

    assert len(questions) == 2
    assert [o.fraction for o in questions[0].options] == [0, 1, 0, 0]
    assert questions[1].stem.endswith('includes <html class="cool"> & images:')
    assert all(q.kind == "single" and q.stem_format == "plain" for q in questions)


def test_aiken_docs_example_takes_both_label_styles(interop: Path) -> None:
    first, second = parse_aiken(fixture(interop, "docs_example.aiken.txt"))

    assert [o.text for o in first.options][-1] == "Must be this one!"
    assert first.options[3].fraction == 1
    assert len(second.options) == 6 and second.options[0].fraction == 1


def test_write_aiken_matches_moodles_export(interop: Path) -> None:
    expected = fixture(interop, "export_expected_one_of_four.aiken.txt")

    assert write_aiken(parse_aiken(expected)) == expected


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("Q?\nA) a\nB) b\nANSWER: E\n", 4, "ANSWER: 'E' names no option (they run from A to B)"),
        ("Q?\nA) a\nB) b\nANSWER:\n", 4, "ANSWER: '' names no option"),
        ("Q?\nA) a\nB) b\n", 1, "Question not completed before the end of the file"),
    ],
)
def test_aiken_problems_beyond_moodles_are_named_too(text: str, line: int, problem: str) -> None:
    with pytest.raises(AikenError) as failure:
        parse_aiken(text, "t.txt")

    assert failure.value.line == line
    assert problem in str(failure.value)
