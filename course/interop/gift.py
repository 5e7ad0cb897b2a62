"""Moodle GIFT files: reading them into interchange questions, and writing ours out.

Reading follows Moodle's own importer (question/format/gift/format.php): questions are
separated by blank lines, `//` lines are comments, `{...}` holds the answers and its content
decides the type. Whatever the course cannot hold (numerical, essay, short answer, answers in the
middle of the text) is skipped with a sentence naming the question; a file Moodle would refuse
raises `GiftError` listing every problem, and nothing is imported.

Writing follows Moodle's exporter, and adds the course's own data (rules, misconceptions,
difficulty, ...) as a `// sns: {json}` comment, which Moodle ignores and `parse_gift` reads back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, ValidationError

from course.interop.bank import from_question, to_bank_entry
from course.interop.markup import SOURCE_FORMATS, Format, SourceFormat, convert, target_format
from course.interop.model import (
    Imported,
    InteropError,
    Item,
    Option,
    Pair,
    Problem,
    Skipped,
    first_words,
    moodle_grade,
)

__all__ = [
    "GiftError",
    "GiftFile",
    "from_question",
    "ids_and_tags",
    "parse_gift",
    "to_bank_entry",
    "write_gift",
]


class GiftError(InteropError):
    """A GIFT file Moodle would refuse; `line` is the first problem's line."""


@dataclass(frozen=True)
class GiftFile:
    questions: tuple[Imported, ...]
    skipped: tuple[Skipped, ...]
    categories: tuple[str, ...]


# ---- escapes ----

# Escaped control characters become Unicode noncharacters (reserved for exactly this internal
# use) while the structure is read, as Moodle swaps them for placeholders.
_ESCAPABLE = ":#={}~n"
_HIDDEN = {c: chr(0xFDD0 + i) for i, c in enumerate(_ESCAPABLE)}
_SHOWN = {v: ("\n" if k == "n" else k) for k, v in _HIDDEN.items()}
_RESERVED = re.compile("[\ufdd0-\ufdef]")


def _hide(text: str) -> str:
    r"""Hide escaped characters: `\\` is a backslash, `\~ \= \# \{ \} \:` the character, `\n` a
    line break; any other backslash stays as it is."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            following = text[i + 1]
            if following == "\\":
                out.append("\\")
                i += 2
                continue
            if following in _HIDDEN:
                out.append(_HIDDEN[following])
                i += 2
                continue
        out.append(char)
        i += 1
    return "".join(out)


def _show(text: str) -> str:
    return "".join(_SHOWN.get(c, c) for c in text)


def _escape(text: str) -> str:
    """Moodle's exporter: escape the backslash and # = ~ { } :, write line breaks as \\n."""
    out = text.replace("\\", "\\\\")
    for char in "#=~{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")


# ---- reading ----

_WEIGHT = re.compile(r"^%-*[0-9]{1,2}\.?[0-9]*%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")
_ONLY_IDS = re.compile(r"^(\s*\[(?:id|tag):(?:\\\]|[^\]])*\])+\s*$")


def ids_and_tags(comment: str) -> tuple[str, list[str]]:
    """Moodle's `[id:x]` and `[tag:y]` in a question's comments (the first id, every tag)."""
    found = _ID.search(comment)
    idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    tags = [t.strip().replace("\\]", "]") for t in _TAG.findall(comment)]
    return idnumber, tags


@dataclass(frozen=True)
class _Span:
    """A piece of a block's text and where it starts, so a problem can name its line."""

    text: str
    at: int

    def strip(self) -> _Span:
        lead = len(self.text) - len(self.text.lstrip())
        return _Span(self.text.strip(), self.at + lead)

    def cut(self, start: int, end: int | None = None) -> _Span:
        return _Span(self.text[start:end], self.at + start)


def _split(span: _Span, marks: str, keep: str = "") -> list[_Span]:
    """Split before every mark; marks in `keep` stay at the start of their piece."""
    pieces: list[_Span] = []
    start = 0
    for i, char in enumerate(span.text):
        if char in marks:
            pieces.append(span.cut(start, i))
            start = i if char in keep else i + 1
    pieces.append(span.cut(start))
    return pieces


class _Extras(BaseModel):
    """The course's own data, as `// sns:` carries it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["ordering"] | None = None
    rules: tuple[str, ...] = ()
    difficulty: str | None = None
    about: dict[str, str] | None = None
    use: Literal["practice"] | None = None
    waive: dict[str, str] = {}
    fixed_order: bool = False
    misconception: str | None = None
    feedback: str = ""
    options: tuple[dict[str, str], ...] = ()  # per option: misconception, act, act_reason
    pairs: tuple[str, ...] = ()  # feedback per pair
    items: tuple[str, ...] = ()  # feedback per ordering step


@dataclass
class _Block:
    lines: list[tuple[int, str]]  # (line number, trimmed line), comments included

    @property
    def comments(self) -> list[tuple[int, str]]:
        return [(n, line[2:].strip()) for n, line in self.lines if line.startswith("//")]

    @property
    def text(self) -> str:
        # a comment line becomes a space, as in Moodle, so offsets keep their line
        return "\n".join(" " if line.startswith("//") else line for _, line in self.lines)

    def line_at(self, offset: int) -> int:
        return self.lines[0][0] + self.text.count("\n", 0, max(offset, 0))


def _blocks(text: str) -> Iterable[_Block]:
    """Questions are separated by blank lines; every line is trimmed (Moodle does both)."""
    current: list[tuple[int, str]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            if current:
                yield _Block(current)
            current = []
        else:
            current.append((number, line))
    if current:
        yield _Block(current)


@dataclass
class _Text:
    """A text as Moodle gives it: its characters (escapes resolved) and its format."""

    text: str
    format: SourceFormat


def _with_format(raw: str, default: SourceFormat) -> _Text:
    """Moodle's parse_text_with_format: a leading [html] etc. sets the format, [other] is text."""
    text = raw.strip()
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end] if end > 0 else ""
        if name in SOURCE_FORMATS:
            fmt = name
            text = text[end + 1 :]
    return _Text(_show(text).strip(), fmt)


@dataclass
class _Reader:
    source: str
    problems: list[Problem] = field(default_factory=list)
    questions: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    category: str | None = None

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def read(self, block: _Block) -> None:
        text = _hide(block.text)
        whole = _Span(text, 0).strip()
        if not whole.text:
            return  # comments only
        if whole.text.startswith("$CATEGORY:"):
            self.category = _show(whole.text[len("$CATEGORY:") :]).strip() or None
            if self.category:
                self.categories.append(self.category)
            return
        _Question(self, block, whole).read()


@dataclass
class _Question:
    """One block that is not a category: Moodle's readquestion, step by step."""

    reader: _Reader
    block: _Block
    whole: _Span
    title: str | None = None
    line: int = 0
    problems: int = 0

    def problem(self, at: int, message: str) -> None:
        self.problems += 1
        self.reader.problem(self.block.line_at(at), f"{self._named()}: {message}")

    def _named(self) -> str:
        if self.title:
            return f"question '{self.title}'"
        # the stem as a reader would quote it: the answer block shown as a blank
        words = first_words(_show(re.sub(r"\{[^}]*\}?", " _____ ", self.whole.text)), 6)
        return f"question '{words}'"

    def read(self) -> None:
        body = self.whole
        self.line = self.block.line_at(body.at)
        if body.text.startswith("::"):
            finish = body.text.find("::", 2)
            if finish == -1:
                body = body.cut(2).strip()  # Moodle: no name, the text goes on after '::'
            else:
                self.title = _show(body.text[2:finish]).strip() or None
                body = body.cut(finish + 2).strip()
        opening, closing = body.text.find("{"), body.text.find("}")
        if opening == -1 and closing == -1:
            stem = _with_format(body.text, "moodle")
            self.finish("description", stem, [], after="", answers=_Span("", body.at))
            return
        if opening == -1 or (closing != -1 and closing < opening):
            self.problem(body.at + closing, "a } closes an answer block that no { opened")
            return
        if closing == -1:
            self.problem(body.at + opening, "the answer block opened with { is never closed")
            return
        answers = body.cut(opening + 1, closing)
        after = body.text[closing + 1 :].strip()
        stem = _with_format(body.text[:opening], "moodle")
        self.finish_answers(stem, answers, after)

    def finish_answers(self, stem: _Text, answers: _Span, after: str) -> None:
        inner = answers.strip()
        general = ""
        if (separator := inner.text.rfind("####")) != -1:
            general = inner.text[separator + 4 :]
            inner = inner.cut(0, separator).strip()
        gf = _with_format(general, stem.format)
        content = inner.text
        if content == "":
            self.skip("essay", after)
        elif content[0] == "#":
            self.skip("numerical", after)
        elif "~" in content:
            self.choices(stem, inner, gf, after)
        elif "=" in content and "->" in content:
            self.matching(stem, inner, gf, after)
        else:
            check = content[: content.find("#")].strip() if content.find("#") > 0 else content
            if check in _TRUE_FALSE:
                self.true_false(stem, inner, gf, after)
            else:
                self.short_answer(inner, after)

    # ---- types ----

    def weight(self, piece: _Span) -> tuple[float, _Span]:
        found = _WEIGHT.match(piece.text)
        if not found:
            return 0.0, piece
        number = found.group(0)[1:-1]
        try:
            fraction = float(number) / 100
        except ValueError:
            self.problem(piece.at, f"the weight %{number}% is not a number")
            return 0.0, piece.cut(found.end())
        if moodle_grade(fraction) is None:
            self.problem(
                piece.at,
                f"the weight %{number}% is not a grade Moodle accepts "
                "(use 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, "
                "16.66667, 14.28571, 12.5, 11.11111, 10, 5 or 0, or their negatives)",
            )
        return fraction, piece.cut(found.end())

    def pieces(self, inner: _Span, marks: str, keep: str, least: int, what: str) -> list[_Span]:
        found = [p.strip() for p in _split(inner, marks, keep)]
        if found and not found[0].text:
            found = found[1:]  # nothing before the first mark, as Moodle drops it
        if len(found) < least:
            self.problem(inner.at, f"{what} needs at least {least} answers, and has {len(found)}")
        return found

    def choices(self, stem: _Text, inner: _Span, gf: _Text, after: str) -> None:
        single = "=" in inner.text
        options: list[tuple[float, _Text, _Text]] = []
        for piece in self.pieces(inner, "~=", "=", 2, "a multiple-choice question"):
            if piece.text.startswith("="):
                fraction, rest = 1.0, piece.cut(1)
            else:
                fraction, rest = self.weight(piece)
            text, _, feedback = rest.text.partition("#")
            answer = _with_format(text, stem.format)
            if not answer.text:
                self.problem(piece.at, "one of its answers has no text")
            options.append((fraction, answer, _with_format(feedback, stem.format)))
        fractions = [f for f, _, _ in options]
        if (
            not single
            and options
            and not self.problems
            and round(sum(f for f in fractions if f > 0), 2) != 1
        ):
            total = round(sum(f for f in fractions if f > 0) * 100, 2)
            self.problem(
                inner.at,
                f"no answer is marked = and the positive weights add up to {total:g} %, "
                "where Moodle needs 100 %",
            )
        texts = [stem, gf] + [t for _, a, b in options for t in (a, b)]
        fmt = self.format(texts)
        built = [
            Option(text=convert(a.text, a.format, fmt), fraction=f, feedback=self.as_(b, fmt))
            for f, a, b in options
            if a.text
        ]
        kind: Literal["single", "multiple"] = "single" if single else "multiple"
        self.finish(kind, stem, [gf], after, inner, fmt=fmt, options=built)

    def matching(self, stem: _Text, inner: _Span, gf: _Text, after: str) -> None:
        pairs: list[tuple[_Text, str]] = []
        for piece in self.pieces(inner, "=", "", 2, "a matching question"):
            marker = piece.text.find("->")
            if marker == -1:
                self.problem(piece.at, f"the pair '{_show(piece.text)}' has no '->'")
                continue
            prompt = _with_format(piece.text[:marker], stem.format)
            match = _show(piece.text[marker + 2 :]).strip()
            if not match:
                self.problem(piece.at, f"the pair '{_show(piece.text)}' has nothing after '->'")
                continue
            pairs.append((prompt, match))
        fmt = self.format([stem, gf] + [p for p, _ in pairs])
        built = [Pair(prompt=convert(p.text, p.format, fmt), match=m) for p, m in pairs]
        if pairs and not any(p.text for p, _ in pairs):
            self.problem(inner.at, "every pair lacks a prompt")
        self.finish("matching", stem, [gf], after, inner, fmt=fmt, pairs=built)

    def true_false(self, stem: _Text, inner: _Span, gf: _Text, after: str) -> None:
        # Moodle: the first # is feedback for the WRONG choice, the second for the right one
        bits = inner.text.split("#", 2) + ["", ""]
        answer = _TRUE_FALSE[_show(bits[0]).strip()]
        wrong, right = _with_format(bits[1], stem.format), _with_format(bits[2], stem.format)
        fmt = self.format([stem, gf, wrong, right])
        true_fb, false_fb = (right, wrong) if answer else (wrong, right)
        self.finish(
            "true_false",
            stem,
            [gf],
            after,
            inner,
            fmt=fmt,
            answer=answer,
            feedback_true=self.as_(true_fb, fmt),
            feedback_false=self.as_(false_fb, fmt),
        )

    def short_answer(self, inner: _Span, after: str) -> None:
        # parsed (Moodle would refuse a bad weight) but skipped: the course has no such type
        for piece in self.pieces(inner, "=", "", 1, "a short-answer question"):
            self.weight(piece)
        self.skip("short answer", after)

    # ---- endings ----

    def format(self, texts: list[_Text]) -> Format:
        return target_format(texts[0].format, [t.format for t in texts[1:] if t.text])

    @staticmethod
    def as_(text: _Text, fmt: Format) -> str:
        return convert(text.text, text.format, fmt)

    def skip(self, kind: str, after: str) -> None:
        if self.problems:
            return
        name = self._named()
        message = (
            f"{self.reader.source}, line {self.line}: {name} is {_a(kind)} question, which the "
            "course does not support; skipped."
        )
        self.reader.skipped.append(Skipped(self.line, self.title or name, kind, message))

    def finish(
        self,
        kind: str,
        stem: _Text,
        others: list[_Text],
        after: str,
        answers: _Span,
        *,
        fmt: Format | None = None,
        **fields: Any,
    ) -> None:
        if self.problems:
            return
        if after:
            # text after the block: Moodle's missing-word form, a blank in the middle of the stem
            name = self._named()
            self.reader.skipped.append(
                Skipped(
                    self.line,
                    self.title or name,
                    "missing word",
                    f"{self.reader.source}, line {self.line}: {name} has its answers in the "
                    f"middle of the text (text follows the closing }}: '{first_words(after, 5)}'), "
                    "a missing-word question the course does not support; skipped.",
                )
            )
            return
        fmt = fmt or self.format([stem, *others])
        general = others[0] if others else _Text("", stem.format)
        comments, extras, idnumber, tags = self.comments()
        if self.problems:
            return
        try:
            question = Imported(
                kind=cast(Any, kind),
                title=self.title,
                category=self.reader.category,
                stem=convert(stem.text, stem.format, fmt),
                stem_format=fmt,
                general_feedback=convert(general.text, general.format, fmt),
                comments=tuple(comments),
                line=self.line,
                id=idnumber or None,
                tags=tuple(tags),
                **fields,
            )
            question = _with_extras(question, extras) if extras else question
        except (ValidationError, ValueError) as failure:
            self.problem(answers.at, _reason(failure))
            return
        self.reader.questions.append(question)

    def comments(self) -> tuple[list[str], _Extras | None, str, list[str]]:
        """The block's comments: its own words, Moodle's [id:] and [tag:], and our sns data."""
        kept: list[str] = []
        extras: _Extras | None = None
        everything = "\n".join("//" + c for _, c in self.block.comments)
        for number, comment in self.block.comments:
            if comment.startswith("sns:"):
                try:
                    extras = _Extras.model_validate(json.loads(comment[4:]))
                except (ValueError, ValidationError) as failure:
                    self.reader.problem(
                        number,
                        f"{self._named()}: the course's data in this comment cannot be read "
                        f"({_reason(failure)})",
                    )
                    self.problems += 1
            elif comment and not _ONLY_IDS.match(comment):
                kept.append(comment)
        return (kept, extras, *ids_and_tags(everything))


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _reason(failure: Exception) -> str:
    if isinstance(failure, ValidationError):
        return "; ".join(e["msg"].removeprefix("Value error, ") for e in failure.errors())
    return str(failure)


def _with_extras(question: Imported, extras: _Extras) -> Imported:
    """Put the course's own data back on a question read from a file we wrote."""
    data = question.model_dump()
    if extras.options:
        if len(extras.options) != len(question.options):
            raise ValueError(
                f"the course's data names {len(extras.options)} options, "
                f"the question has {len(question.options)}"
            )
        data["options"] = [
            {**o.model_dump(), **dict(x)}
            for o, x in zip(question.options, extras.options, strict=True)
        ]
    if extras.pairs:
        if len(extras.pairs) != len(question.pairs):
            raise ValueError("the course's data names a different number of pairs")
        data["pairs"] = [
            {**p.model_dump(), "feedback": f}
            for p, f in zip(question.pairs, extras.pairs, strict=True)
        ]
    if extras.kind == "ordering":
        data.update(kind="ordering", items=_steps(question.pairs, extras.items), pairs=())
    for key in ("rules", "difficulty", "about", "use", "waive", "fixed_order", "misconception"):
        data[key] = getattr(extras, key)
    data["feedback"] = extras.feedback
    return Imported.model_validate(data)


def _steps(pairs: tuple[Pair, ...], feedback: tuple[str, ...]) -> list[Item]:
    """An ordering travels as a matching of each step to its place (1, 2, 3...)."""
    if sorted(p.match for p in pairs) != sorted(str(n) for n in range(1, len(pairs) + 1)):
        raise ValueError("an ordering question's matches must be its places 1, 2, 3...")
    if feedback and len(feedback) != len(pairs):
        raise ValueError("the course's data names a different number of steps")
    ordered = sorted(range(len(pairs)), key=lambda i: int(pairs[i].match))
    return [
        Item(text=pairs[i].prompt, feedback=feedback[int(pairs[i].match) - 1] if feedback else "")
        for i in ordered
    ]


def parse_gift(text: str, source: str = "<gift>") -> GiftFile:
    """Read a GIFT file. Raises GiftError, naming file and line, if Moodle would refuse it."""
    reader = _Reader(source)
    if reserved := _RESERVED.search(text):
        line = text.count("\n", 0, reserved.start()) + 1
        raise GiftError(source, [Problem(line, "the file holds a reserved character (U+FDDx)")])
    for block in _blocks(text):
        reader.read(block)
    if reader.problems:
        raise GiftError(source, sorted(reader.problems, key=lambda p: p.line))
    return GiftFile(tuple(reader.questions), tuple(reader.skipped), tuple(reader.categories))


# ---- writing ----


def _text(text: str, fmt: Format, prefix: bool = False) -> str:
    """One text as Moodle's exporter writes it; a format prefix where the text itself starts
    with something a reader would take for one ('[') or for a weight ('%')."""
    if prefix or text.startswith(("[", "%")):
        return f"[{fmt}]" + _escape(text)
    return _escape(text)


def _weight(fraction: float) -> str:
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".")


def _extras(question: Imported) -> dict[str, Any]:
    """The course's own data that GIFT has no place for, leaving out what is empty."""
    data: dict[str, Any] = {
        "kind": "ordering" if question.kind == "ordering" else None,
        "rules": list(question.rules),
        "difficulty": question.difficulty,
        "about": question.about,
        "use": question.use,
        "waive": question.waive,
        "fixed_order": question.fixed_order,
        "misconception": question.misconception,
        "feedback": question.feedback,
        "options": [
            {k: v for k, v in o.model_dump(include={"misconception", "act", "act_reason"}).items()
             if v is not None}
            for o in question.options
        ],
        "pairs": [p.feedback for p in question.pairs],
        "items": [i.feedback for i in question.items],
    }  # fmt: skip
    if not any(data["options"]):
        data["options"] = []
    if not any(data["pairs"]):
        data["pairs"] = []
    if not any(data["items"]):
        data["items"] = []
    return {k: v for k, v in data.items() if v not in (None, [], {}, "", False)}


def _header(question: Imported) -> list[str]:
    lines = []
    if extras := _extras(question):
        lines.append("// sns: " + json.dumps(extras, ensure_ascii=False, separators=(",", ":")))
    idnumber = (question.id or "").replace("]", "\\]")
    marks = [f"[id:{idnumber}]"] if idnumber else []
    marks += [f"[tag:{tag}]" for tag in question.tags]
    if marks:
        lines.append("// " + " ".join(marks))  # Moodle reads these as idnumber and tags
    lines += [f"// {comment}" for comment in question.comments]
    return lines


def _answers(question: Imported) -> list[str]:
    fmt = question.stem_format
    lines = []
    if question.kind in ("single", "multiple"):
        for option in question.options:
            if option.fraction == 1 and question.kind == "single":
                mark = "="
            elif option.fraction == 0:
                mark = "~"
            else:
                mark = f"~%{_weight(option.fraction)}%"
            feedback = f"#{_text(option.feedback, fmt)}" if option.feedback else ""
            lines.append(f"\t{mark}{_text(option.text, fmt)}{feedback}")
    elif question.kind in ("matching", "ordering"):
        pairs = question.pairs or tuple(
            Pair(prompt=item.text, match=str(n)) for n, item in enumerate(question.items, 1)
        )
        for pair in pairs:
            prompt = _text(pair.prompt, fmt) if pair.prompt else ""
            lines.append(f"\t={prompt} -> {_escape(pair.match)}")
    if question.general_feedback:
        lines.append(f"\t####{_text(question.general_feedback, fmt)}")
    return lines


def _true_false(question: Imported) -> str:
    """Moodle's order: the answer, then feedback for the wrong choice, then for the right one."""
    fmt = question.stem_format
    right, wrong = question.feedback_true, question.feedback_false
    if not question.answer:
        right, wrong = wrong, right
    out = "{" + ("TRUE" if question.answer else "FALSE")
    if wrong:
        out += "#" + _text(wrong, fmt)
    elif right:
        out += "#"
    if right:
        out += "#" + _text(right, fmt)
    if question.general_feedback:
        out += "####" + _text(question.general_feedback, fmt)
    return out + "}"


def _write(question: Imported) -> str:
    lines = _header(question)
    head = f"::{_escape(question.title)}::" if question.title else ""
    # the stem always names its format: a stem then never starts like a comment or a category
    head += _text(question.stem, question.stem_format, prefix=True)
    if question.kind == "description":
        lines.append(head)
    elif question.kind == "true_false":
        lines.append(head + _true_false(question))
    else:
        lines += [head + "{", *_answers(question), "}"]
    return "\n".join(lines) + "\n"


def write_gift(questions: Iterable[Imported]) -> str:
    """GIFT text Moodle imports, with the course's own data in `// sns:` comments.

    A question without a category after one with a category lands in that category on
    import: GIFT has no way to leave a category."""
    parts: list[str] = []
    category: str | None = None
    for question in questions:
        if question.category and question.category != category:
            category = question.category
            parts.append(f"$CATEGORY: {category}\n")
        parts.append(_write(question))
    return "".join(part + "\n" for part in parts)  # a blank line after each, as Moodle writes
