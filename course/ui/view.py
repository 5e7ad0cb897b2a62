"""Small shared pieces of the interface: header, grade words, times, rule citations, Markdown."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from course import config
from course.content.current import catalogue
from course.content.markdown import to_html

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


def header() -> None:
    st.caption(f"{config.ACADEMY_NAME} · {config.COURSE_TITLE}")


def markdown(text: str) -> None:
    """Author or learner Markdown, rendered with raw HTML off, shown through st.html."""
    st.html(f'<div class="sns-md">{to_html(text)}</div>')


def grade_badge(grade: str) -> None:
    st.badge(GRADE_WORDS[grade], color=GRADE_COLOURS[grade])  # type: ignore[arg-type]


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(config.timezone()).strftime("%d %b %Y, %H:%M")


def rule_lines(rule_ids: tuple[str, ...]) -> str:
    """Rule citations as Markdown bullets, unverified ones marked as such."""
    rules = catalogue().rules
    lines = []
    for rule_id in rule_ids:
        rule = rules[rule_id]
        note = (
            ""
            if rule.status == "verified"
            else f" *(status: {rule.status}; not cited as rule text)*"
        )
        lines.append(f"- **{rule.title}** — {rule.instrument}{note}")
    return "\n".join(lines)


def module_page() -> str:
    """The module player, as st.switch_page names it (relative to the router script)."""
    return "pages/module.py"


def quiz_page() -> str:
    """The quiz page, as st.switch_page names it."""
    return "pages/quiz.py"
