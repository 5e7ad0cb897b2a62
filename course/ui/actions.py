"""Running a service from a widget callback: find out again who is acting, then turn whatever
goes wrong into a sentence for the next run to show, never Streamlit's error page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from course.errors import CourseError, NotAllowed
from course.services.access import SIGNED_OUT, Actor
from course.ui import session

T = TypeVar("T")
log = logging.getLogger(__name__)
PROBLEM = "sns-problem"
NOTE = "sns-note"
FAILED = "Something went wrong on our side and nothing was saved. Please try again."


def attempt(action: Callable[..., T], *args: Any) -> tuple[T | None, CourseError | None]:
    """Call `action(actor, *args)` as the person signed in now: its result, or its refusal.

    A revoked or expired sign-in acts on nothing (the next run shows the sign-in page, with the
    refusal). A bug becomes a sentence too, and goes to the server's log.
    """
    actor: Actor | None = session.current_actor()
    if actor is None:
        return None, NotAllowed(SIGNED_OUT)
    try:
        return action(actor, *args), None
    except CourseError as problem:
        return None, problem
    except Exception:  # a bug must not cost the learner their page: log it, say so
        log.exception("action %s failed", getattr(action, "__name__", action))
        return None, CourseError(FAILED)


def perform(action: Callable[..., T], *args: Any, note: str | None = None) -> T | None:
    """`attempt` for a callback: a refusal is kept for the next run to show, as is `note` on
    success."""
    done, problem = attempt(action, *args)
    if problem is not None:
        st.session_state[PROBLEM] = str(problem)
    elif note:
        st.session_state[NOTE] = note
    return done


def show_messages() -> None:
    """Show (once) what the last action said: a problem, or a note that it was done."""
    if problem := st.session_state.pop(PROBLEM, None):
        for line in str(problem).splitlines():
            st.error(line)
    if note := st.session_state.pop(NOTE, None):
        st.success(note)
