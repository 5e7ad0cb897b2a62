"""Navigation: the sign-in gate and first-time steps, then the pages for the person's roles.

Every page has its own address, registered for everyone on every run, so a bookmark, a reload
or a deep link always lands somewhere sensible: signed out, on the sign-in form (and, once signed
in, on the page asked for); signed in, on the page, or on a sentence saying whose page it is.
The page files live in `app_pages/` (not `pages/`), so Streamlit never lists them by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from course import config
from course.content.current import catalogue
from course.errors import CourseError
from course.services import accounts
from course.ui import a11y, actions, gate, session, view

APP_PAGES = Path(__file__).resolve().parent / "app_pages"
STAFF = frozenset({"trainer", "viewer", "admin"})
log = logging.getLogger(__name__)
_THIS_RUN: ContextVar[dict[str, st.Page] | None] = ContextVar("sns_pages", default=None)


def page(path: str) -> st.Page | str:
    """This run's page at an address (a link to it needs no file lookup); in a fragment's
    rerun, which runs without the navigation, the page's file."""
    pages = _THIS_RUN.get()
    if pages is not None and path in pages:
        return pages[path]
    return f"app_pages/{next(p.file for p in PLACES if p.path == path)}"


@dataclass(frozen=True)
class Place:
    """A page of the course: its address, its file, and who may open it."""

    path: str
    file: str
    title: str
    roles: frozenset[str]  # empty: everyone signed in
    in_menu: bool
    icon: str
    for_whom: str = ""
    public: bool = False  # open to everyone, signed in or not


PLACES = (
    Place(
        "home", "home.py", "My course", frozenset({"learner"}), True, ":material/home:", "learners"
    ),
    Place(
        "module",
        "module.py",
        "Module",
        frozenset({"learner"}),
        False,
        ":material/menu_book:",
        "learners",
    ),
    Place("quiz", "quiz.py", "Quiz", frozenset({"learner"}), False, ":material/quiz:", "learners"),
    Place(
        "cohort",
        "cohort.py",
        "Cohort progress",
        STAFF,
        True,
        ":material/monitoring:",
        "trainers, viewers and administrators",
    ),
    Place(
        "grading",
        "grading.py",
        "How the course grades",
        STAFF,
        True,
        ":material/balance:",
        "trainers, viewers and administrators",
    ),
    Place(
        "admin",
        "admin.py",
        "Cohorts and people",
        frozenset({"admin"}),
        True,
        ":material/group:",
        "administrators",
    ),
    Place("account", "account.py", "My account", frozenset(), True, ":material/person:"),
    Place(
        "verify",
        "verify.py",
        "Verify a certificate",
        frozenset(),
        False,
        ":material/verified:",
        public=True,
    ),
)


def _open_to(place: Place, roles: frozenset[str]) -> bool:
    return not place.roles or bool(place.roles & roles)


def _refusal(place: Place, home: st.Page) -> Callable[[], None]:
    def refuse() -> None:
        view.page_title(place.title)
        view.title(place.title)
        st.info(f"This page is for {place.for_whom}.")
        st.page_link(home, label="Go to your start page", icon=":material/arrow_back:")

    refuse.__name__ = f"refuse_{place.path}"
    return refuse


def _records_unreachable(problem: CourseError) -> None:
    view.header()
    st.error(str(problem))
    st.button("Try again", type="primary")
    st.stop()


def _gate(current: accounts.Account | None) -> None:
    """Before the course opens: every address shows the step the person is at."""

    def step() -> None:
        gate.show(current)
        if current is None:  # anyone holding a certificate's paper may check it
            st.page_link(page("verify"), label="Verify a certificate", icon=":material/verified:")

    pages = [st.Page(step, title="Sign in", url_path="main", default=True)]
    pages += [
        st.Page(APP_PAGES / p.file, title=p.title, url_path=p.path, icon=p.icon)
        if p.public
        else st.Page(step, title=p.title, url_path=p.path)
        for p in PLACES
    ]
    linked = _THIS_RUN.set({p.url_path: p for p in pages})
    try:
        chosen = st.navigation(pages, position="hidden")
        view.header()  # the academy's name above every step, and above the public pages
        chosen.run()
    finally:
        _THIS_RUN.reset(linked)


def _course(current: accounts.Account) -> None:
    roles = current.roles
    account = next(p for p in PLACES if p.path == "account")
    start = next((p for p in PLACES if p.in_menu and p.roles and _open_to(p, roles)), account)
    main = st.Page(APP_PAGES / start.file, title=start.title, url_path="main", default=True)
    pages: dict[str, st.Page] = {}
    for place in PLACES:
        if _open_to(place, roles):
            pages[place.path] = st.Page(
                APP_PAGES / place.file, title=place.title, url_path=place.path, icon=place.icon
            )
        else:
            pages[place.path] = st.Page(
                _refusal(place, main), title=place.title, url_path=place.path
            )
    chosen = st.navigation([main, *pages.values()], position="hidden")
    view.header(f"Signed in as {current.actor.full_name} ({current.actor.username})")
    with st.container(horizontal=True, key="sns-menu", gap="medium"):
        for place in PLACES:
            if place.in_menu and _open_to(place, roles):
                st.page_link(pages[place.path], label=place.title, icon=place.icon)
    gate.issue_cookie()
    shared = session.share(current)
    linked = _THIS_RUN.set(pages)
    try:
        chosen.run()
    except CourseError as problem:  # the last net: a sentence, never Streamlit's error page
        st.error(str(problem))
    except Exception:
        log.exception("page %s failed", chosen.url_path)
        st.error(actions.FAILED)
    finally:
        _THIS_RUN.reset(linked)
        session.unshare(shared)


def route() -> None:
    """One run of the app: content, sign-in, then the page asked for."""
    st.set_page_config(
        page_title=config.COURSE_TITLE, page_icon=":material/school:", layout="centered"
    )
    a11y.style()
    try:
        catalogue()
    except CourseError as problem:
        st.error(
            "The course cannot open: its content has problems. An administrator must run "
            "`python -m course validate` and fix them."
        )
        st.code(str(problem), language=None)
        st.stop()

    try:
        signed_in = session.check()
    except CourseError as problem:
        _records_unreachable(problem)
        return
    if signed_in is None or signed_in.must_change_password or not signed_in.notice_accepted:
        _gate(signed_in)
    else:
        _course(signed_in)
