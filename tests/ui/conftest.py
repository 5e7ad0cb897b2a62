"""AppTest helpers: run a page as a given person against a migrated SQLite file."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import Academy, make_academy

UI = Path(__file__).resolve().parents[2] / "course" / "ui"
PAGES = UI / "app_pages"


@pytest.fixture
def school(sqlite_database: str) -> Academy:
    return make_academy()


def page_as(
    academy: Academy | None, username: str | None, page: str, direct: bool = False, **query: str
) -> AppTest:
    """A page run by `username` (None: nobody signed in).

    Through the router (as a browser would reach it) unless `direct`: a page the person's
    navigation does not offer is run directly, to prove the page itself refuses them.
    """
    path = PAGES / f"{page}.py" if direct else UI / "router.py"
    at = AppTest.from_file(str(path), default_timeout=30)
    if academy is not None and username is not None:
        at.session_state["session_id"] = academy.session_id(username)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if not direct and page != "router":
        at.switch_page(f"app_pages/{page}.py").run()
    return at


class _TableReader(HTMLParser):
    """Reads the course's HTML tables back: caption, column headings, and cells by column."""

    def __init__(self) -> None:
        super().__init__()
        self.caption = ""
        self.rows: list[list[str]] = []
        self._where: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        if tag in ("caption", "th", "td"):
            self._where, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._where:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag != self._where:
            return
        if tag == "caption":
            self.caption = self._text
        else:
            self.rows[-1].append(self._text)
        self._where = None


def tables(at: AppTest) -> dict[str, dict[str, list[str]]]:
    """Every table on the page, by caption: column heading -> cells (as text)."""
    found = {}
    for element in at.get("html"):
        body = element.proto.body
        if 'class="sns-table"' not in body:
            continue
        reader = _TableReader()
        reader.feed(body)
        heads, *rows = reader.rows
        found[reader.caption] = {h: [r[i] for r in rows] for i, h in enumerate(heads)}
    return found


def said(at: AppTest) -> list[str]:
    """Lines of plain text the page showed (the header, a name, a status), unescaped."""
    lines = []
    for element in at.get("html"):
        for kind in ("sns-text", "sns-header"):
            opening = f'<p class="{kind}">'
            if element.proto.body.startswith(opening):
                text = element.proto.body.removeprefix(opening).removesuffix("</p>")
                lines += unescape(text).split(" · ") if kind == "sns-header" else [unescape(text)]
    return lines


def shown_html(at: AppTest) -> str:
    """All the HTML the page sent (Markdown rendered by the course, tables, plain lines)."""
    return "\n".join(e.proto.body for e in at.get("html"))
