"""YAML that remembers the line of every key and list item, so problems can name their line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from course.content import wording
from course.errors import ContentError

Path_ = tuple[str | int, ...]

# libyaml parses about ten times faster than the pure-Python parser, which stays the fallback.
# Only its parser is used: its composer recurses in C and crashes the process on deep nesting,
# so documents are built here, level by level, from the parser's events.
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The deepest shipped path is 7 levels (scenario.situations.N.choices.N.rules.N); more than this
# is a mistake, and refusing it keeps every later step (validation, checks) shallow.
MAX_DEPTH = 40

# Characters YAML refuses (PyYAML's list, plus the zero-width U+FEFF that libyaml refuses)
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)

_STR = "tag:yaml.org,2002:str"
_KEY_KINDS = {
    "tag:yaml.org,2002:null": "empty",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:merge": "a merge marker",
    "tag:yaml.org,2002:value": "a value marker",
}
# scalars that become something other than text; any other resolved tag stays text
_TYPED = frozenset(_KEY_KINDS) - {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}


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

    def positions(self) -> dict[str, int]:
        """Where each id stands in a list file (its entries may not all have loaded; the first
        of two entries with one id counts)."""
        items = self.data if isinstance(self.data, list) else []
        found: dict[str, int] = {}
        for index, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found.setdefault(item["id"], index)
        return found


def parse_yaml(text: str, path: str, first_line: int = 1) -> Located:
    """Parse YAML text that starts at `first_line` of the file `path`.

    Anything wrong raises a ContentError naming the line: bad YAML, characters YAML refuses,
    anchors and aliases, tags, keys that are not text, a key given twice, nesting deeper
    than MAX_DEPTH, or more than one document.
    """
    if (bad := _UNPRINTABLE.search(text)) is not None:
        line = first_line + text.count("\n", 0, bad.start())
        raise ContentError(path, line, wording.invisible_character(bad.group()))
    try:
        data, lines = _build(text, path, first_line)
    except yaml.MarkedYAMLError as problem:
        line, said = wording.yaml_problem(problem, text)
        raise ContentError(path, first_line + line, said) from None
    except yaml.YAMLError as problem:
        raise ContentError(path, first_line, f"not valid YAML: {problem}") from None
    return Located(path, data, lines, first_line)


def _build(text: str, path: str, first_line: int) -> tuple[Any, dict[Path_, int]]:
    loader = LOADER(text)
    try:
        return _Builder(loader, path, first_line).document()
    finally:
        loader.dispose()


class _Open:
    """A list or mapping being filled, with its path and (for a mapping) the key just read."""

    __slots__ = ("value", "where", "key")

    def __init__(self, value: Any, where: Path_) -> None:
        self.value = value
        self.where = where
        self.key: str | None = None


class _Builder:
    """Builds plain data (dicts, lists, scalars) and the line of every path from parser events.

    A loop with an explicit stack, not recursion: depth is bounded and checked, never a crash.
    """

    def __init__(self, loader: Any, path: str, first_line: int) -> None:
        self.loader = loader
        self.path = path
        self.offset = first_line
        self.lines: dict[Path_, int] = {}

    def error(self, event: Any, problem: str) -> ContentError:
        return ContentError(self.path, self.offset + event.start_mark.line, problem)

    def document(self) -> tuple[Any, dict[Path_, int]]:
        get = self.loader.get_event
        get()  # the stream's start
        event = get()
        if isinstance(event, StreamEndEvent):
            return None, self.lines
        if not isinstance(event, DocumentStartEvent):
            raise self.error(event, "not valid YAML: expected a document")
        data = self.node()
        event = get()
        if not isinstance(event, DocumentEndEvent):
            raise self.error(event, "not valid YAML: expected the end of the document")
        event = get()
        if isinstance(event, DocumentStartEvent):
            raise self.error(
                event,
                "the file holds a second YAML document: remove this '---' line "
                "(or everything after it)",
            )
        return data, self.lines

    def node(self) -> Any:
        """The document's root value, read event by event."""
        stack: list[_Open] = []
        while True:
            event = self.loader.get_event()
            kind = event.__class__
            if kind is SequenceEndEvent or kind is MappingEndEvent:
                done = stack.pop()
                if not stack:
                    return done.value
                continue
            if kind is AliasEvent or event.anchor is not None:
                raise self.error(event, wording.ANCHORS)
            if event.tag is not None:
                raise self.error(event, wording.TAGS)
            top = stack[-1] if stack else None
            if top is not None and top.key is None and isinstance(top.value, dict):
                top.key = self.key(event, top)
                continue
            value = self.value(event)
            where = self.place(top, value, event)
            if kind is ScalarEvent:
                if top is None:
                    return value
            elif len(stack) < MAX_DEPTH:
                stack.append(_Open(value, where))
            else:
                raise self.error(event, wording.too_deep(MAX_DEPTH))

    def value(self, event: Any) -> Any:
        """A scalar's value, or the empty list or dict that the events to come will fill."""
        kind = event.__class__
        if kind is ScalarEvent:
            return self.scalar(event)
        if kind is SequenceStartEvent:
            return []
        if kind is MappingStartEvent:
            return {}
        raise self.error(event, "not valid YAML: expected a value here")

    def place(self, top: _Open | None, value: Any, event: Any) -> Path_:
        """Put a value in the list or mapping being filled; its path in the document."""
        if top is None:
            return ()
        if top.key is not None:
            where = (*top.where, top.key)
            top.value[top.key] = value
            top.key = None
            return where
        where = (*top.where, len(top.value))
        self.lines[where] = self.offset + event.start_mark.line
        top.value.append(value)
        return where

    def key(self, event: Any, mapping: _Open) -> str:
        if not isinstance(event, ScalarEvent):
            what = "a list" if isinstance(event, SequenceStartEvent) else "a set of fields"
            raise self.error(event, f"a field name must be a word, not {what}")
        if event.implicit[0]:
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag != _STR:
                raise self.error(
                    event, wording.not_a_field_name(event.value, _KEY_KINDS.get(tag, "no word"))
                )
        key = str(event.value)
        if key in mapping.value:
            raise self.error(event, f"key '{key}' appears twice")
        mark = event.start_mark
        self.lines[(*mapping.where, key)] = self.offset + (mark.line if mark is not None else 0)
        return key

    def scalar(self, event: Any) -> Any:
        if not event.implicit[0]:  # quoted, or a | or > block: always text
            return event.value
        tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _TYPED:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except ValueError:  # 2027-02-30, or a number too long to read
            raise self.error(event, wording.unreadable(event.value, tag)) from None
