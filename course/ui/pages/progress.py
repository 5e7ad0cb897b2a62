"""Trainer and viewer: module completion per learner, and how the cohort chose (groups of 5+)."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from course.errors import CourseError
from course.services import cohorts, reports
from course.ui import session, view

actor = session.actor()
st.title("Cohort progress")
try:
    visible = cohorts.list_cohorts(actor)
except CourseError as problem:
    st.error(str(problem))
    st.stop()
if not visible:
    st.error("You are not assigned to any cohort as a trainer or viewer.")
    st.stop()

chosen = st.selectbox("Cohort", visible, format_func=lambda c: f"{c.name} ({c.track})")
try:
    table = reports.completion(actor, chosen.id)
except CourseError as problem:
    st.error(str(problem))
    st.stop()

scope = "all sections" if table.sections is None else ", ".join(table.sections) or "no sections"
st.caption(f"Showing {len(table.learners)} learners · {scope}")
st.markdown("### Module completion")
if not table.learners:
    st.info("No learners are enrolled in the sections you can see.")
else:

    def status(value: object) -> str:
        if value is None:
            return "Not started"
        if value == "in progress":
            return "In progress"
        return f"Completed {view.local_time(value)}"  # type: ignore[arg-type]

    rows = {
        "Learner": [f"{r.full_name} ({r.username})" for r in table.learners],
        "Section": [r.section or "—" for r in table.learners],
    }
    for module_id, title in table.module_titles.items():
        rows[title] = [status(r.modules[module_id]) for r in table.learners]
    st.table(rows)
    done = {
        title: sum(1 for r in table.learners if r.modules[mid] not in (None, "in progress"))
        for mid, title in table.module_titles.items()
    }
    st.caption(" · ".join(f"{t}: {n} of {len(table.learners)} completed" for t, n in done.items()))

st.markdown("### Quiz grades")
grades = reports.quiz_grades(actor, chosen.id)


def grade_cell(grade: float | None, finished: int, pass_mark: float) -> str:
    if grade is None:
        return "—"
    verdict = "pass" if grade >= pass_mark - 1e-9 else "not yet"
    return f"{grade:.0%} {verdict} ({finished} attempt{'s' if finished != 1 else ''})"


if grades.learners and grades.quizzes:
    cells = {"Learner": [f"{name} ({user})" for user, name, _ in grades.learners]}
    for quiz_id, title in grades.quizzes.items():
        cells[title] = [
            grade_cell(*results[quiz_id], grades.pass_marks[quiz_id])
            for _, _, results in grades.learners
        ]
    st.table(cells)
else:
    st.info("No quiz grades to show.")

st.markdown("### How the cohort chose")
st.caption(
    f"Totals of learners per choice. Decision points reached by fewer than {reports.MIN_GROUP} "
    "learners are hidden, so no one's choices can be singled out."
)
try:
    points = reports.choice_distribution(actor, chosen.id)
except CourseError as problem:
    st.info(str(problem))
    st.stop()
for module_title in dict.fromkeys(p.module_title for p in points):
    st.markdown(f"#### {module_title}")
    for point in (p for p in points if p.module_title == module_title):
        with st.expander(f"{point.title} · {point.learners} learners"):
            if point.choices is None:
                st.write(f"Fewer than {reports.MIN_GROUP} learners reached this decision: hidden.")
                continue
            data = {
                "Choice": [f"{c.choice_id}. {c.text}" for c in point.choices],
                "Grade": [view.GRADE_WORDS[c.grade] for c in point.choices],
                "Learners": [c.learners for c in point.choices],
            }
            # short bar labels (letter and grade word); the table below carries the full text
            short = [f"{c.choice_id} · {view.GRADE_WORDS[c.grade]}" for c in point.choices]
            figure = px.bar(
                x=data["Learners"],
                y=short,
                orientation="h",
                labels={"x": "Learners", "y": ""},
                height=80 + 40 * len(short),
            )
            figure.update_layout(
                margin={"l": 0, "r": 0, "t": 10, "b": 0}, yaxis={"autorange": "reversed"}
            )
            st.plotly_chart(figure, key=f"chart-{point.module_id}-{point.situation_id}")
            st.table(data)
