"""Safe Markdown: raw HTML off and unsafe links refused, for author and learner text alike."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt

# js-default: CommonMark with raw HTML disabled and javascript:/vbscript:/data: links refused.
_MD = MarkdownIt("js-default", {"linkify": False, "typographer": True}).enable("table")
# Headings need only the block structure; inline parsing (emphasis, links) is skipped because
# some inputs (a long run of '[') make it take minutes, and the loader must stay quick.
_BLOCKS = MarkdownIt("js-default", {"linkify": False, "typographer": True}).enable("table")
_BLOCKS.disable("inline")


@functools.lru_cache(maxsize=4096)
def to_html(text: str) -> str:
    """Render author Markdown (content files only: the memo is shared by every session).

    Any HTML the author typed appears as text."""
    return str(_MD.render(text))


def render(text: str) -> str:
    """Render Markdown that may carry a learner's own data (review lines): no shared memo."""
    return str(_MD.render(text))


def heading_lines(text: str, level: int = 2) -> list[tuple[int, str]]:
    """The 0-based line and text of each heading of `level` in the Markdown text."""
    tokens = _BLOCKS.parse(text)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == f"h{level}" and token.map:
            found.append((token.map[0], tokens[index + 1].content))
    return found
