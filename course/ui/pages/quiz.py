"""Learner: a quiz: its rules and grade, an attempt answered question by question, the result."""

from __future__ import annotations

from typing import Any

import streamlit as st

from course.errors import CourseError
from course.learning.attempts import feedback_band
from course.services import quizzes
from course.services.quizzes import AttemptView
from course.ui import questions, session, view

actor = session.actor()
quiz_id = st.query_params.get("id")
if not quiz_id:
    st.info("Choose a quiz on your course page.")
    st.stop()


def remember_problem(action, *args: Any) -> None:  # type: ignore[no-untyped-def]
    """Run a service call from a callback; keep its sentence to show on the next run."""
    try:
        action(actor, *args)
    except CourseError as problem:
        st.session_state["quiz_problem"] = str(problem)


def save(attempt_id: int, slot: int, response: dict[str, Any]) -> None:
    remember_problem(quizzes.record_answer, attempt_id, slot, response)


def show_attempt(attempt: AttemptView) -> None:
    total = len(attempt.slots)
    answered = total - len(attempt.unanswered)
    if attempt.deadline is not None:
        st.warning(
            f"Submit by **{view.local_time(attempt.deadline)}**. The clock runs on the server: "
            "closing the page does not stop it, and at the deadline your attempt is submitted "
            "with the answers you have given."
        )
    st.progress(answered / total, text=f"{answered} of {total} questions answered")
    current = min(int(st.query_params.get("q", "1")), total) - 1
    picked = st.selectbox(
        "Go to question",
        range(total),
        index=current,
        format_func=lambda n: (
            f"Question {n + 1} — "
            + ("answered" if attempt.slots[n].response is not None else "not answered")
        ),
    )
    if picked != current:
        st.query_params["q"] = str(picked + 1)
        st.rerun()
    slot = attempt.slots[current]
    with st.container(border=True):
        st.markdown(f"#### Question {current + 1} of {total}")
        questions.answer(attempt.id, slot, lambda n, r: save(attempt.id, n, r))
        if slot.response is not None and attempt.visible:
            st.divider()
            questions.review(slot, attempt.visible)
    back, forward = st.columns(2)
    if back.button("← Previous", disabled=current == 0, use_container_width=True):
        st.query_params["q"] = str(current)
        st.rerun()
    if forward.button("Next →", disabled=current == total - 1, use_container_width=True):
        st.query_params["q"] = str(current + 2)
        st.rerun()
    st.divider()
    if st.session_state.get("confirm_finish") != attempt.id:
        if st.button("Finish attempt…", type="primary"):
            st.session_state["confirm_finish"] = attempt.id
            st.rerun()
        return
    missing = attempt.unanswered
    if missing:
        numbers = ", ".join(str(n + 1) for n in missing)
        st.warning(f"{len(missing)} question(s) are not answered: {numbers}. They will score 0.")
    st.write("Once you finish, your answers can no longer change.")
    yes, no = st.columns(2)
    if yes.button("Yes, finish and submit", type="primary", use_container_width=True):
        remember_problem(quizzes.finish_attempt, attempt.id)
        st.session_state.pop("confirm_finish", None)
        st.rerun()
    if no.button("Go back to the questions", use_container_width=True):
        st.session_state.pop("confirm_finish", None)
        st.rerun()


def show_result(attempt: AttemptView) -> None:
    quiz = attempt.quiz
    score = attempt.score or 0.0
    st.markdown(f"### Attempt {attempt.attempt_no}: result")
    if "score" in attempt.visible:
        verdict = "You passed." if score >= quiz.pass_mark - 1e-9 else "You did not pass."
        st.markdown(f"**{score:.0%}** · {verdict} The pass mark is {quiz.pass_mark:.0%}.")
        if band := feedback_band(quiz, score):
            st.info(band)
    shown = attempt.visible - {"score"}
    if not shown:
        st.write(
            "The answers and feedback are not shown for this quiz"
            + (" until it closes." if quiz.closes_at else ".")
        )
        return
    for slot in attempt.slots:
        with st.expander(f"Question {slot.slot + 1} — {questions.correctness(slot.score)}"):
            questions.review(slot, attempt.visible)


try:
    standing = quizzes.status(actor, quiz_id)
except CourseError as problem:
    st.error(str(problem))
    st.stop()
quiz = standing.quiz
st.title(quiz.title)
if problem := st.session_state.pop("quiz_problem", None):
    st.error(problem)

attempt_no = st.query_params.get("attempt")
if attempt_no is not None:
    try:
        attempt = quizzes.attempt_view(
            actor, quizzes.attempt_id_of(actor, quiz.id, int(attempt_no))
        )
    except (CourseError, ValueError) as problem:
        st.error(str(problem) if isinstance(problem, CourseError) else "No such attempt.")
        st.stop()
    if attempt.finished:
        show_result(attempt)
        if st.button("Back to the quiz"):
            del st.query_params["attempt"]
            st.rerun()
    else:
        show_attempt(attempt)
    st.stop()

view.markdown(quiz.intro or "")
facts = {
    "Questions": str(quiz.size),
    "Pass mark": f"{quiz.pass_mark:.0%}",
    "Attempts": "no limit" if quiz.attempts == 0 else f"{standing.used} of {quiz.attempts} used",
    "Grade": f"{quiz.grading} of your attempts",
    "Time limit": f"{quiz.time_limit_minutes} minutes" if quiz.time_limit_minutes else "none",
}
st.table({"": list(facts), "This quiz": list(facts.values())})
if standing.grade is not None:
    verdict = "passed" if standing.passed else "not passed yet"
    st.markdown(f"Your grade: **{standing.grade:.0%}** ({verdict})")
if standing.scores:
    st.table(
        {
            "Attempt": [str(n) for n, _, _ in standing.scores],
            "Finished": [view.local_time(at) for _, at, _ in standing.scores],
            "Score": [f"{s:.0%}" for _, _, s in standing.scores],
        }
    )
    reviewed = st.selectbox("Review an attempt", [n for n, _, _ in standing.scores], index=None)
    if reviewed is not None:
        st.query_params["attempt"] = str(reviewed)
        st.rerun()

if standing.open_attempt is not None:
    label = "Continue my attempt"
elif not standing.is_open:
    st.info("This quiz is not open now.")
    st.stop()
elif standing.left == 0:
    st.info("You have used all your attempts at this quiz.")
    st.stop()
else:
    label = "Start an attempt" if standing.used == 0 else "Start a new attempt"
if st.button(label, type="primary"):
    try:
        started = quizzes.start_attempt(actor, quiz.id)
        st.query_params["attempt"] = str(quizzes.attempt_view(actor, started).attempt_no)
        st.query_params["q"] = "1"
        st.rerun()
    except CourseError as problem:
        st.error(str(problem))
