"""Learner: my course, each module's status and time, and what to do next."""

from __future__ import annotations

import streamlit as st

from course.errors import CourseError
from course.services import progress, quizzes
from course.ui import session, view

actor = session.actor()
try:
    home = progress.home(actor)
except CourseError as problem:
    st.error(str(problem))
    st.stop()

st.title("My course")
if home.track is None:
    st.info(
        "You are not enrolled in a course yet. "
        "Your trainer or the academy's administrator enrols you."
    )
    st.stop()

st.subheader(home.track.title)
st.caption(f"Cohort: {home.cohort}")
total = len(home.modules)
st.progress(
    home.completed / total if total else 0.0,
    text=f"{home.completed} of {total} modules completed",
)


if (upcoming := home.next_module) is not None:
    with st.container(border=True):
        st.markdown("**Next**")
        st.markdown(f"#### {upcoming.module.title}")
        st.write(upcoming.module.summary)
        verb = "Continue" if upcoming.status == "in progress" else "Start"
        if st.button(f"{verb} module", type="primary", key="next"):
            st.switch_page(view.module_page(), query_params={"id": upcoming.module.id})
else:
    st.success("You have completed every module of your course.")

st.markdown("### Modules")
st.table(
    {
        "Module": [m.module.title for m in home.modules],
        "Status": [m.status.capitalize() for m in home.modules],
        "Time": [f"about {m.module.estimated_minutes} min" for m in home.modules],
    }
)
for one in home.modules:
    with st.container(border=True):
        st.markdown(
            f"**{one.module.title}** · {one.status} · about {one.module.estimated_minutes} minutes"
        )
        st.caption(one.module.summary)
        label = {
            "not started": "Start",
            "in progress": "Continue",
            "completed": "Review or play again",
        }[one.status]
        if st.button(label, key=f"open-{one.module.id}"):
            st.switch_page(view.module_page(), query_params={"id": one.module.id})

st.markdown("### Quizzes")
try:
    standings = quizzes.overview(actor)
except CourseError as problem:
    st.error(str(problem))
    standings = []
if standings:
    st.table(
        {
            "Quiz": [s.quiz.title for s in standings],
            "Grade": [
                "—"
                if s.grade is None
                else f"{s.grade:.0%} ({'passed' if s.passed else 'not passed'})"
                for s in standings
            ],
            "Attempts left": ["no limit" if s.left is None else str(s.left) for s in standings],
        }
    )
    for one in standings:
        label = "Continue" if one.open_attempt else "Open"
        if st.button(f"{label}: {one.quiz.title}", key=f"quiz-{one.quiz.id}"):
            st.switch_page(view.quiz_page(), query_params={"id": one.quiz.id})

with st.expander("What completing the course means"):
    view.markdown(home.track.completion)
