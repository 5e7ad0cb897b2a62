"""Small shared pieces of the interface: titles, headings, safe text and Markdown, grade words,
times and rule citations."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime

import streamlit as st

from course import config
from course.content.markdown import to_html
from course.services.versions import CitedRule

GRADE_WORDS = {
    "best": "Best",
    "acceptable": "Acceptable",
    "risky": "Risky",
    "breach": "Breach",
}
# colour is a second signal only: every badge also says its word
GRADE_COLOURS = {
    "best": "green",
    "acceptable": "blue",
    "risky": "orange",
    "breach": "red",
}
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=\"'])")


def header(who: str = "") -> None:
    """The academy and course on every page, and who is signed in (as text)."""
    line = f"{config.ACADEMY_NAME} · {config.COURSE_TITLE}" + (f" · {who}" if who else "")
    st.html(f'<p class="sns-header">{html.escape(line)}</p>')


def page_title(name: str) -> None:
    """The browser tab's title for this page, so tabs and history can tell pages apart."""
    st.set_page_config(page_title=f"{name} · {config.COURSE_TITLE}")


def title(text: str) -> None:
    st.title(text, anchor=False)


def heading(text: str) -> None:
    """A section of a page (h2)."""
    st.header(text, anchor=False)


def subheading(text: str) -> None:
    """A part of a section (h3)."""
    st.subheader(text, anchor=False)


def plain(text: str) -> str:
    """Text a person typed (a name, a cohort), made safe for Streamlit's Markdown: every mark
    that Markdown, Streamlit's directives or LaTeX would read is escaped, so it shows as typed."""
    return _PUNCTUATION.sub(r"\\\1", text)


def say(text: str) -> None:
    """A line of plain text (never interpreted), e.g. with a person's name in it."""
    st.html(f'<p class="sns-text">{html.escape(text)}</p>')


def markdown(text: str) -> None:
    """Author Markdown (content files), rendered with raw HTML off, shown through st.html."""
    st.html(f'<div class="sns-md">{to_html(text)}</div>')


def card(title: str, meta: str, text: str) -> None:
    """A titled item of a list (a module on the course page) as one block: title, a line of
    facts, and a short text, all shown as typed."""
    st.html(
        f'<div class="sns-card"><h3>{html.escape(title)}</h3>'
        f'<p class="sns-meta">{html.escape(meta)}</p><p>{html.escape(text)}</p></div>'
    )


def grade_badge(grade: str) -> None:
    st.badge(f"Grade: {GRADE_WORDS[grade]}", color=GRADE_COLOURS[grade])  # type: ignore[arg-type]


def local_date(moment: datetime) -> str:
    return moment.astimezone(config.timezone()).strftime("%d %b %Y")


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(config.timezone()).strftime("%d %b %Y, %H:%M")


def rule_lines(rules: tuple[CitedRule, ...]) -> str:
    """Rule citations as Markdown bullets; anything not a verified rule in force says so."""
    notes = {
        "verified": "",
        "secondary": " *(secondary source: not cited as rule text)*",
        "unverified": " *(unverified: not cited as rule text)*",
        "superseded": " *(since superseded)*",
        "removed": "",
    }
    lines = []
    for rule in rules:
        left = "" if rule.in_library else " *(no longer in the course's rules library)*"
        # a foreign code or another government's rule explains, but does not decide, the case
        compare = (
            " *(for comparison: it does not bind this officer)*" if rule.binding is False else ""
        )
        lines.append(
            f"- **{rule.title}** — {rule.instrument}{notes.get(rule.status, '')}{compare}{left}"
        )
    return "\n".join(lines)


def listing(parts: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
