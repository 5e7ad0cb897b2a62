"""Before the course opens: sign in, first-time setup, choosing a password, the data notice."""

from __future__ import annotations

import streamlit as st

from course import config
from course.errors import CourseError
from course.services import accounts
from course.ui import a11y, actions, cookie, session, view

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


def show(current: accounts.Account | None) -> None:
    """The step this person is at: sign in, choose a password, or read the data notice."""
    if current is None:
        sign_in_or_setup()
    elif current.must_change_password:
        choose_password(current)
    else:
        data_notice()


def _problem(text: str) -> None:
    st.session_state[actions.PROBLEM] = text


def sign_in_or_setup() -> None:
    view.page_title("Sign in")
    view.title(config.COURSE_TITLE)
    st.write("Using social media without trading neutrality, anonymity and integrity for likes.")
    if st.session_state.get("signed_out"):
        cookie.clear(str(st.session_state.get("signed_out")))
        st.success("You have signed out.")
    actions.show_messages()
    if accounts.needs_setup():  # only until the first administrator exists
        sign_in, setup = st.tabs(["Sign in", "First-time setup"])
        with sign_in:
            _sign_in_form()
        with setup:
            _setup_form()
    else:
        _sign_in_form()
    a11y.after_step("sign-in")


def _sign_in_form() -> None:
    with st.form("sign_in"):
        st.text_input("Username", autocomplete="username", key="sign_in_username")
        st.text_input(
            "Password", type="password", autocomplete="current-password", key="sign_in_password"
        )
        st.form_submit_button("Sign in", type="primary", on_click=_sign_in)


def _sign_in() -> None:
    try:
        result = accounts.sign_in(
            st.session_state.get("sign_in_username", ""),
            st.session_state.get("sign_in_password", ""),
        )
    except CourseError as problem:
        _problem(str(problem))
        return
    st.session_state.clear()
    st.session_state["session_id"] = result.session_id
    st.session_state["handoff"] = result.handoff


def _setup_form() -> None:
    st.write(
        "No administrator exists yet. Enter the one-time setup code shown to the server's "
        "operator when it started, and choose the first administrator's account."
    )
    with st.form("setup"):
        st.text_input("Setup code", key="setup_code")
        st.text_input("Administrator's username", key="setup_username")
        st.text_input("Full name", key="setup_name")
        st.text_input("Password (at least 10 characters)", type="password", key="setup_password")
        st.form_submit_button("Create administrator", type="primary", on_click=_claim)


def _claim() -> None:
    state = st.session_state
    try:
        accounts.claim_setup(
            state.get("setup_code", ""),
            state.get("setup_username", ""),
            state.get("setup_name", ""),
            state.get("setup_password", ""),
        )
    except CourseError as problem:
        _problem(str(problem))
        return
    state[actions.NOTE] = "The administrator has been created. Sign in on the first tab."


def issue_cookie() -> None:
    """Mount the cookie component once after sign-in (the handoff is single-use)."""
    if handoff := st.session_state.pop("handoff", None):
        cookie.issue(handoff)


def choose_password(current: accounts.Account) -> None:
    issue_cookie()
    view.page_title("Choose your password")
    view.title("Choose your password")
    view.say(f"Welcome, {current.actor.full_name}. Replace the one-time password you were given.")
    actions.show_messages()
    with st.form("choose_password"):
        st.text_input(
            "One-time password",
            type="password",
            autocomplete="current-password",
            key="choose_old",
        )
        st.text_input(
            "New password (at least 10 characters)",
            type="password",
            autocomplete="new-password",
            key="choose_new",
        )
        st.text_input(
            "New password again", type="password", autocomplete="new-password", key="choose_again"
        )
        st.form_submit_button("Save password", type="primary", on_click=_choose)
    a11y.after_step("choose-password")


def _choose() -> None:
    state = st.session_state
    if state.get("choose_new") != state.get("choose_again"):
        _problem("The two new passwords differ.")
        return
    found = session.check()
    if found is None:
        return
    try:
        accounts.change_password(found.actor, state.get("choose_old", ""), state["choose_new"])
    except CourseError as problem:
        _problem(str(problem))


def data_notice() -> None:
    issue_cookie()
    view.page_title("Before you start")
    view.title("Before you start")
    st.markdown(NOTICE)
    actions.show_messages()
    st.button("I have read this notice", type="primary", on_click=_accept)
    a11y.after_step("notice")


def _accept() -> None:
    found = session.check()
    if found is None:
        return
    try:
        accounts.accept_notice(found.actor)
    except CourseError as problem:
        _problem(str(problem))
