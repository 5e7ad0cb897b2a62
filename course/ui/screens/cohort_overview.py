"""The cohort dashboard's tabs of totals: scores, progress, mastery, comparison, and the CSV
exports. Each tab asks its services once per rerun, and only while it is open."""

from __future__ import annotations

from collections.abc import Callable

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from course.errors import CourseError
from course.learning.mastery import HALF_LIFE_WEEKS
from course.services import dashboard, exports
from course.services.access import Actor
from course.services.dashboard import GroupSummary, MasteryMatrix, QuizScores
from course.ui import session, tables, view
from course.ui.screens import cohort_learning
from course.ui.screens.cohort_format import (
    FEW,
    NONE,
    Shown,
    chart_text,
    count,
    minutes,
    page_offset,
    pager,
    percent,
    primary,
    show_chart,
    shown_of,
    wrapped,
)

HEATMAP_PER_PAGE = 25


# ---- scores ----


def scores_tab(cohort: Shown) -> None:
    found = dashboard.scores(session.actor(), cohort.cohort_id)
    view.subheading("Score distribution per quiz")
    view.say(
        "Each learner counts once per quiz, with the grade the quiz keeps (the best of their "
        "finished attempts for every quiz of this course). The dashed line is the pass mark."
    )
    with st.grid(2, min_column_width=360, gap="medium"):
        for quiz in found:
            with st.container(border=True):
                _histogram(quiz)
    view.subheading("Attempts per learner")
    _attempts(found)


def _histogram(quiz: QuizScores) -> None:
    scores = quiz.scores
    if scores is None:
        view.subheading(quiz.title)
        view.say(f"{FEW.capitalize()} have a grade on this quiz, so its scores are hidden.")
        return
    passing = [b.low >= quiz.pass_mark - 1e-9 for b in scores.bins]
    # graph objects, not plotly express: express builds a data frame per chart (about 50 ms
    # each, four charts a page), the same bars take 2 ms this way
    figure = go.Figure()
    palette = px.colors.qualitative.Plotly  # the colours express gives the two groups
    for name, colour, above in (
        ("Below the pass mark", palette[0], False),
        ("At or above the pass mark", palette[1], True),
    ):
        bins = [b for b, p in zip(scores.bins, passing, strict=True) if p == above]
        if bins:
            figure.add_bar(
                x=[(b.low + b.high) * 50 for b in bins],
                y=[b.learners for b in bins],
                name=name,
                marker_color=colour,
                width=9.6,
                customdata=[f"{b.low:.0%}–{b.high:.0%}: {b.learners}" for b in bins],
                hovertemplate="%{customdata} learners<extra></extra>",
            )
    # one layout update: each update_* call re-validates the figure (about 1 ms a call)
    figure.update_layout(
        xaxis={"title": {"text": "Grade (%)"}, "range": [0, 100], "dtick": 10},
        yaxis={"title": {"text": "Learners"}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
    )
    figure.add_vline(
        x=quiz.pass_mark * 100,
        line_dash="dash",
        line_color=primary(),
        annotation_text=f"Pass mark {percent(quiz.pass_mark)}",
    )
    show_chart(
        figure,
        f"scores-{quiz.quiz_id}",
        f"{quiz.title}: grades of {scores.learners} learners",
        f"{quiz.title}: {scores.passed:,} of {scores.learners:,} learners with a grade passed "
        f"(pass mark {percent(quiz.pass_mark)}). Median {percent(scores.median)}, middle half "
        f"{percent(scores.q1)} to {percent(scores.q3)}, lowest {percent(scores.minimum)}, "
        f"highest {percent(scores.maximum)}.",
    )


def _attempts(found: tuple[QuizScores, ...]) -> None:
    counted = [q for q in found if q.attempts is not None]
    if not counted:
        view.say("Fewer than 5 learners are in view, so attempts are not counted.")
        return
    most = max(len(q.attempts or ()) for q in counted)
    rows: dict[str, list[str]] = {"Quiz": [q.title for q in counted]}
    for n in range(most):
        rows[f"{n} finished"] = [
            f"{(q.attempts or ())[n]:,}" if n < len(q.attempts or ()) else "0" for q in counted
        ]
    palette = px.colors.qualitative.Plotly
    figure = go.Figure()  # graph objects: see _histogram
    for n, quiz in enumerate(counted):
        figure.add_bar(
            x=[f"{k}" for k in range(len(quiz.attempts or ()))],
            y=list(quiz.attempts or ()),
            name=quiz.title,
            marker_color=palette[n % len(palette)],
            hovertemplate="%{fullData.name}<br>%{x} finished: %{y} learners<extra></extra>",
        )
    figure.update_layout(
        barmode="group",
        # counts of attempts are categories: a number axis would tick at 0.5, 1.5 ...
        xaxis={"title": {"text": "Finished attempts"}, "type": "category"},
        yaxis_title_text="Learners",
    )
    none = [f"{q.title} {(q.attempts or (0,))[0]:,}" for q in counted]
    show_chart(
        figure,
        "attempts",
        "Learners by number of finished attempts",
        f"Learners with no finished attempt yet: {view.listing(none)}. "
        "The table gives every count.",
        height=300,
    )
    tables.table(rows, "Learners by number of finished attempts, per quiz")


# ---- progress ----


def progress_tab(cohort: Shown) -> None:
    found = dashboard.progress(session.actor(), cohort.cohort_id)
    view.subheading("Module completion funnel")
    if found.learners is None:
        view.say("Fewer than 5 learners are in view, so progress is not counted.")
    else:
        modules = found.modules
        names = [wrapped(m.title, 30, 2) for m in modules]
        palette = px.colors.qualitative.Plotly
        figure = go.Figure()  # graph objects: see _histogram
        for n, (name, counts) in enumerate(
            (
                ("Started", [m.started or 0 for m in modules]),
                ("Finished", [m.finished or 0 for m in modules]),
            )
        ):
            figure.add_bar(
                x=counts,
                y=names,
                orientation="h",
                name=name,
                marker_color=palette[n],
                hovertemplate="%{y}<br>%{fullData.name}: %{x} learners<extra></extra>",
            )
        figure.update_layout(barmode="group", xaxis_title_text="Learners")
        figure.update_yaxes(autorange="reversed")
        figure.update_xaxes(range=[0, found.learners])
        first, last = modules[0], modules[-1]
        show_chart(
            figure,
            "funnel",
            f"Learners who started and finished each module, of {found.learners}",
            f"Of {found.learners:,} learners, {first.started:,} started the first module and "
            f"{first.finished:,} finished it; {last.finished:,} finished the last, "
            f"“{last.title}”.",
            height=120 + 52 * len(modules),
        )
    view.subheading("Time spent")
    view.say(
        "Median whole minutes from start to finish: a module's first play, a quiz's first "
        "attempt, counted once 5 learners or more have finished."
    )
    tables.table(
        {
            "Module": [m.title for m in found.modules],
            "Started": [count(m.started) for m in found.modules],
            "Finished": [count(m.finished) for m in found.modules],
            "Median time": [minutes(m.median_minutes) for m in found.modules],
        },
        "Modules in track order",
    )
    tables.table(
        {
            "Quiz": [q.title for q in found.quizzes],
            "Median time": [minutes(q.median_minutes) for q in found.quizzes],
        },
        "Quizzes: median time of a first attempt",
    )


# ---- mastery ----


def mastery_tab(cohort: Shown) -> None:
    found = dashboard.mastery(session.actor(), cohort.cohort_id)
    view.subheading("The cohort's mastery over time")
    view.say(
        "Each week's point is a decaying average of the cohort's item scores on a competency: "
        f"an answer counts half as much after {HALF_LIFE_WEEKS:g} weeks, a quarter after "
        f"{2 * HALF_LIFE_WEEKS:g}. A week shows once 5 learners or more have answered."
    )
    known = [t for t in found.competencies if t.mean is not None]
    if known:
        palette = px.colors.qualitative.Plotly
        figure = go.Figure()  # graph objects: see _histogram
        for n, trend in enumerate(t for t in found.competencies if t.weeks):
            figure.add_scatter(
                x=[point.week_start for point in trend.weeks],
                y=[None if p.mastery is None else p.mastery * 100 for p in trend.weeks],
                mode="lines+markers",
                name=trend.title,
                line_color=palette[n % len(palette)],
                hovertemplate="%{fullData.name}<br>%{x}: %{y:.0f}%<extra></extra>",
            )
        figure.update_layout(xaxis_title_text="Week beginning", yaxis_title_text="Mastery (%)")
        figure.update_yaxes(range=[0, 100])
        latest = [
            f"{t.title} {percent(_last(t.weeks))}"
            for t in found.competencies
            if _last(t.weeks) is not None
        ]
        show_chart(
            figure,
            "mastery-trend",
            "Mastery per competency, week by week",
            f"Latest week: {view.listing(latest) or 'no competency has 5 learners yet'}.",
        )
    tables.table(
        {
            "Competency": [t.title for t in found.competencies],
            "Mean item score": [percent(t.mean) for t in found.competencies],
            "Learners": [count(t.learners) for t in found.competencies],
        },
        "Mean item score per competency, over every answer",
    )
    view.subheading("Learner by competency")
    _heatmap(cohort)
    cohort_learning.learning_section(cohort)


def _last(weeks: tuple[dashboard.WeekPoint, ...]) -> float | None:
    shown = [w.mastery for w in weeks if w.mastery is not None]
    return shown[-1] if shown else None


@st.fragment
def _heatmap(cohort: Shown) -> None:
    """One page of learners by competency (trainers only); paging reruns only this part."""
    if not cohort.trains:
        view.say(dashboard.TOTALS_ONLY)
        return
    key = f"heatmap-page-{cohort.cohort_id}"
    offset = page_offset(key, HEATMAP_PER_PAGE)
    try:
        matrix = dashboard.mastery_matrix(
            session.actor(), cohort.cohort_id, offset=offset, limit=HEATMAP_PER_PAGE
        )
    except CourseError as problem:  # a fragment's rerun: refused since the page was drawn
        st.error(str(problem))
        return
    page = matrix.learners
    if not page.items:
        view.say("No learner is enrolled in the sections you train.")
        return
    _draw_heatmap(matrix)
    pager(page.total, HEATMAP_PER_PAGE, key)


def _draw_heatmap(matrix: MasteryMatrix) -> None:
    page = matrix.learners
    titles = list(matrix.competencies.values())
    rows = [f"{m.full_name} ({m.username})" for m in page.items]
    z = [
        [
            None if m.scores[c] is None else round((m.scores[c] or 0) * 100)
            for c in matrix.competencies
        ]
        for m in page.items
    ]
    # graph objects (see _histogram), laid out as express's imshow: first learner on top
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=titles,
            y=[chart_text(r) for r in rows],
            coloraxis="coloraxis",
            texttemplate="%{z}",
            hovertemplate="%{y}<br>%{x}: %{z}%<extra></extra>",
        )
    )
    figure.update_xaxes(side="top")
    figure.update_yaxes(autorange="reversed")
    # the colour key under the grid: at the side it would take a phone's width from the names
    figure.update_layout(
        coloraxis={
            "cmin": 0,
            "cmax": 100,
            "colorscale": px.colors.sequential.Plasma,
            "colorbar": {
                "orientation": "h",
                "yanchor": "top",
                "y": -0.02,
                "thickness": 10,
                "title": {"text": "Mean item score (%)", "side": "top"},
            },
        }
    )
    lows = sorted(
        (score, row, title)
        for row, m in zip(rows, page.items, strict=True)
        for title, score in zip(titles, (m.scores[c] for c in matrix.competencies), strict=True)
        if score is not None
    )
    lowest = f" Lowest: {lows[0][1]}, {lows[0][2]} {percent(lows[0][0])}." if lows else ""
    what = shown_of(page.offset, len(page.items), page.total, "learners")
    show_chart(
        figure,
        "heatmap",
        "Mean item score per learner and competency",
        f"{what}, by name. Blank: no answers yet.{lowest} The table under the chart gives "
        "the same numbers.",
        height=210 + 30 * len(page.items),
        top=84,  # the competencies head the columns, under the title
    )
    with st.expander("The same as a table"):
        cells = {"Learner": rows}
        for competency, title in matrix.competencies.items():
            cells[title] = [percent(m.scores[competency]) for m in page.items]
        tables.table(cells, f"Mean item score per competency ({what.lower()})")


# ---- comparison ----


def compare_tab(cohort: Shown) -> None:
    found = dashboard.comparison(session.actor(), cohort.cohort_id)
    view.say(
        "Totals only. A group of fewer than 5 learners shows no number at all, so no one in it "
        "can be singled out."
    )
    view.subheading("Sections of this cohort")
    _groups(found.sections, found.quizzes, "Sections in view", by_section=True)
    shown = [g for g in found.sections if g.learners is not None]
    if len(shown) > 1:
        quizzes = [q for q in found.quizzes if any(g.mean_grade.get(q) is not None for g in shown)]
        palette = px.colors.qualitative.Plotly
        figure = go.Figure()  # graph objects: see _histogram
        for n, group in enumerate(shown):
            section = chart_text(group.section or dashboard.NO_SECTION)
            figure.add_bar(
                x=[chart_text(found.quizzes[q]) for q in quizzes],
                y=[(group.mean_grade.get(q) or 0) * 100 for q in quizzes],
                name=section,
                marker_color=palette[n % len(palette)],
                # the name by reference: a section's name is typed by a person, never a template
                hovertemplate="%{fullData.name}<br>%{x}: %{y:.0f}%<extra></extra>",
            )
        figure.update_layout(barmode="group", yaxis_title_text="Mean grade (%)")
        figure.update_yaxes(range=[0, 100])
        show_chart(
            figure,
            "compare-sections",
            "Mean grade per quiz, section by section",
            "The table above gives the same means.",
        )
    view.subheading("Cohorts you can see")
    _groups(found.cohorts, found.quizzes, "Cohorts (their sections in view, added up)")


def _groups(
    groups: tuple[GroupSummary, ...],
    quizzes: dict[str, str],
    caption: str,
    *,
    by_section: bool = False,
) -> None:
    if not groups:
        view.say("No learners are enrolled in the sections you can see.")
        return
    used = [q for q in quizzes if any(q in g.mean_grade for g in groups)]
    head = "Section" if by_section else "Cohort"
    cells = {
        head: [(g.section or dashboard.NO_SECTION) if by_section else g.cohort for g in groups],
        "Learners": [count(g.learners) for g in groups],
        "Module completion": [percent(g.completion) for g in groups],
        "Finished every module": [percent(g.completed_all) for g in groups],
    }
    for q in used:
        cells[f"Mean grade: {quizzes[q]}"] = [
            percent(g.mean_grade[q]) if q in g.mean_grade else NONE for g in groups
        ]
    tables.table(cells, caption)


# ---- exports ----


def export_tab(cohort: Shown) -> None:
    actor = session.actor()
    view.say(
        "CSV files of the learners in your sections, made when you press the button (each "
        "export is written to the audit log). Cells that a spreadsheet would read as a formula "
        "start with a quote; the files are UTF-8 with a byte-order mark, so Urdu names show as "
        "written."
    )
    cohort_id = cohort.cohort_id

    def made(make: Callable[[Actor, int], exports.Export]) -> Callable[[], bytes]:
        return lambda: make(actor, cohort_id).data  # made (and audited) only when pressed

    files = (
        ("Scores and mastery (CSV)", "scores", exports.scores_csv),
        ("Every finished attempt (CSV)", "attempts", exports.attempts_csv),
    )
    with st.container(horizontal=True, gap="medium"):
        for label, what, make in files:
            st.download_button(
                label,
                data=made(make),
                file_name=exports.file_name(cohort.name, what),
                mime="text/csv",
                icon=":material/download:",
                on_click="ignore",
                key=f"export-{what}",
            )
    view.say(
        "Scores: one row per learner, each quiz's grade, whether it passes, the finished "
        "attempts, and mastery per competency. Attempts: one row per finished attempt, with "
        "its times and score."
    )
