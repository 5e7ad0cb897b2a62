"""The app's router: sign-in gate, first-time steps, then the pages for the person's roles."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from course import config
from course.content.current import catalogue
from course.errors import CourseError
from course.services import access
from course.store import migrate
from course.ui import gate, session, view

PAGES = Path(__file__).resolve().parent / "pages"


st.set_page_config(page_title=config.COURSE_TITLE, page_icon=":material/school:", layout="centered")
try:
    migrate.upgrade_on_start(config.database_url())
    catalogue()
except CourseError as problem:
    st.error(
        "The course cannot open: its content has problems. An administrator must run "
        "`python -m course validate` and fix them."
    )
    st.code(str(problem), language=None)
    st.stop()

current = session.account()
if current is None:
    view.header()
    gate.sign_in_or_setup()
    st.stop()
if current.must_change_password:
    view.header()
    gate.choose_password(current)
    st.stop()
if not current.notice_accepted:
    view.header()
    gate.data_notice(current)
    st.stop()

held = access.roles(current.actor)
pages: dict[str, list[st.Page]] = {}
if "learner" in held:
    pages["Learn"] = [
        st.Page(
            PAGES / "home.py",
            title="My course",
            icon=":material/home:",
            url_path="home",
        ),
        st.Page(
            PAGES / "module.py",
            title="Module",
            icon=":material/menu_book:",
            url_path="module",
            visibility="hidden",
        ),
        st.Page(
            PAGES / "quiz.py",
            title="Quiz",
            icon=":material/quiz:",
            url_path="quiz",
            visibility="hidden",
        ),
    ]
if held & {"trainer", "viewer", "admin"}:
    pages["Teach"] = [
        st.Page(
            PAGES / "progress.py",
            title="Cohort progress",
            icon=":material/monitoring:",
            url_path="progress",
        ),
    ]
if "admin" in held:
    pages["Administer"] = [
        st.Page(
            PAGES / "admin.py",
            title="Cohorts and people",
            icon=":material/group:",
            url_path="admin",
        ),
    ]
pages["Account"] = [
    st.Page(
        PAGES / "account.py",
        title="My account",
        icon=":material/person:",
        url_path="account",
    )
]
page = st.navigation(pages)
with st.sidebar:
    st.caption(f"Signed in as **{current.actor.full_name}** ({current.actor.username})")
gate.issue_cookie()
view.header()
page.run()
