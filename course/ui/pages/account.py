"""Everyone: my account: change my password, sign out everywhere."""

from __future__ import annotations

import streamlit as st

from course.errors import CourseError
from course.services import accounts
from course.ui import session

current = session.account()
if current is None:
    st.info("Please sign in to continue.")
    st.stop()
st.title("My account")
st.write(f"{current.actor.full_name} · username **{current.actor.username}**")

with st.form("change_password", clear_on_submit=True):
    st.markdown("#### Change my password")
    old = st.text_input("Current password", type="password", autocomplete="current-password")
    new = st.text_input(
        "New password (at least 10 characters)",
        type="password",
        autocomplete="new-password",
    )
    submitted = st.form_submit_button("Change password")
if submitted:
    try:
        accounts.change_password(current.actor, old, new)
        st.success("Your password is changed.")
    except CourseError as problem:
        st.error(str(problem))

st.markdown("#### Sign out")
st.write("Signing out ends this sign-in in every tab and window.")
if st.button("Sign out", type="primary"):
    accounts.sign_out(current.session_id)
    session.forget()
    st.session_state["signed_out"] = current.session_id
    st.rerun()
