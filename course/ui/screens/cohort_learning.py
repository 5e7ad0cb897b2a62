"""Cohort page, Mastery tab: learning over time from the anchor check. A probationer cohort's
learning gain (before and after), a refresher cohort's retention (score by years since
training). Totals only; a figure for fewer than 5 learners is not shown."""

from __future__ import annotations

import plotly.graph_objects as go

from course.services import anchors
from course.services.reports import MIN_GROUP
from course.ui import session, tables, view
from course.ui.screens.cohort_format import FEW, Shown, count, percent, primary, show_chart


def learning_section(cohort: Shown) -> None:
    found = anchors.learning_over_time(session.actor(), cohort.cohort_id)
    if found.anchor is None:
        return
    view.subheading("Learning over time")
    if found.measures == "gain":
        _gain(found)
    else:
        _retention(found)


def _gain(found: anchors.LearningOverTime) -> None:
    view.say(
        f"The anchor check (“{found.anchor}”) asks the same six questions before the first "
        "module and again after the final assessment. Learners who have taken it both times "
        "count here."
    )
    gain = found.gain
    if gain is None:
        view.say(f"Not shown yet: {FEW} have taken it before and after.")
        return
    figure = go.Figure()
    figure.add_bar(
        x=["Before the course", "After the course"],
        y=[gain.pre * 100, gain.post * 100],
        marker_color=primary(),
        text=[percent(gain.pre), percent(gain.post)],
        textposition="outside",
        hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
    )
    figure.update_layout(yaxis_title_text="Mean anchor score (%)", showlegend=False)
    figure.update_yaxes(range=[0, 110])
    normalised = (
        f"; the normalised gain is {percent(gain.normalised)} of what was left to learn"
        if gain.normalised is not None
        else ""
    )
    show_chart(
        figure,
        "anchor-gain",
        "Anchor score before and after the course",
        f"{gain.learners} learners: {percent(gain.pre)} before, {percent(gain.post)} after"
        f"{normalised}.",
    )


def _retention(found: anchors.LearningOverTime) -> None:
    view.say(
        f"Each officer's latest score on the anchor check (“{found.anchor}”), by the time since "
        "they completed the "
        f"probationer course. A band shows once {MIN_GROUP} officers or more are in it."
    )
    if not found.officers_shown:
        view.say(
            f"Not shown yet: no band of time since training holds {MIN_GROUP} officers or more "
            "with a "
            "training date on record and a score."
        )
        return
    shown = [b for b in found.bands if b.mean is not None]
    figure = go.Figure()
    figure.add_bar(
        x=[b.label for b in found.bands],
        y=[None if b.mean is None else b.mean * 100 for b in found.bands],
        marker_color=primary(),
        text=[percent(b.mean) if b.mean is not None else "" for b in found.bands],
        textposition="outside",
        hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
    )
    figure.update_layout(
        xaxis_title_text="Time since training", yaxis_title_text="Mean anchor score (%)"
    )
    figure.update_xaxes(type="category")
    figure.update_yaxes(range=[0, 110])
    show_chart(
        figure,
        "anchor-retention",
        "Anchor score by time since training",
        "; ".join(f"{b.label}: {percent(b.mean)} ({b.officers} officers)" for b in shown) + ".",
    )
    tables.table(
        {
            "Time since training": [b.label for b in found.bands],
            "Officers": [count(b.officers) for b in found.bands],
            "Mean anchor score": [percent(b.mean) for b in found.bands],
        },
        "Anchor score by time since training",
    )
