"""Text formats of imported questions: Moodle's four, turned into safe Markdown or plain text.

Moodle marks each text `[html]`, `[moodle]`, `[plain]` or `[markdown]`. The course keeps no raw
HTML: HTML is read with the standard library's parser and rewritten as Markdown (or plain text),
so a script, a style or an event handler in a Moodle export never reaches a page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Literal

from markdown_it import MarkdownIt

# What a question's texts are kept in once imported (never HTML).
Format = Literal["markdown", "plain", "moodle"]
# What Moodle may hand us.
SourceFormat = Literal["markdown", "plain", "moodle", "html"]
SOURCE_FORMATS: tuple[SourceFormat, ...] = ("moodle", "html", "plain", "markdown")

# CommonMark with raw HTML off and no typographer: `visible_text` must not alter quotes.
_MD = MarkdownIt("js-default")

# What CommonMark would read as formatting inside a line (an `&` only when it starts an entity).
_INLINE = re.compile(r"([\\`*_\[\]<]|&(?=#?\w+;))")
_BR = "\ufdef"  # a line break inside a block, until we know whether a block break follows it
# What would start a block (heading, quote, list, rule, setext underline) at a line's start.
_BLOCK_MARK = re.compile(r"^(\s*)([#>+=-])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])")
_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "table", "tr", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "figure", "hr",
}  # fmt: skip
_DROPPED = {"script", "style", "head", "title", "template", "noscript", "iframe", "object"}
_SAFE_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows the same characters (nothing turns into formatting)."""
    return "\n".join(_guard(line) for line in _INLINE.sub(r"\\\1", text).split("\n"))


def _guard(line: str) -> str:
    """Escape what would make a line a heading, quote, list item or rule."""
    if _NUMBERED.match(line):
        return _NUMBERED.sub(r"\1\\\2", line, count=1)
    return _BLOCK_MARK.sub(r"\1\\\2", line, count=1)


class _Reader(HTMLParser):
    """Walks HTML once and writes what a reader would see, as Markdown or plain text."""

    def __init__(self, markdown: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.markdown = markdown
        self.out: list[str] = []
        self.dropping = 0
        self.pre = 0
        self.lists: list[list[int]] = []  # one counter per open list; [-1] for a bulleted one
        self.links: list[str | None] = []

    # -- helpers --
    def _text(self) -> str:
        return "".join(self.out)

    def _break(self, blank: bool) -> None:
        want = "\n\n" if blank and not self.lists else "\n"
        current = self._text()
        if not current.strip():
            return
        tail = len(current) - len(current.rstrip("\n " + _BR))
        self.out = [current[: len(current) - tail] + want]

    def _mark(self, mark: str) -> None:
        if self.markdown and not self.dropping:
            self.out.append(mark)

    # -- parser callbacks --
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
            return
        if self.dropping:
            return
        if tag == "br":
            self.out.append("\n" if self.pre else _BR)
        elif tag in ("ul", "ol"):
            self._break(blank=not self.lists)
            self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            self._break(blank=False)
            depth = len(self.lists) - 1
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
            bullet = f"{counter[0]}. " if counter[0] >= 0 else ("- " if self.markdown else "• ")
            self.out.append("   " * max(depth, 0) + bullet)
        elif tag in _BLOCK_TAGS:
            self._break(blank=True)
            if tag == "pre":
                self.pre += 1
                self._mark("```\n")
            elif tag == "blockquote":
                self._mark("> ")
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self._mark("#" * int(tag[1]) + " ")
            elif tag == "hr":
                self._mark("---")
                self._break(blank=True)
        elif tag in ("strong", "b"):
            self._mark("**")
        elif tag in ("em", "i"):
            self._mark("*")
        elif tag == "code" and not self.pre:
            self._mark("`")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            safe = href if _SAFE_LINK.match(href) else None
            self.links.append(safe)
            if safe:
                self._mark("[")
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.handle_data(alt)
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._break(blank=not self.lists)
        elif tag == "li":
            self._break(blank=False)
        elif tag in _BLOCK_TAGS:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
                if self.markdown:
                    self.out.append("\n```")
            self._break(blank=True)
        elif tag in ("strong", "b"):
            self._mark("**")
        elif tag in ("em", "i"):
            self._mark("*")
        elif tag == "code" and not self.pre:
            self._mark("`")
        elif tag == "a":
            href = self.links.pop() if self.links else None
            if href:
                self._mark(f"]({href})")
            if href and not self.markdown:
                self.out.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if self.pre:
            self.out.append(data)
            return
        text = re.sub(r"\s+", " ", data)
        if self.markdown:
            text = _INLINE.sub(r"\\\1", text)
            current = self._text()
            if current == "" or current.endswith("\n"):
                text = text.lstrip()
                text = _guard(text)
        self.out.append(text)

    def result(self) -> str:
        text = re.sub(f"[ {_BR}]+(?=\n|$)", "", self._text())  # a break before a break is none
        text = re.sub(f" *{_BR} *{_BR}[ {_BR}]*", "\n\n", text)  # <br><br> parts paragraphs
        text = text.replace(_BR, "\\\n" if self.markdown else "\n")
        # spaces left at line ends and runs of blank lines are layout, not meaning
        lines = [line.rstrip(" ") if not line.endswith("\\") else line for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_markdown(html: str) -> str:
    """HTML as safe Markdown: structure and emphasis kept, tags, scripts and styles gone."""
    reader = _Reader(markdown=True)
    reader.feed(html.replace(_BR, ""))
    reader.close()
    return reader.result()


def html_to_text(html: str) -> str:
    """HTML as the plain text a reader would see."""
    reader = _Reader(markdown=False)
    reader.feed(html.replace(_BR, ""))
    reader.close()
    return reader.result()


def convert(text: str, source: SourceFormat, target: Format) -> str:
    """One text moved from the format Moodle gave it to the format the question keeps."""
    if source == "html":
        return html_to_markdown(text) if target == "markdown" else html_to_text(text)
    if target == "markdown" and source in ("plain", "moodle"):
        return escape_markdown(text)
    return text  # markdown kept as it is; plain and moodle are both plain text to a reader


def target_format(stem: SourceFormat, others: list[SourceFormat]) -> Format:
    """The one format a question keeps: Markdown once any of its texts has structure."""
    if stem in ("markdown", "html") or any(f in ("markdown", "html") for f in others):
        return "markdown"
    return "plain" if stem == "plain" else "moodle"


def visible_text(text: str, source: SourceFormat) -> str:
    """What a reader sees, on one line: for comparing texts across formats and parsers."""
    if source == "markdown":
        shown = html_to_text(_MD.render(text))
    elif source == "html":
        shown = html_to_text(text)
    else:
        shown = text
    return re.sub(r"\s+", " ", shown).strip()
