"""The cohort dashboard's Scenarios tab (trainers only): how the cohort chose at each decision
point of a module, the paths it took as a Sankey diagram, and the choices that go with low quiz
scores. All of it counts learners; any group under 5 is hidden (DESIGN.md, Stakes)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from course.content.current import catalogue
from course.services import scenario_analytics
from course.services.scenario_analytics import ChoiceScores, Paths, PointShares
from course.ui import session, tables, view
from course.ui.screens.cohort_format import (
    FEW,
    GRADE_HEX,
    NONE,
    Shown,
    chart_text,
    learners,
    percent,
    primary,
    short,
    show_chart,
    wrapped,
)

OTHER_GREY = "#9aa0a6"


def scenarios_tab(cohort: Shown) -> None:
    modules = {m.id: m.title for m in catalogue().track_modules(cohort.track)}
    view.say(
        "Scenario choices are private: here they are only totals of learners, and a decision "
        "point or a path taken by fewer than 5 learners is hidden, its count included."
    )
    chosen = st.selectbox(
        "Module", list(modules), format_func=lambda m: modules[m], key="scenario-module"
    )
    actor = session.actor()
    shares = scenario_analytics.decision_shares(actor, cohort.cohort_id, chosen)
    paths = scenario_analytics.paths(actor, cohort.cohort_id, chosen)
    scores = scenario_analytics.choices_and_scores(actor, cohort.cohort_id, chosen)
    view.subheading("Paths through the module")
    _sankey(paths)
    view.subheading("Choices at each decision point")
    _points(shares)
    view.subheading("Choices that go with low quiz scores")
    _low_scores(scores)


def _sankey(paths: Paths) -> None:
    if paths.learners is None:
        view.say(f"{FEW.capitalize()} made choices in this module, so its paths are hidden.")
        return
    index = {n.id: i for i, n in enumerate(paths.nodes)}
    names = {n.id: n.label for n in paths.nodes}
    links = [link for link in paths.links if link.source in index and link.target in index]
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [chart_text(short(n.label, 40)) for n in paths.nodes],
                "pad": 18,
                "thickness": 14,
                "color": [
                    OTHER_GREY if n.id == scenario_analytics.OTHER else primary()
                    for n in paths.nodes
                ],
            },
            link={
                "source": [index[link.source] for link in links],
                "target": [index[link.target] for link in links],
                "value": [link.learners for link in links],
                "label": [chart_text(short(link.label, 80)) for link in links],
                "color": [_faded(GRADE_HEX.get(link.grade or "", OTHER_GREY)) for link in links],
            },
        )
    )
    named = [link for link in links if link.choice_id is not None]
    busiest = max(named, key=lambda link: link.learners) if named else None
    summary = f"{paths.learners:,} learners made choices in “{paths.module_title}”."
    if busiest is not None:
        summary += (
            f" The busiest step: {busiest.learners:,} went from “{names[busiest.source]}” to "
            f"“{names[busiest.target]}” by choosing “{short(busiest.label, 90)}”."
        )
    show_chart(
        figure,
        f"sankey-{paths.module_id}",
        f"Paths through “{paths.module_title}”, in learners",
        summary + " Links are coloured by the choice's grade; the table gives every link.",
        height=460,
    )
    with st.expander("Every link as a table"):
        tables.table(
            {
                "From": [names[link.source] for link in links],
                "Choice": [link.label for link in links],
                "Grade": [view.GRADE_WORDS.get(link.grade or "", NONE) for link in links],
                "To": [names[link.target] for link in links],
                "Learners": [f"{link.learners:,}" for link in links],
            },
            f"Paths through {paths.module_title}",
        )


def _faded(colour: str) -> str:
    """A link's colour, light enough for the nodes to stand out."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, 0.45)"


def _points(shares: list[PointShares]) -> None:
    if not shares:
        view.say("This module has no decision points yet.")
        return
    hidden = [p for p in shares if p.choices is None]
    with st.grid(2, min_column_width=380, gap="medium"):
        for point in shares:
            if point.choices is None:
                continue
            with st.container(border=True):
                _point(point)
    if hidden:
        view.say(
            f"{len(hidden)} decision point{'s were' if len(hidden) > 1 else ' was'} reached by "
            f"{FEW} and {'are' if len(hidden) > 1 else 'is'} not shown: "
            + "; ".join(p.title for p in hidden)
            + "."
        )


def _point(point: PointShares) -> None:
    choices = point.choices or ()
    labels = [
        f"{wrapped(c.text, 30, 2)}<br>({view.GRADE_WORDS.get(c.grade, c.grade)})" for c in choices
    ]
    # graph objects, not plotly express: express builds a data frame per chart (about 50 ms
    # each, a chart per decision point), the same bars take 2 ms this way
    words = [view.GRADE_WORDS.get(c.grade, c.grade) for c in choices]
    colours = {view.GRADE_WORDS[g]: h for g, h in GRADE_HEX.items()}
    figure = go.Figure()
    for word in dict.fromkeys(words):  # a trace per grade, as express makes them
        mine = [n for n, w in enumerate(words) if w == word]
        figure.add_bar(
            x=[choices[n].share * 100 for n in mine],
            y=[labels[n] for n in mine],
            orientation="h",
            name=word,
            marker_color=colours.get(word),
            hovertemplate="%{y}<br>%{x:.0f}% of learners<extra></extra>",
        )
    # the choices top to bottom in the order given (a category axis counts from the bottom)
    # one layout update: each update_* call re-validates the figure (about 1 ms a call)
    figure.update_layout(
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1]},
        xaxis={"title": {"text": "Learners (%)"}, "range": [0, 100]},
        showlegend=False,
    )
    top = max(choices, key=lambda c: c.share)
    show_chart(
        figure,
        f"point-{point.module_id}-{point.situation_id}",
        f"{point.title} · {learners(point.learners)}",
        f"Most chose “{short(top.text, 90)}” ({percent(top.share)}, graded "
        f"{view.GRADE_WORDS.get(top.grade, top.grade).lower()}).",
        height=110 + 64 * len(choices),
    )
    with st.expander("The choices in full"):
        tables.table(
            {
                "Choice": [c.text for c in choices],
                "Grade": [view.GRADE_WORDS.get(c.grade, c.grade) for c in choices],
                "Learners": [f"{c.learners:,}" for c in choices],
                "Share": [percent(c.share) for c in choices],
            },
            f"Choices at {point.title}",
        )


def _low_scores(scores: ChoiceScores) -> None:
    if scores.baseline is None:
        view.say(f"{FEW.capitalize()} have both a quiz score and choices here.")
        return
    view.say(
        f"A learner's quiz score is the mean of their best score on each graded quiz they have "
        f"finished. Across the {scores.learners:,} learners with one, the mean is "
        f"{percent(scores.baseline)}. A choice made by {FEW} is left out. This shows which "
        "choices go together with low scores, not that one causes the other."
    )
    shown = scores.choices[:15]
    if not shown:
        view.say("No choice in this module was made by 5 learners or more with a quiz score.")
        return
    tables.table(
        {
            "Decision point": [c.situation_title for c in shown],
            "Choice": [c.text for c in shown],
            "Grade": [view.GRADE_WORDS.get(c.grade, c.grade) for c in shown],
            "Learners": [f"{c.learners:,}" for c in shown],
            "Their mean quiz score": [percent(c.mean_score) for c in shown],
            "Against the mean": [
                NONE if c.difference is None else f"{c.difference * 100:+.0f} points" for c in shown
            ],
        },
        f"Choices by their learners' mean quiz score, lowest first (first {len(shown)} of "
        f"{len(scores.choices)})"
        if len(shown) < len(scores.choices)
        else "Choices by their learners' mean quiz score, lowest first",
    )
