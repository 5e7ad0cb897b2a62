"""Trainer and viewer: module completion per learner, quiz grades, and how the cohort chose
(totals for groups of 5 or more only)."""

from __future__ import annotations

import textwrap
from datetime import datetime

import plotly.express as px
import streamlit as st

from course.errors import CourseError
from course.services import cohorts, reports
from course.services.reports import QuizResult
from course.ui import a11y, session, tables, view


def status(value: datetime | str | None) -> str:
    if value is None:
        return "Not started"
    if isinstance(value, str):
        return "In progress"
    return f"Completed {view.local_time(value)}"


def grade_cell(result: QuizResult) -> str:
    if result.grade is None:
        return "—"
    verdict = "pass" if result.grade.passed else "not yet"
    plural = "s" if result.attempts != 1 else ""
    return f"{result.grade.shown} {verdict} ({result.attempts} attempt{plural})"


def show() -> None:
    actor = session.actor()
    view.page_title("Cohort progress")
    view.title("Cohort progress")
    try:
        visible = cohorts.list_cohorts(actor)
    except CourseError as problem:
        st.error(str(problem))
        st.stop()
    if not visible:
        st.info("You are not assigned to any cohort as a trainer or viewer.")
        st.stop()
    chosen = st.selectbox("Cohort", visible, format_func=lambda c: f"{c.name} ({c.track})")
    try:
        table = reports.completion(actor, chosen.id)
        grades = reports.quiz_grades(actor, chosen.id)
    except CourseError as problem:
        st.error(str(problem))
        st.stop()
    scope = "all sections" if table.sections is None else ", ".join(table.sections) or "no sections"
    view.say(f"Showing {len(table.learners)} learners · {scope}")
    view.heading("Module completion")
    if not table.learners:
        st.info("No learners are enrolled in the sections you can see.")
    else:
        rows = {
            "Learner": [f"{r.full_name} ({r.username})" for r in table.learners],
            "Section": [r.section or "—" for r in table.learners],
        }
        for module_id, title in table.module_titles.items():
            rows[title] = [status(r.modules[module_id]) for r in table.learners]
        tables.table(rows, "Module completion per learner")
    view.heading("Quiz grades")
    if grades.learners and grades.quizzes:
        cells = {"Learner": [f"{r.full_name} ({r.username})" for r in grades.learners]}
        for quiz_id, title in grades.quizzes.items():
            cells[title] = [grade_cell(r.results[quiz_id]) for r in grades.learners]
        tables.table(cells, "Quiz grades per learner")
    else:
        st.info("No quiz grades to show.")
    view.heading("How the cohort chose")
    st.caption(
        f"Totals of learners per choice. Decision points reached by fewer than {reports.MIN_GROUP} "
        "learners are hidden, and so is how many reached them, so no one's choices can be singled "
        "out."
    )
    try:
        points = reports.choice_distribution(actor, chosen.id)
    except CourseError as problem:
        st.info(str(problem))
        points = []
    for module_title in dict.fromkeys(p.module_title for p in points):
        view.subheading(module_title)
        for point in (p for p in points if p.module_title == module_title):
            reached = (
                f"{point.learners} learners"
                if point.learners is not None
                else f"fewer than {reports.MIN_GROUP} learners"
            )
            with st.expander(f"{point.title} · {reached}"):
                if point.choices is None:
                    st.write("Hidden, so that no one's choices can be singled out.")
                    continue
                words = [view.GRADE_WORDS[c.grade] for c in point.choices]
                # choices are named by their words (learners saw them in orders of their own);
                # the bars carry the opening words and the grade, the table the full text
                short = [
                    f"{textwrap.shorten(c.text, 40, placeholder='…')} · {word}"
                    for c, word in zip(point.choices, words, strict=True)
                ]
                figure = px.bar(
                    x=[c.learners for c in point.choices],
                    y=short,
                    orientation="h",
                    labels={"x": "Learners", "y": ""},
                    height=80 + 40 * len(short),
                )
                figure.update_layout(
                    margin={"l": 0, "r": 0, "t": 10, "b": 0}, yaxis={"autorange": "reversed"}
                )
                st.plotly_chart(
                    figure,
                    key=f"chart-{point.module_id}-{point.situation_id}",
                    config={"displayModeBar": False},
                )
                tables.table(
                    {
                        "Choice": [c.text for c in point.choices],
                        "Grade": words,
                        "Learners": [str(c.learners) for c in point.choices],
                    },
                    f"Choices at {point.title}",
                )
    a11y.after_step("cohort")
