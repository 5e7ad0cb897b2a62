"""Reading content files: each file becomes a checked object, and every problem names path:line.

`load` returns (catalogue, problems) for anything on disk: a broken, empty, huge or binary file
is a `path:line: problem` an author can act on, never an exception.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from course.content import checks, wording
from course.content.catalogue import Catalogue
from course.content.located import Located, Path_, parse_yaml
from course.content.markdown import heading_lines
from course.content.schema import (
    QUESTION_TYPES,
    Act,
    Bank,
    Module,
    ProtectedNames,
    Quiz,
    Rule,
    Track,
)
from course.errors import ContentError

M = TypeVar("M", bound=BaseModel)

# The largest shipped file is under 100 kB; a file over 2 MB is a mistake (a pasted export, a
# binary), and refusing it keeps loading quick whatever lands in the content folder.
MAX_BYTES = 2 * 1024 * 1024
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass
class Problems:
    """Problems found while loading, in the order found, and the text of each file read."""

    items: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    line_counts: dict[str, int] = field(default_factory=dict)

    def add(self, error: ContentError) -> None:
        # YAML names the line after the last one for a problem at the very end of a file
        last = max(self.line_counts.get(error.path, error.line), 1)
        line = min(max(error.line, 1), last)
        # a problem quoting the author's text (a key with a line break in it) stays on one line
        problem = _UNSEEN.sub(lambda c: repr(c.group())[1:-1], error.problem)
        self.items.append(str(ContentError(error.path, line, problem)))

    def read(self, rel: str, text: str) -> None:
        """Keep a file's text: the real-names check searches it, and lines are held within it."""
        self.texts[rel] = text
        self.line_counts[rel] = text.count("\n") + (not text.endswith("\n") and text != "")


class ContentProblems(ContentError):
    """The content has one or more problems; `problems` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        Exception.__init__(
            self, f"{len(problems)} problem(s) in the content:\n" + "\n".join(problems)
        )
        self.problems = problems


@contextmanager
def _checking(rel: str, problems: Problems) -> Iterator[None]:
    """The last line of defence: a failure of the loader itself still names the file."""
    try:
        yield
    except Exception as failure:  # a bug here must not hide every other problem from the author
        problems.add(ContentError(rel, 1, wording.internal(failure)))


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _validate(model: type[M], located: Located, problems: Problems) -> M | None:
    try:
        return model.model_validate(located.data)
    except ValidationError as failure:
        for error in failure.errors():
            where = _where(error["loc"], error["type"])
            field_name = ".".join(str(p) for p in where) or "file"
            problems.add(located.error(where, wording.field_problem(error, field_name)))
        return None


def _where(loc: tuple[Any, ...], kind: str) -> Path_:
    """The error's place in the data: without the union member pydantic names, at the `type`."""
    where = tuple(
        part
        for i, part in enumerate(loc)
        if not (part in QUESTION_TYPES and i >= 2 and loc[i - 2] == "questions")
    )
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return (*where, "type")
    return where


# ---- reading files ----


def _newlines(text: str) -> str:
    r"""Line ends as an editor counts them: \r\n and a lone \r both end a line."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, root: Path, problems: Problems) -> str | None:
    """A content file's text, or None once its problem (missing, too big, not UTF-8) is noted."""
    rel = _relative(path, root)
    if not path.is_file():
        what = "the file is missing" if not path.exists() else "this is not a file"
        problems.add(ContentError(rel, 1, what))
        return None
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        problems.add(ContentError(rel, 1, f"the file cannot be read ({error.strerror or error})"))
        return None
    if len(data) > MAX_BYTES:
        problems.add(ContentError(rel, 1, wording.TOO_BIG))
        return None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = _newlines(data.decode("utf-8"))
    except UnicodeDecodeError as bad:
        line = _newlines(data[: bad.start].decode("utf-8")).count("\n") + 1
        problems.add(ContentError(rel, line, wording.not_utf8(data[bad.start])))
        return None
    problems.read(rel, text)
    return text


def read_yaml(path: Path, root: Path, problems: Problems) -> Located | None:
    rel = _relative(path, root)
    if (text := read_text(path, root, problems)) is None:
        return None
    if not text.strip():
        problems.add(ContentError(rel, 1, wording.EMPTY))
        return None
    try:
        located = parse_yaml(text, rel)
    except ContentError as error:
        problems.add(error)
        return None
    if located.data is None:
        problems.add(ContentError(rel, 1, wording.BLANK))
        return None
    return located


FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)


def read_module(path: Path, root: Path, problems: Problems) -> tuple[Module, Located] | None:
    """Front matter (YAML) + reading (Markdown, one section per `## ` heading)."""
    rel = _relative(path, root)
    if (text := read_text(path, root, problems)) is None:
        return None
    match = FRONT.match(text)
    if not match:
        empty = "the file is empty: " if not text.strip() else ""
        problems.add(ContentError(rel, 1, f"{empty}{wording.FRONT_MATTER}"))
        return None
    try:
        located = parse_yaml(match.group(1), rel, first_line=2)
    except ContentError as error:
        problems.add(error)
        return None
    if not isinstance(located.data, dict):
        problems.add(ContentError(rel, 2, wording.front_matter_shape(located.data)))
        return None
    if "reading" in located.data:
        problems.add(located.error(("reading",), "the reading goes below the front matter"))
        return None
    body_start = match.group(0).count("\n") + 1
    sections = _sections(text[match.end() :], body_start, rel, problems)
    lines = {**located.lines, ("reading",): body_start}
    lines.update({("reading", i): s["line"] for i, s in enumerate(sections)})
    data = dict(located.data, reading=sections)
    module = _validate(Module, Located(rel, data, lines, 2), problems)
    if module is None:
        return None
    if module.id != path.parent.name:
        problems.add(
            located.error(
                ("id",),
                f"id '{module.id}' differs from its folder '{path.parent.name}'",
            )
        )
    return module, located


def _sections(body: str, first_line: int, rel: str, problems: Problems) -> list[dict[str, Any]]:
    # markdown-it counts lines by '\n' alone, so the body is split the same way
    lines = body.split("\n")
    heads = heading_lines(body, 2)
    if any(line.strip() for line in lines[: heads[0][0] if heads else None]):
        problems.add(
            ContentError(
                rel, first_line, "text above the first '## ' heading belongs to no section"
            )
        )
    sections = []
    for index, (line, title) in enumerate(heads):
        end = heads[index + 1][0] if index + 1 < len(heads) else len(lines)
        sections.append(
            {
                "title": title,
                "markdown": "\n".join(lines[line + 1 : end]).strip(),
                "line": first_line + line,
            }
        )
    return sections


def _list_of(model: type[M], located: Located, problems: Problems) -> list[M]:
    if not isinstance(located.data, list):
        problems.add(ContentError(located.path, 1, wording.NOT_A_LIST))
        return []
    per_item: dict[int, dict[Path_, int]] = {}
    for where, line in located.lines.items():
        if where and isinstance(where[0], int):
            per_item.setdefault(where[0], {})[where[1:]] = line
    found = []
    for index, item in enumerate(located.data):
        one = Located(located.path, item, per_item.get(index, {}), 1)
        if (loaded := _validate(model, one, problems)) is not None:
            found.append(loaded)
    return found


def _read_list(
    model: type[M], path: Path, root: Path, problems: Problems
) -> tuple[list[M], Located | None]:
    with _checking(_relative(path, root), problems):
        if (located := read_yaml(path, root, problems)) is not None:
            return _list_of(model, located, problems), located
    return [], None


def _read_modules(root: Path, problems: Problems, sources: dict[str, Located]) -> list[Module]:
    folder = root / "modules"
    modules: list[Module] = []
    if not folder.is_dir():
        return modules
    for place in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        path = place / "module.md"
        rel = _relative(path, root)
        if not path.exists():
            problems.add(ContentError(rel, 1, wording.NO_MODULE_FILE))
            continue
        with _checking(rel, problems):
            if (loaded := read_module(path, root, problems)) is not None:
                modules.append(loaded[0])
                # two folders with one id: the first is the module, as in the catalogue
                sources.setdefault(f"module:{loaded[0].id}", loaded[1])
    return modules


def _read_banks(root: Path, problems: Problems, sources: dict[str, Located]) -> list[Bank]:
    banks: list[Bank] = []
    for path in sorted((root / "quizzes" / "banks").glob("*.yaml")):
        with _checking(_relative(path, root), problems):
            if (bank := _read_bank(path, root, problems, sources)) is not None:
                banks.append(bank)
    return banks


def _read_bank(
    path: Path, root: Path, problems: Problems, sources: dict[str, Located]
) -> Bank | None:
    if (located := read_yaml(path, root, problems)) is None:
        return None
    if not isinstance(located.data, dict):
        problems.add(ContentError(located.path, 1, wording.NOT_A_BANK))
        return None
    if (bank := _validate(Bank, located, problems)) is None:
        return None
    if f"bank:{bank.id}" in sources:
        problems.add(located.error(("id",), f"bank id '{bank.id}' is used by another file"))
        return None
    sources[f"bank:{bank.id}"] = located
    return bank


def load(root: Path) -> tuple[Catalogue, list[str]]:
    """Read every content file under root; return what loaded and every problem found."""
    problems = Problems()
    sources: dict[str, Located] = {}
    rules, located = _read_list(Rule, root / "rules" / "rules.yaml", root, problems)
    if located is not None:
        sources["rules"] = located
    acts, located = _read_list(Act, root / "rules" / "acts.yaml", root, problems)
    if located is not None:
        sources["acts"] = located
    modules = _read_modules(root, problems, sources)
    banks = _read_banks(root, problems, sources)
    quizzes, located = _read_list(Quiz, root / "quizzes" / "quizzes.yaml", root, problems)
    if located is not None:
        sources["quizzes"] = located
    tracks, located = _read_list(Track, root / "tracks.yaml", root, problems)
    if located is not None:
        sources["tracks"] = located
    catalogue = Catalogue.build(rules, modules, banks, quizzes, tracks, acts)
    names = _protected_names(root, problems)
    texts = {s.path: problems.texts[s.path] for s in sources.values() if s.path in problems.texts}
    for error in checks.check_all(catalogue, sources, names, texts):
        problems.add(error)
    return catalogue, problems.items


def _protected_names(root: Path, problems: Problems) -> list[str]:
    path = root / "rules" / "protected-names.yaml"
    with _checking(_relative(path, root), problems):
        located = read_yaml(path, root, problems)
        if located is not None and (found := _validate(ProtectedNames, located, problems)):
            return [n for n in found.names if n.strip()]
    return []
