"""Learner: my course, each module's status and time, my quizzes, and what to do next."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from course.content.current import catalogue
from course.errors import CourseError
from course.learning.results import Verdict
from course.services import certificates, due, learner_home
from course.services.access import Actor
from course.ui import a11y, actions, navigation, session, tables, view

MODULE_LINK = {"not started": "Start", "in progress": "Continue", "completed": "Review or replay"}


def grade_text(grade: Verdict | None) -> str:
    if grade is None:
        return "—"
    return f"{grade.shown} ({'passed' if grade.passed else 'not passed'})"


def _due(actor: Actor, home: learner_home.Home) -> None:
    """A serving officer's reviews and modules due now, each with why, and the next due date
    for their calendar."""
    found = due.what_is_due(actor, home)
    if found is None or home.track is None:  # not the refresher: the course below is what to do
        return
    view.heading("Due now")
    parts = []
    if found.due_now:
        parts.append(f"{len(found.due_now)} of {len(found.competencies)} competencies")
    if found.items_due:
        parts.append(f"{found.items_due} question{'' if found.items_due == 1 else 's'} to recall")
    if found.modules:
        modules = len(found.modules)
        parts.append(f"{modules} refresher module{'' if modules == 1 else 's'}")
    view.say(f"Due: {view.listing(parts)}." if parts else "Nothing is due now.")
    if home.track.review is not None:
        session_quiz = catalogue().quiz(home.track.review)
        st.page_link(
            navigation.page("quiz"),
            # short, so that a phone shows it whole
            label=f"{'Review now' if found.due_now or found.items_due else 'Practise'}: "
            f"{session_quiz.size} questions, {session_quiz.time_limit_minutes} min",
            icon=":material/replay:",
            query_params={"id": session_quiz.id},
        )
    for one in found.competencies:
        when = one.schedule.due_at
        state = (
            f"Next review on {view.local_date(when)}"
            if when is not None and not one.schedule.is_due(found.now)
            else "Due now"
        )
        view.card(one.title, state, one.schedule.why)
    for module in found.modules:
        view.card(
            module.module.title,
            f"Refresher module · about {module.module.estimated_minutes} minutes",
            module.why,
        )
        st.page_link(
            navigation.page("module"),
            label=f"Start: {module.module.title}",
            query_params={"id": module.module.id},
        )
    if (event := due.calendar_file(found)) is not None:
        name, data = event
        st.download_button(
            "Add my next review to my calendar (.ics)",
            data,
            file_name=name,
            mime="text/calendar",
            icon=":material/event:",
        )


def _printed(actor: Actor, certificate_id: int) -> Callable[[], bytes]:
    # made only when pressed; the service checks the sign-in is still open then
    return lambda: certificates.pdf(actor, certificate_id)[1]


STATE_WORDS = {"valid": "Valid", "expired": "Expired", "revoked": "Revoked"}


def _certificates(actor: Actor, held: tuple[certificates.CertificateView, ...]) -> None:
    """The learner's certificates, newest first: the current one to download, and the history."""
    if not held:
        return
    view.heading("Your certificates")
    for n, one in enumerate(held):
        view.card(
            f"{one.track} · {STATE_WORDS.get(one.state, one.state)}",
            f"Completed {view.local_date(one.completed_at)} · valid until "
            f"{view.local_date(one.expires_at)} · code {one.code}",
            f"Revoked: {one.revoked_reason}"
            if one.state == "revoked" and one.revoked_reason
            else "Anyone can check this code on the Verify a certificate page.",
        )
        if one.state != "revoked":
            st.download_button(
                "Download the certificate (PDF)" if n == 0 else f"Download ({one.code}, PDF)",
                data=_printed(actor, one.id),
                file_name=f"certificate-{one.code}.pdf",
                mime="application/pdf",
                icon=":material/workspace_premium:",
                on_click="ignore",
                key=f"certificate-{one.id}",
            )


def show() -> None:
    actor = session.actor()
    view.page_title("My course")
    view.title("My course")
    actions.show_messages()
    try:
        home = learner_home.home(actor)
    except CourseError as problem:
        st.error(str(problem))
        st.stop()
    if home.track is None:
        st.info(
            "You are not enrolled in a course yet. "
            "Your trainer or the academy's administrator enrols you."
        )
        st.stop()
    view.heading(home.track.title)
    view.say(f"Cohort: {home.cohort}")
    _due(actor, home)
    _certificates(actor, home.certificates)
    if home.anchor is not None and home.anchor_prompt is not None:
        with st.container(border=True):
            view.heading(home.anchor.quiz.title)
            st.write(home.anchor_prompt)
            st.page_link(
                navigation.page("quiz"),
                label=f"{'Continue' if home.anchor.open_attempt else 'Open'}: "
                f"{home.anchor.quiz.title}",
                icon=":material/straighten:",
                query_params={"id": home.anchor.quiz.id},
            )
    total = len(home.modules)
    done = f"{home.completed} of {total} modules completed"
    with st.container(key="sns-progress"):
        st.progress(home.completed / total if total else 0.0, text=done)
    if (upcoming := home.next_module) is not None:
        with st.container(border=True):
            view.heading(f"Next: {upcoming.module.title}")
            st.write(upcoming.module.summary)
            verb = MODULE_LINK[upcoming.status]
            st.page_link(
                navigation.page("module"),
                label=f"{verb}: {upcoming.module.title}",
                icon=":material/play_arrow:",
                query_params={"id": upcoming.module.id},
            )
    else:
        st.success("You have completed every module of your course.")
    view.heading("Modules")
    for one in home.modules:
        view.card(
            one.module.title,
            f"{one.status.capitalize()} · about {one.module.estimated_minutes} minutes",
            one.module.summary,
        )
        st.page_link(
            navigation.page("module"),
            label=f"{MODULE_LINK[one.status]}: {one.module.title}",
            query_params={"id": one.module.id},
        )
    view.heading("Quizzes")
    if home.quizzes:
        tables.table(
            {
                "Quiz": [s.quiz.title for s in home.quizzes],
                "Your grade": [grade_text(s.grade) for s in home.quizzes],
                "Attempts left": [
                    "no limit" if s.left is None else str(s.left) for s in home.quizzes
                ],
            },
            "Your quizzes",
        )
        for standing in home.quizzes:
            verb = "Continue" if standing.open_attempt else "Open"
            st.page_link(
                navigation.page("quiz"),
                label=f"{verb}: {standing.quiz.title}",
                query_params={"id": standing.quiz.id},
            )
    else:
        st.write("Your course has no quizzes yet.")
    if home.earlier_modules or home.earlier_quizzes:
        view.heading("Earlier work")
        st.write(
            "Modules and quizzes you took that are no longer part of your course. "
            "Your work on them is kept for you to read."
        )
        for module in home.earlier_modules:
            st.page_link(
                navigation.page("module"),
                label=f"Read again: {module.module.title}",
                query_params={"id": module.module.id},
            )
        for earlier in home.earlier_quizzes:
            st.page_link(
                navigation.page("quiz"),
                label=f"Review: {earlier.quiz.title} ({grade_text(earlier.grade)})",
                query_params={"id": earlier.quiz.id},
            )
    with st.expander("What completing the course means"):
        view.markdown(home.track.completion)
    a11y.after_step("home", progress={"sns-progress": done})
