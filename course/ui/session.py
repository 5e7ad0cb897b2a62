"""Who is signed in to this browser tab: the page state holds a session id, the cookie a token."""

from __future__ import annotations

import streamlit as st

from course import config
from course.services import accounts
from course.services.access import Actor


def _cookie_token() -> str | None:
    value = st.context.cookies.get(config.COOKIE_NAME)
    return value if isinstance(value, str) else None  # AppTest has no real request behind it


def account() -> accounts.Account | None:
    """The open account of this tab, checked against the database on every run."""
    session_id = st.session_state.get("session_id")
    if session_id is not None:
        found = accounts.session_account(session_id)
        if found is None:  # signed out elsewhere, expired, or revoked by an administrator
            forget()
        return found
    if st.session_state.get("signed_out"):
        return None  # the cookie may still be on its way out
    if (token := _cookie_token()) and (found := accounts.account(token)) is not None:
        st.session_state["session_id"] = found.session_id
        return found
    return None


def forget() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def actor() -> Actor:
    """The signed-in person, or stop the page with a prompt to sign in."""
    found = account()
    if found is None or found.must_change_password or not found.notice_accepted:
        st.info("Please sign in to continue.")
        st.stop()
    return found.actor
