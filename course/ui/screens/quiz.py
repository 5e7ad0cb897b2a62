"""Learner: a quiz: its rules and grade, an attempt answered question by question, the result.

The attempt is a fragment: answering, moving between questions and finishing rerun only the
attempt, and every move is a callback that sets the page's address (no extra reruns).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from course.errors import CourseError, Unavailable
from course.learning import results
from course.services import quizzes
from course.services.quizzes import AttemptView, QuizStatus
from course.ui import (
    a11y,
    actions,
    countdown,
    navigation,
    params,
    questions,
    session,
    tables,
    view,
)

PENDING = "sns-pending"  # answers given but not saved yet, by (attempt id, slot)


def pending() -> dict[tuple[int, int], dict[str, Any]]:
    kept: dict[tuple[int, int], dict[str, Any]] = st.session_state.setdefault(PENDING, {})
    return kept


def save(attempt_id: int, slot: int, response: dict[str, Any]) -> None:
    """Callback: store an answer now; if the records are out of reach, keep it to save again."""
    _, problem = actions.attempt(quizzes.record_answer, attempt_id, slot, response)
    if problem is None:
        pending().pop((attempt_id, slot), None)
        return
    if isinstance(problem, Unavailable):
        pending()[(attempt_id, slot)] = response
        problem = Unavailable(f"Your answer to question {slot + 1} is not saved yet. {problem}")
    st.session_state[actions.PROBLEM] = str(problem)


def keep_draft(attempt_id: int, slot: int, response: dict[str, Any]) -> None:
    """Callback in a quiz that checks answers one by one: hold the answer until it is checked
    (kept with the unsaved ones, so a records outage loses it no more than them)."""
    pending()[(attempt_id, slot)] = response


def check(attempt_id: int, slot: int, fallback: dict[str, Any] | None) -> None:
    """Callback of "Check my answer": store the answer held so far; it then stays."""
    response = pending().get((attempt_id, slot)) or fallback
    if response is None:
        st.session_state[actions.PROBLEM] = "Give an answer first, then check it."
        return
    save(attempt_id, slot, response)


def go_to(number: int) -> None:
    st.query_params["q"] = str(number)
    st.session_state.pop("sns-confirm", None)


def confirm(attempt_id: int, asking: bool) -> None:
    if asking:
        st.session_state["sns-confirm"] = attempt_id
    else:
        st.session_state.pop("sns-confirm", None)


def finish(attempt_id: int) -> None:
    st.session_state.pop("sns-confirm", None)
    actions.perform(quizzes.finish_attempt, attempt_id)


def start(quiz_id: str) -> None:
    started = actions.perform(quizzes.start_attempt, quiz_id)
    if started is not None:
        st.query_params["attempt"] = str(started.attempt_no)
        st.query_params["q"] = "1"


def show_attempt(attempt: AttemptView) -> None:
    total = len(attempt.slots)
    number, note = params.whole_number("q", "question", 1, total)
    current = (number or 1) - 1
    if note:
        st.info(note)
    if attempt.deadline is not None:
        countdown.countdown(attempt.deadline, f"clock-{attempt.id}", on_expired=lambda: None)
        st.caption(
            f"Submit by {view.local_time(attempt.deadline)}. The clock runs on the server: "
            "closing the page does not stop it, and at the deadline your attempt is submitted "
            "with the answers you have given."
        )
    partly = sum(1 for s in attempt.slots if s.state == "partly answered")
    progress = f"{attempt.answered} of {total} questions answered" + (
        f", {partly} partly" if partly else ""
    )
    with st.container(key="sns-quiz-progress"):
        st.progress(attempt.answered / total, text=progress)
    st.caption("Go to question (✓ answered · ½ partly answered)")
    with st.container(horizontal=True, gap="small", key="sns-quiz-map"):
        for n, one in enumerate(attempt.slots):
            mark = {"answered": " ✓", "partly answered": " ½"}.get(one.state, "")
            st.button(
                f"{n + 1}{mark}",
                key=f"go-{attempt.id}-{n}",
                type="primary" if n == current else "secondary",
                on_click=go_to,
                args=(n + 1,),
            )
    slot = attempt.slots[current]
    waiting = pending().get((attempt.id, slot.slot))
    checking = attempt.locks_answers
    if checking and slot.response is not None:
        waiting = None  # checked: what was held before is spent
    labels: dict[str, str] = {}
    groups: dict[str, str] = {}
    focus = None
    with st.container(border=True, key=a11y.STEP_KEY):
        view.heading(f"Question {current + 1} of {total}")
        if slot.why:
            st.caption(f"Why this question: {slot.why}")
        if checking:
            mode: questions.Mode = "locked" if slot.response is not None else "check"
            labels, groups, focus = questions.answer(
                attempt.id,
                slot,
                slot.response or waiting,
                lambda n, r: keep_draft(attempt.id, n, r),
                mode,
            )
            if mode == "check":
                st.caption("Once you check an answer you see whether it is right, and it stays.")
                st.button(
                    "Check my answer",
                    key=f"check-{attempt.id}-{slot.slot}",
                    type="primary",
                    on_click=check,
                    args=(attempt.id, slot.slot, questions.as_shown(slot)),
                )
        else:
            labels, groups, focus = questions.answer(
                attempt.id,
                slot,
                waiting or slot.response,
                lambda n, r: save(attempt.id, n, r),
            )
        if waiting is not None and not checking:
            st.warning("This answer is not saved yet.")
            st.button(
                "Save my answer again",
                key=f"resave-{attempt.id}-{slot.slot}",
                on_click=save,
                args=(attempt.id, slot.slot, waiting),
            )
        if slot.review is not None:
            st.divider()
            questions.review(slot, with_stem=False)  # the stem is just above
    back, forward = st.columns(2)
    back.button(
        "← Previous",
        disabled=current == 0,
        use_container_width=True,
        on_click=go_to,
        args=(current,),
    )
    forward.button(
        "Next →",
        disabled=current == total - 1,
        use_container_width=True,
        on_click=go_to,
        args=(current + 2,),
    )
    st.divider()
    asking = st.session_state.get("sns-confirm") == attempt.id
    if not asking:
        st.button("Finish attempt…", type="primary", on_click=confirm, args=(attempt.id, True))
    else:
        with st.container(border=True, key="sns-confirm-box"):
            view.subheading("Finish this attempt?")
            if missing := attempt.unfinished_slots:
                listed = ", ".join(
                    f"{s.slot + 1}" + (" (partly)" if s.state == "partly answered" else "")
                    for s in missing
                )
                st.warning(
                    f"{len(missing)} question(s) are not fully answered: {listed}. "
                    "What is missing scores 0."
                )
            st.write("Once you finish, your answers can no longer change.")
            yes, no = st.columns(2)
            yes.button(
                "Yes, finish and submit",
                type="primary",
                use_container_width=True,
                on_click=finish,
                args=(attempt.id,),
            )
            no.button(
                "Go back to the questions",
                use_container_width=True,
                on_click=confirm,
                args=(attempt.id, False),
            )
    if asking:
        nonce, target = f"{attempt.id}-confirm", "heading:sns-confirm-box"
    elif focus:  # an ordering move: focus stays with the moved item
        nonce, target = f"{attempt.id}-q{current}-{slot.response}", f"key:{focus}"
    else:
        nonce, target = f"{attempt.id}-q{current}", "heading"
    a11y.after_step(
        nonce,
        announce="Finish this attempt?" if asking else f"Question {current + 1} of {total}",
        focus=target,
        labels=labels,
        groups=groups,
        progress={"sns-quiz-progress": progress},
        key=f"a11y-{attempt.id}",
    )


def show_result(attempt: AttemptView) -> None:
    with st.container(key=a11y.STEP_KEY):
        view.heading(f"Attempt {attempt.attempt_no}: result")
        if attempt.verdict is not None:
            verdict = attempt.verdict
            outcome = "You passed." if verdict.passed else "You did not pass."
            st.markdown(f"**{verdict.shown}** · {outcome} The pass mark is {verdict.pass_mark}.")
            if verdict.band:
                st.info(verdict.band)
    if not any(s.review for s in attempt.slots):
        quiz = attempt.quiz
        st.write(
            "The answers and feedback are not shown for this quiz"
            + (" until it closes." if quiz.closes_at else ".")
        )
    else:
        questions.reviews(attempt.slots)
    st.page_link(
        navigation.page("quiz"),
        label="Back to the quiz",
        icon=":material/arrow_back:",
        query_params={"id": attempt.quiz.id},
    )
    a11y.after_step(f"{attempt.id}-result", announce=f"Attempt {attempt.attempt_no}: result")


@st.fragment
def attempt_area(quiz_id: str, attempt_no: int) -> None:
    actor = session.actor()
    try:
        attempt = quizzes.attempt_by_number(actor, quiz_id, attempt_no)
    except CourseError as problem:
        view.page_title("Quiz")
        st.error(str(problem))
        st.page_link(
            navigation.page("home"), label="Back to my course", icon=":material/arrow_back:"
        )
        return
    view.page_title(attempt.quiz.title)
    view.title(attempt.quiz.title)
    actions.show_messages()
    if attempt.finished:
        show_result(attempt)
    else:
        show_attempt(attempt)


def grade_line(standing: QuizStatus) -> str | None:
    if standing.grade is None:
        return None
    verdict = "passed" if standing.grade.passed else "not passed yet"
    return f"Your grade: **{standing.grade.shown}** ({verdict})"


def show_intro(quiz_id: str) -> None:
    actor = session.actor()
    try:
        standing = quizzes.status(actor, quiz_id)
    except CourseError as problem:
        view.page_title("Quiz")
        view.title("Quiz")
        st.error(str(problem))
        st.page_link(
            navigation.page("home"), label="Back to my course", icon=":material/arrow_back:"
        )
        return
    quiz = standing.quiz
    view.page_title(quiz.title)
    view.title(quiz.title)
    actions.show_messages()
    if not standing.may_take:
        st.info("This quiz is no longer part of your course. Your attempts are kept to read.")
    view.markdown(quiz.intro or "")
    attempts = "no limit" if quiz.attempts == 0 else f"{standing.used} of {quiz.attempts} used"
    tables.table(
        {
            "": ["Questions", "Pass mark", "Attempts", "Grade", "Time limit"],
            "This quiz": [
                f"up to {quiz.size}" if quiz.kind == "review" else str(quiz.size),
                results.percent(quiz.pass_mark),
                attempts,
                f"{quiz.grading} of your attempts",
                f"{quiz.time_limit_minutes} minutes" if quiz.time_limit_minutes else "none",
            ],
        },
        "About this quiz",
    )
    if line := grade_line(standing):
        st.markdown(line)
    if standing.scores:
        tables.table(
            {
                "Attempt": [str(s.attempt_no) for s in standing.scores],
                "Finished": [view.local_time(s.finished_at) for s in standing.scores],
                "Score": [s.verdict.shown for s in standing.scores],
            },
            "Your finished attempts",
        )
        for score in standing.scores:
            st.page_link(
                navigation.page("quiz"),
                label=f"Review attempt {score.attempt_no}",
                query_params={"id": quiz.id, "attempt": str(score.attempt_no)},
            )
    if standing.open_attempt is not None:
        st.page_link(
            navigation.page("quiz"),
            label="Continue my attempt",
            icon=":material/play_arrow:",
            query_params={"id": quiz.id, "attempt": str(standing.open_attempt), "q": "1"},
        )
    elif not standing.may_take:
        pass
    elif not standing.is_open:
        st.info("This quiz is not open now.")
    elif standing.left == 0:
        st.info("You have used all your attempts at this quiz.")
    else:
        label = "Start an attempt" if standing.used == 0 else "Start a new attempt"
        st.button(label, type="primary", on_click=start, args=(quiz.id,))
    a11y.after_step(f"quiz-{quiz.id}")


def show() -> None:
    session.actor()
    chosen = params.text("id")
    if chosen is None:
        view.page_title("Quiz")
        view.title("Quiz")
        st.info("Choose a quiz on your course page.")
        st.page_link(
            navigation.page("home"), label="Back to my course", icon=":material/arrow_back:"
        )
        st.stop()
    number, problem = params.whole_number("attempt", "attempt", 1, 10_000)
    if problem:
        view.page_title("Quiz")
        view.title("Quiz")
        st.error(problem)
        st.page_link(navigation.page("quiz"), label="Open the quiz", query_params={"id": chosen})
    elif number is not None:
        attempt_area(chosen, number)
    else:
        show_intro(chosen)
