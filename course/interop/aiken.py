"""Aiken files: single-answer multiple-choice questions, one line each, as Moodle reads them.

The rules are Moodle's (question/format/aiken/format.php): a line that is not an option or an
`ANSWER:` line starts a question; options are `A)` or `A.` then the text; `ANSWER: X` ends the
question; lines shorter than 2 characters are ignored. Every problem names its line, and a file
with any problem imports nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from course.interop.model import Imported, InteropError, Option, Problem

# Moodle's pattern: the space after the label is optional (its help text says it is required)
_OPTION = re.compile(r"^[A-Z][).][ \t]?")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class AikenError(InteropError):
    """An Aiken file with problems; `problems` holds each, with its line, in Moodle's words."""


@dataclass
class _Open:
    """A question read up to its ANSWER line."""

    line: int
    stem: str
    options: list[str] = field(default_factory=list)


def _finish(question: _Open, answer: str, line: int) -> Imported | Problem:
    if len(question.options) < 2:
        return Problem(line, "Question must have at least 2 answers")
    letter = answer[:1]
    place = _LETTERS.find(letter) if letter else -1
    if not 0 <= place < len(question.options):
        last = _LETTERS[len(question.options) - 1]
        return Problem(line, f"ANSWER: {answer!r} names no option (they run from A to {last})")
    options = [
        Option(text=text, fraction=1.0 if n == place else 0.0)
        for n, text in enumerate(question.options)
    ]
    return Imported(
        kind="single",
        stem=question.stem,
        stem_format="plain",
        options=tuple(options),
        line=question.line,
    )


def read_aiken(text: str) -> tuple[list[Imported], list[Problem]]:
    """Every good question, and every problem, as Moodle's reader finds them."""
    questions: list[Imported] = []
    problems: list[Problem] = []
    question: _Open | None = None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if len(line) < 2:
            continue
        if _OPTION.match(line) or line.startswith("ANSWER:"):
            if question is None:
                problems.append(Problem(number, "Question not started"))
            elif line.startswith("ANSWER:"):
                done = _finish(question, line[len("ANSWER:") :].strip(), number)
                if isinstance(done, Problem):
                    problems.append(done)
                else:
                    questions.append(done)
                question = None
            else:
                question.options.append(line[2:].strip())
            continue
        if question is not None:
            problems.append(Problem(number, "Question not completed before next question start"))
        question = _Open(number, line)
    if question is not None:
        # Moodle drops an unfinished last question without a word; we say so
        problems.append(Problem(question.line, "Question not completed before the end of the file"))
    return questions, problems


def parse_aiken(text: str, source: str = "<aiken>") -> list[Imported]:
    """Read an Aiken file; raises AikenError, naming file and lines, if any question is bad."""
    questions, problems = read_aiken(text)
    if problems:
        raise AikenError(source, problems)
    return questions


def write_aiken(questions: list[Imported]) -> str:
    """Moodle's Aiken export: single-answer questions only, each flattened to one line."""
    blocks = []
    for question in questions:
        if question.kind != "single" or len(question.options) > len(_LETTERS):
            continue
        lines = [" ".join(question.stem.split())]
        key = ""
        for letter, option in zip(_LETTERS, question.options, strict=False):
            lines.append(f"{letter}) " + " ".join(option.text.split()))
            if option.fraction > 0.99 and not key:
                key = letter
        blocks.append("\n".join([*lines, f"ANSWER: {key}"]) + "\n")
    return "\n".join(blocks)
