"""Reading content files: each file becomes a checked object, and every problem names path:line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from course.content import checks
from course.content.catalogue import Catalogue
from course.content.located import Located, parse_yaml
from course.content.markdown import heading_lines
from course.content.schema import QUESTION_TYPES, Bank, Module, Quiz, Rule, Track
from course.errors import ContentError

M = TypeVar("M", bound=BaseModel)


@dataclass
class Problems:
    """Problems found while loading, in the order found."""

    items: list[str] = field(default_factory=list)

    def add(self, error: ContentError) -> None:
        self.items.append(str(error))


class ContentProblems(ContentError):
    """The content has one or more problems; `problems` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        Exception.__init__(
            self, f"{len(problems)} problem(s) in the content:\n" + "\n".join(problems)
        )
        self.problems = problems


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
            where = tuple(p for p in error["loc"] if not _is_union_tag(p))
            problems.add(located.error(where, _describe(error, where)))
        return None


def _is_union_tag(part: Any) -> bool:
    # pydantic names the member of a discriminated union in the error's location: drop it
    return isinstance(part, str) and part in QUESTION_TYPES


def _describe(error: Any, where: tuple[Any, ...]) -> str:
    field_name = ".".join(str(p) for p in where) or "file"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return f"{field_name}: this field is required"
    if error["type"] == "extra_forbidden":
        return f"{field_name}: unknown field"
    return f"{field_name}: {message}"


def read_yaml(path: Path, root: Path, problems: Problems) -> Located | None:
    rel = _relative(path, root)
    if not path.is_file():
        problems.add(ContentError(rel, 1, "the file is missing"))
        return None
    try:
        return parse_yaml(path.read_text(encoding="utf-8-sig"), rel)
    except UnicodeDecodeError:
        problems.add(ContentError(rel, 1, "the file is not UTF-8 text"))
    except ContentError as error:
        problems.add(error)
    return None


FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)


def read_module(path: Path, root: Path, problems: Problems) -> tuple[Module, Located] | None:
    """Front matter (YAML) + reading (Markdown, one section per `## ` heading)."""
    rel = _relative(path, root)
    text = path.read_text(encoding="utf-8-sig")
    match = FRONT.match(text)
    if not match:
        problems.add(
            ContentError(rel, 1, "a module starts with YAML front matter between '---' lines")
        )
        return None
    try:
        located = parse_yaml(match.group(1), rel, first_line=2)
    except ContentError as error:
        problems.add(error)
        return None
    if not isinstance(located.data, dict):
        problems.add(ContentError(rel, 2, "the front matter must be a mapping of fields"))
        return None
    if "reading" in located.data:
        problems.add(located.error(("reading",), "the reading goes below the front matter"))
        return None
    body_start = match.group(0).count("\n") + 1
    body = text[match.end() :]
    heads = heading_lines(body, 2)
    preamble = body.splitlines()[: heads[0][0] if heads else None]
    if any(line.strip() for line in preamble):
        problems.add(
            ContentError(
                rel, body_start, "text above the first '## ' heading belongs to no section"
            )
        )
    data = dict(located.data, reading=_sections(body, body_start))
    module = _validate(Module, Located(rel, data, located.lines, 2), problems)
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


def _sections(body: str, first_line: int) -> list[dict[str, Any]]:
    lines = body.splitlines()
    heads = heading_lines(body, 2)
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
        problems.add(ContentError(located.path, 1, "the file must be a YAML list"))
        return []
    found = []
    for index, _ in enumerate(located.data):
        one = Located(located.path, located.data[index], _shift(located.lines, index), 1)
        if (item := _validate(model, one, problems)) is not None:
            found.append(item)
    return found


def _shift(lines: dict[tuple[Any, ...], int], index: int) -> dict[tuple[Any, ...], int]:
    return {key[1:]: line for key, line in lines.items() if key and key[0] == index} | {
        (): lines.get((index,), 1)
    }


def load(root: Path) -> tuple[Catalogue, list[str]]:
    """Read every content file under root; return what loaded and every problem found."""
    problems = Problems()
    sources: dict[str, Located] = {}
    rules_path = root / "rules" / "rules.yaml"
    rules: list[Rule] = []
    if (located := read_yaml(rules_path, root, problems)) is not None:
        rules = _list_of(Rule, located, problems)
        sources["rules"] = located
    modules: list[Module] = []
    for path in sorted((root / "modules").glob("*/module.md")):
        if (loaded := read_module(path, root, problems)) is not None:
            modules.append(loaded[0])
            sources[f"module:{loaded[0].id}"] = loaded[1]
    banks: list[Bank] = []
    for path in sorted((root / "quizzes" / "banks").glob("*.yaml")):
        if (located := read_yaml(path, root, problems)) is not None:
            if (bank := _validate(Bank, located, problems)) is not None:
                if f"bank:{bank.id}" in sources:
                    problems.add(
                        located.error(("id",), f"bank id '{bank.id}' is used by another file")
                    )
                    continue
                banks.append(bank)
                sources[f"bank:{bank.id}"] = located
    quizzes: list[Quiz] = []
    if (located := read_yaml(root / "quizzes" / "quizzes.yaml", root, problems)) is not None:
        quizzes = _list_of(Quiz, located, problems)
        sources["quizzes"] = located
    tracks: list[Track] = []
    if (located := read_yaml(root / "tracks.yaml", root, problems)) is not None:
        tracks = _list_of(Track, located, problems)
        sources["tracks"] = located
    catalogue = Catalogue.build(rules, modules, banks, quizzes, tracks)
    for error in checks.check_all(catalogue, sources, _protected_names(root, problems), root):
        problems.add(error)
    return catalogue, problems.items


def _protected_names(root: Path, problems: Problems) -> list[str]:
    located = read_yaml(root / "rules" / "protected-names.yaml", root, problems)
    if located is None or not isinstance(located.data, dict):
        return []
    names = TypeAdapter(list[str]).validate_python(located.data.get("names") or [])
    return [n for n in names if n.strip()]
