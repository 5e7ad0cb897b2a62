"""Who is signed in to this browser tab: the page state holds a session id, the cookie a token.

The router checks the sign-in once per run and shares it with the page it runs; a widget
callback or a fragment rerun runs without the router, so it checks again for itself.
"""

from __future__ import annotations

from contextvars import ContextVar

import streamlit as st

from course import config
from course.services import accounts
from course.services.access import Actor

_THIS_RUN: ContextVar[accounts.Account | None] = ContextVar("sns_account", default=None)


def _cookie_token() -> str | None:
    value = st.context.cookies.get(config.COOKIE_NAME)
    return value if isinstance(value, str) else None  # AppTest has no real request behind it


def check() -> accounts.Account | None:
    """The open account of this tab, looked up in the database now."""
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


def share(found: accounts.Account | None) -> object:
    """The router shares this run's account with its page; returns a token to `unshare`."""
    return _THIS_RUN.set(found)


def unshare(token: object) -> None:
    _THIS_RUN.reset(token)  # type: ignore[arg-type]


def account() -> accounts.Account | None:
    """This run's account: the router's check, or a fresh one outside a full run."""
    return _THIS_RUN.get() or check()


def forget() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def actor() -> Actor:
    """The signed-in, ready person, or stop the page with a prompt to sign in."""
    found = account()
    if found is None or found.must_change_password or not found.notice_accepted:
        st.info("Please sign in to continue.")
        st.stop()
    return found.actor


def current_actor() -> Actor | None:
    """For callbacks: the signed-in, ready person checked now, or None (then act on nothing)."""
    found = check()
    if found is None or found.must_change_password or not found.notice_accepted:
        return None
    return found.actor
