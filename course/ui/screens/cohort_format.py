"""Shared pieces of the cohort dashboard: numbers in words, hidden groups, paged lists and
charts (plotly, the theme's colours, no toolbar, a title, and a sentence beside each that says
what it shows, for screen readers and for anyone in a hurry)."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from typing import Any

import streamlit as st

from course.services.reports import MIN_GROUP
from course.ui import view

FEW = f"fewer than {MIN_GROUP} learners"
NONE = "—"
CHART_CONFIG = {"displayModeBar": False}
# Streamlit's own green, blue, orange and red (its badges use them): a grade's colour is a
# second signal only, every label also says the grade's word
GRADE_HEX = {
    "best": "#21c354",
    "acceptable": "#1c83e1",
    "risky": "#ff8700",
    "breach": "#ff4b4b",
}
FALLBACK_PRIMARY = "#1d4e89"


@dataclass(frozen=True)
class Shown:
    """The cohort a tab draws."""

    cohort_id: int
    name: str
    track: str
    trains: bool  # sees learners one by one (trainers, administrators); else totals only


def primary() -> str:
    value = st.get_option("theme.primaryColor")
    return value if isinstance(value, str) and value else FALLBACK_PRIMARY


def percent(value: float | None, digits: int = 0) -> str:
    """A share (0..1) as a percentage; a dash when hidden or unknown."""
    return NONE if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 0) -> str:
    return NONE if value is None else f"{value:,.{digits}f}"


def learners(value: int | None) -> str:
    """A count of learners, or the words that say it is hidden (never a number under 5)."""
    if value is None:
        return FEW
    return f"{value:,} learner{'' if value == 1 else 's'}"


def count(value: int | None) -> str:
    """A bare count for a table cell; hidden groups say so."""
    return FEW if value is None else f"{value:,}"


def minutes(value: float | None) -> str:
    return NONE if value is None else f"{value:.0f} min"


def short(text: str, width: int = 70) -> str:
    """Author text (Markdown) on one line, cut to `width` characters."""
    return textwrap.shorten(" ".join(text.split()), width, placeholder="…")


def chart_text(text: str) -> str:
    """Text for a plotly label: plotly reads tags such as <a> and <b> in it, so escape them
    (plotly turns &amp;, &lt; and &gt; back into the characters, but not &quot;)."""
    return html.escape(text, quote=False)


def wrapped(text: str, width: int = 26, lines: int = 3) -> str:
    """A long label for a chart's axis, on up to `lines` short lines, so that the bars keep
    most of a phone's width."""
    cut = textwrap.wrap(short(text, width * lines), width) or [""]
    return "<br>".join(chart_text(line) for line in cut)


def show_chart(
    figure: Any, key: str, title: str, summary: str, *, height: int = 320, top: int = 48
) -> None:
    """A chart with its title, the theme's colours, no toolbar, and `summary` beside it as
    plain text (the chart's accessible name is its title; the sentence carries the numbers)."""
    lines = textwrap.wrap(title, 40) or [""]  # plotly never wraps a title: a phone cuts it
    legend = len(figure.data) > 1 and figure.layout.showlegend is not False
    if legend and figure.layout.legend.orientation is None:
        # across the top, under the title: a legend at the side takes a phone's width
        figure.update_layout(
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left"}
        )
        top += 24
    figure.update_layout(
        title={
            "text": "<br>".join(chart_text(line) for line in lines),
            "x": 0,
            "xanchor": "left",
            # at the very top, so that a legend under it never covers it
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 10},
        },
        margin={"l": 8, "r": 8, "t": top + 20 * (len(lines) - 1), "b": 8},
        height=height + 20 * (len(lines) - 1),
        legend_title_text="",
    )
    st.plotly_chart(figure, key=key, config=CHART_CONFIG, alt=title)
    view.say(summary)


def page_offset(key: str, per_page: int) -> int:
    """Where a paged list starts: its page number lives in st.session_state[key], set by the
    st.pagination widget `pager` draws after the list (the page is needed before the list is
    asked for, and the count of pages only after)."""
    page = st.session_state.get(key, 1)
    return (page - 1) * per_page if isinstance(page, int) and page >= 1 else 0


def pager(total: int, per_page: int, key: str) -> None:
    """The page buttons under a list of `total` rows, when it needs more than one page."""
    pages = max(1, -(-total // per_page))
    if pages < 2:
        return
    page = st.session_state.get(key, 1)
    if not (isinstance(page, int) and 1 <= page <= pages):
        st.session_state[key] = 1  # the list shrank under the page asked for
    with st.container(horizontal_alignment="right"):
        st.pagination(pages, key=key)


def shown_of(offset: int, shown: int, total: int, what: str) -> str:
    """'Learners 26–50 of 5,000' (or all of them)."""
    if shown >= total:
        return f"All {total:,} {what}"
    return f"{what.capitalize()} {offset + 1:,}–{offset + shown:,} of {total:,}"
