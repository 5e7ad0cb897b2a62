"""Before the course opens: sign in, first-time setup, choosing a password, the data notice."""

from __future__ import annotations

import streamlit as st

from course import config
from course.errors import CourseError
from course.services import accounts
from course.ui import cookie

NOTICE = """
**How your records are used**

- **Scenario choices and reflections are formative.** They are for your learning. Your
  reflections are private: nobody else can read them. Trainers see scenario choices only as
  totals for groups of five or more learners, and see for each learner only whether a module
  was completed.
- **Quiz scores are summative for completion.** Your trainers see your quiz scores, and the final
  assessment decides whether you pass the course.
- Administrators manage accounts and cohorts; every administrative action is logged.
- Times are shown in the academy's time zone.
"""


def sign_in_or_setup() -> None:
    st.title(config.COURSE_TITLE)
    st.write("Using social media without trading neutrality, anonymity and integrity for likes.")
    if st.session_state.get("signed_out"):
        cookie.clear(str(st.session_state.get("signed_out")))
        st.success("You have signed out.")
    sign_in, setup = st.tabs(["Sign in", "First-time setup"])
    with sign_in:
        _sign_in_form()
    with setup:
        _setup_form()


def _sign_in_form() -> None:
    with st.form("sign_in"):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            result = accounts.sign_in(username, password)
        except CourseError as problem:
            st.error(str(problem))
            return
        st.session_state.clear()
        st.session_state["session_id"] = result.session_id
        st.session_state["handoff"] = result.handoff
        st.rerun()


def _setup_form() -> None:
    if not accounts.needs_setup():
        st.info("This academy already has an administrator. Ask them for an account.")
        return
    st.write(
        "No administrator exists yet. Enter the one-time setup code printed on the server's "
        "console when it started, and choose the first administrator's account."
    )
    with st.form("setup"):
        code = st.text_input("Setup code")
        username = st.text_input("Administrator's username")
        full_name = st.text_input("Full name")
        password = st.text_input("Password (at least 10 characters)", type="password")
        submitted = st.form_submit_button("Create administrator", type="primary")
    if submitted:
        try:
            accounts.claim_setup(code, username, full_name, password)
        except CourseError as problem:
            st.error(str(problem))
            return
        st.success("The administrator has been created. Sign in on the first tab.")


def issue_cookie() -> None:
    """Mount the cookie component once after sign-in (the handoff is single-use)."""
    if handoff := st.session_state.pop("handoff", None):
        cookie.issue(handoff)


def choose_password(current: accounts.Account) -> None:
    issue_cookie()
    st.title("Choose your password")
    st.write(f"Welcome, {current.actor.full_name}. Replace the one-time password you were given.")
    with st.form("choose_password"):
        old = st.text_input("One-time password", type="password", autocomplete="current-password")
        new = st.text_input(
            "New password (at least 10 characters)",
            type="password",
            autocomplete="new-password",
        )
        again = st.text_input("New password again", type="password", autocomplete="new-password")
        submitted = st.form_submit_button("Save password", type="primary")
    if submitted:
        if new != again:
            st.error("The two new passwords differ.")
            return
        try:
            accounts.change_password(current.actor, old, new)
        except CourseError as problem:
            st.error(str(problem))
            return
        st.rerun()


def data_notice(current: accounts.Account) -> None:
    issue_cookie()
    st.title("Before you start")
    st.markdown(NOTICE)
    if st.button("I have read this notice", type="primary"):
        accounts.accept_notice(current.actor)
        st.rerun()
