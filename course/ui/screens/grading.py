"""Trainers, viewers and administrators: how the course grades each recurring act."""

from __future__ import annotations

import streamlit as st

from course.content.grading_policy import TITLE
from course.errors import CourseError
from course.services import guidance
from course.ui import a11y, session, view


def show() -> None:
    actor = session.actor()
    view.page_title("How the course grades")
    view.title(TITLE)
    try:
        text = guidance.grading_policy(actor)
    except CourseError as problem:
        st.info(str(problem))
        return
    view.markdown(text)
    a11y.after_step("grading")
