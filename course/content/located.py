"""YAML that remembers the line of every key and list item, so problems can name their line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from course.errors import ContentError

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """Parsed YAML data and the 1-based line of each path in it."""

    path: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, where: Path_) -> int:
        """The line of the longest known prefix of `where` (the file's first line if none)."""
        for cut in range(len(where), -1, -1):
            if (found := self.lines.get(tuple(where[:cut]))) is not None:
                return found
        return self.first_line

    def at(self, where: Path_) -> str:
        """`path:line` for a place in the data."""
        return f"{self.path}:{self.line(where)}"

    def error(self, where: Path_, problem: str) -> ContentError:
        return ContentError(self.path, self.line(where), problem)


def parse_yaml(text: str, path: str, first_line: int = 1) -> Located:
    """Parse YAML text that starts at `first_line` of the file `path`."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark or problem.context_mark
        line = first_line + (mark.line if mark else 0)
        raise ContentError(path, line, f"not valid YAML: {problem.problem}") from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _walk(node, (), lines, first_line - 1, path)
    return Located(path, data, lines, first_line)


def _walk(node: yaml.Node, where: Path_, lines: dict[Path_, int], offset: int, path: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                raise ContentError(path, line, f"key '{key}' appears twice")
            seen.add(key)
            lines[(*where, key)] = line
            _walk(value_node, (*where, key), lines, offset, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*where, index)] = item.start_mark.line + 1 + offset
            _walk(item, (*where, index), lines, offset, path)
