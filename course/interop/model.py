"""Interchange questions: what a GIFT or Aiken file says, before a trainer makes it ours.

An imported question cannot meet the bank schema (Moodle knows nothing of rules or
misconceptions), so it lands here first. Our own extras are optional fields, filled when the
file was exported by the course (its `// sns:` comments) and empty otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from course.content.schema import Frozen
from course.errors import ContentError
from course.interop.markup import Format

Kind = Literal["single", "multiple", "true_false", "matching", "ordering", "description"]

# Moodle's fixed list of answer grades; any other grade is an import error in Moodle.
GRADES = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
    0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0,
)  # fmt: skip


def moodle_grade(fraction: float) -> float | None:
    """The listed grade (or its negative) a fraction stands for, as Moodle matches it."""
    for grade in GRADES:
        for signed in (grade, -grade):
            if abs(fraction - signed) < 0.00001:
                return signed
    return None


def _clean(text: str) -> str:
    # GIFT drops carriage returns and trims every text: keep the same canonical form here, so a
    # question read back from a file equals the one written
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


Clean = Annotated[str, BeforeValidator(_clean)]


def _arrow_free(where: str) -> AfterValidator:
    def check(value: str) -> str:
        if "->" in value:
            raise ValueError(f"GIFT cannot hold '->' in {where}")
        return value

    return AfterValidator(check)


class Option(Frozen):
    text: Clean = Field(min_length=1)
    fraction: float = Field(ge=-1, le=1)  # Moodle's weight: 1 = 100 %, may be negative
    feedback: Clean = ""
    misconception: str | None = None  # ours
    act: str | None = None  # ours
    act_reason: str | None = None  # ours

    @field_validator("fraction")
    @classmethod
    def _seven_places(cls, value: float) -> float:
        # Moodle stores grades to 7 places: 1/3 and the 33.33333 % written for it are one grade
        return round(value, 7)


class Pair(Frozen):
    # empty: a match offered as a distractor (Moodle's `= -> Chat`)
    prompt: Annotated[Clean, _arrow_free("a matching prompt (it ends the prompt)")]
    match: Clean = Field(min_length=1)
    feedback: Clean = ""  # ours (GIFT has no feedback per pair)


class Item(Frozen):
    """One step of an ordering question, in the right order."""

    text: Annotated[Clean, _arrow_free("a step (steps travel as matching prompts)")] = Field(
        min_length=1
    )
    feedback: Clean = ""


class Imported(Frozen):
    kind: Kind
    title: str | None = None
    category: str | None = None
    stem: Clean
    stem_format: Format = "moodle"  # the format of every text of the question
    options: tuple[Option, ...] = ()
    answer: bool | None = None  # true/false only
    feedback_true: Clean = ""  # shown to whoever answers "true"
    feedback_false: Clean = ""
    pairs: tuple[Pair, ...] = ()
    items: tuple[Item, ...] = ()  # ordering only
    general_feedback: Clean = ""
    comments: tuple[str, ...] = ()  # the file's own `//` lines, without their slashes
    line: int = 0  # where the question starts in its file (0: not read from a file)
    # ---- ours, carried in `// sns:` comments ----
    id: str | None = None
    rules: tuple[str, ...] = ()
    difficulty: str | None = None
    tags: tuple[str, ...] = ()
    about: dict[str, str] | None = None
    use: Literal["practice"] | None = None  # None: the bank's default ("graded")
    waive: dict[str, str] = Field(default_factory=dict)
    fixed_order: bool = False
    misconception: str | None = None  # true/false: what answering wrongly shows
    feedback: Clean = ""  # ordering: feedback on the whole order

    @field_validator("title", "category", "id", mode="before")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        # a blank title is no title: GIFT writes none, so none comes back
        return _clean(value) or None if value is not None else None

    @field_validator("comments")
    @classmethod
    def _comments(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for comment in value:
            if "\n" in comment or comment != comment.strip() or not comment:
                raise ValueError("a comment is one non-blank line without surrounding spaces")
            if comment.startswith("sns:"):
                raise ValueError("comments starting 'sns:' are the course's own data")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for tag in value:
            if not tag or tag != tag.strip() or any(c in tag for c in "\n<>[]"):
                raise ValueError(f"tag {tag!r} cannot travel in a GIFT comment")
        return value

    @model_validator(mode="after")
    def _shape(self) -> Imported:
        """What Moodle itself insists on, so that whatever we write, Moodle can read."""
        kind = self.kind
        if (kind in ("single", "multiple")) != bool(self.options):
            raise ValueError("single and multiple questions, and only they, have options")
        if (kind == "true_false") != (self.answer is not None):
            raise ValueError("true/false questions, and only they, have an answer")
        if (kind == "matching") != bool(self.pairs):
            raise ValueError("matching questions, and only they, have pairs")
        if (kind == "ordering") != bool(self.items):
            raise ValueError("ordering questions, and only they, have items")
        if kind in ("single", "multiple"):
            _check_fractions(kind, self.options)
        if kind == "matching" and (len(self.pairs) < 2 or not any(p.prompt for p in self.pairs)):
            raise ValueError("a matching question has at least 2 pairs, one with a prompt")
        if kind == "ordering" and len(self.items) < 2:
            raise ValueError("an ordering question has at least 2 items")
        return self

    @property
    def name(self) -> str:
        """How a message names the question: its title, or its first words."""
        if self.title:
            return self.title
        return first_words(self.stem)


def first_words(text: str, count: int = 8) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def _check_fractions(kind: str, options: tuple[Option, ...]) -> None:
    if len(options) < 2:
        raise ValueError("a choice question has at least 2 options")
    for option in options:
        if moodle_grade(option.fraction) is None:
            raise ValueError(f"{option.fraction:g} is not one of Moodle's grades")
    if kind == "single" and not any(o.fraction == 1 for o in options):
        raise ValueError("a single-choice question has an option worth 100 %")
    if kind == "multiple":
        total = round(sum(o.fraction for o in options if o.fraction > 0), 2)
        if total != 1:
            raise ValueError(f"the positive weights add up to {total * 100:g} %, not 100 %")


# ---- reading results ----


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass(frozen=True)
class Skipped:
    """A question read but not imported: a type the course does not have."""

    line: int
    name: str
    kind: str  # as Moodle calls it: "numerical", "essay", "short answer", "missing word", ...
    message: str


class InteropError(ContentError):
    """A file that cannot be imported; nothing in it was. `problems` lists every one found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(source, first.line, first.message)
        lines = [f"{source}, line {p.line}: {p.message}" for p in problems]
        Exception.__init__(self, "\n".join(lines) + "\nNothing was imported from the file.")
        self.source = source
        self.problems = tuple(problems)
