"""Everyone: my account: change my password, sign out everywhere."""

from __future__ import annotations

import streamlit as st

from course.errors import CourseError
from course.services import accounts
from course.ui import a11y, actions, session, view


def change() -> None:
    state = st.session_state
    if state.get("new_password") != state.get("new_password_again"):
        state[actions.PROBLEM] = "The two new passwords differ."
        return
    actions.perform(
        accounts.change_password,
        state.get("old_password", ""),
        state.get("new_password", ""),
        note="Your password is changed. Your other sign-ins have ended.",
    )


def sign_out() -> None:
    found = session.check()
    if found is None:
        return
    try:
        accounts.sign_out(found.session_id)
    except CourseError as problem:
        st.session_state[actions.PROBLEM] = str(problem)
        return
    session.forget()
    st.session_state["signed_out"] = found.session_id


def show() -> None:
    current = session.account()
    if current is None:
        st.info("Please sign in to continue.")
        st.stop()
    view.page_title("My account")
    view.title("My account")
    view.say(f"{current.actor.full_name} · username {current.actor.username}")
    actions.show_messages()
    with st.form("change_password", clear_on_submit=True):
        view.heading("Change my password")
        st.text_input(
            "Current password", type="password", autocomplete="current-password", key="old_password"
        )
        st.text_input(
            "New password (at least 10 characters)",
            type="password",
            autocomplete="new-password",
            key="new_password",
        )
        st.text_input(
            "New password again",
            type="password",
            autocomplete="new-password",
            key="new_password_again",
        )
        st.form_submit_button("Change password", on_click=change)
    view.heading("Sign out")
    st.write("Signing out ends this sign-in in every tab and window.")
    st.button("Sign out", type="primary", on_click=sign_out)
    a11y.after_step("account")
