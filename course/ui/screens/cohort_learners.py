"""The cohort dashboard's Learners tab (trainers only): one learner's record. Every quiz
attempt and answer with the feedback on what they chose, and which modules they completed;
their scenario choices and reflections stay private (DESIGN.md, Stakes). Opening a record
writes a line to the audit log, so nothing is opened until the trainer picks someone."""

from __future__ import annotations

import streamlit as st

from course.content.schema import COMPETENCY_TITLES
from course.services import dashboard
from course.services.dashboard import AttemptRecord, LearnerMastery, LearnerRecord
from course.ui import session, tables, view
from course.ui.screens.cohort_format import (
    NONE,
    Shown,
    page_offset,
    pager,
    percent,
    short,
    shown_of,
)

LEARNER_KEY = "cohort-learner"  # the learner chosen (also set from the at-risk list)
NAMES_KEY = "cohort-learner-names"  # names of learners chosen from the at-risk list
PER_LIST = dashboard.MAX_PAGE


def learners_tab(cohort: Shown) -> None:
    view.say(
        "One learner's quiz attempts, every answer with its feedback, and the modules they "
        "completed. Their scenario choices and reflections stay private. Each record you open "
        "is written to the audit log."
    )
    actor = session.actor()
    list_key = f"learner-list-{cohort.cohort_id}"
    offset = page_offset(list_key, PER_LIST)
    roster = dashboard.mastery_matrix(actor, cohort.cohort_id, offset=offset, limit=PER_LIST)
    page = roster.learners
    people: dict[int, LearnerMastery] = {m.user_id: m for m in page.items}
    names = {
        u: f"{m.full_name} ({m.username}) · {m.section or dashboard.NO_SECTION}"
        for u, m in people.items()
    }
    names.update(st.session_state.get(NAMES_KEY, {}))
    options = list(people)
    picked = st.session_state.get(LEARNER_KEY)
    if picked is not None and picked not in people:
        if picked in names:
            options.insert(0, picked)  # opened from the at-risk list, on another page here
        else:
            del st.session_state[LEARNER_KEY]
    if not options:
        view.say("No learner is enrolled in the sections you train.")
        return
    st.selectbox(
        "Learner",
        options,
        index=None,
        format_func=lambda u: names.get(u, f"Learner {u}"),
        placeholder="Choose a learner (type to search)",
        key=LEARNER_KEY,
        width=520,
    )
    if page.total > PER_LIST:
        view.say(shown_of(page.offset, len(page.items), page.total, "learners") + " by name.")
        pager(page.total, PER_LIST, list_key)
    chosen = st.session_state.get(LEARNER_KEY)
    if chosen is None:
        return
    record = dashboard.learner_record(actor, cohort.cohort_id, chosen)
    _record(record, people.get(chosen))


def _record(record: LearnerRecord, mastery: LearnerMastery | None) -> None:
    view.subheading(f"{record.full_name} ({record.username})")
    view.say(f"Section: {record.section or dashboard.NO_SECTION}.")
    if mastery is not None:
        scores = [
            f"{COMPETENCY_TITLES[c]} {percent(s)}"
            for c, s in mastery.scores.items()
            if s is not None
        ]
        view.say(
            "Mean item score: "
            + (view.listing(scores) if scores else "no graded answers yet")
            + "."
        )
    done = sum(m.status == "completed" for m in record.modules)
    tables.table(
        {
            "Module": [m.title for m in record.modules],
            "Status": [m.status.capitalize() for m in record.modules],
            "Completed": [view.local_time(m.completed_at) or NONE for m in record.modules],
        },
        f"Modules: {done} of {len(record.modules)} completed",
    )
    if not record.attempts:
        view.say("No quiz attempts yet.")
        return
    tables.table(
        {
            "Quiz": [a.quiz_title for a in record.attempts],
            "Attempt": [str(a.attempt_no) for a in record.attempts],
            "Started": [view.local_time(a.started_at) for a in record.attempts],
            "Finished": [view.local_time(a.finished_at) or "Still open" for a in record.attempts],
            "Score": [_result(a) for a in record.attempts],
        },
        f"Quiz attempts ({len(record.attempts)}), in track order",
    )
    view.say("Open an attempt to read every answer, the feedback on it and the right answer.")
    for attempt in record.attempts:
        with st.expander(
            f"{attempt.quiz_title} · attempt {attempt.attempt_no} · {_result(attempt)}"
        ):
            _answers(attempt)


def _result(attempt: AttemptRecord) -> str:
    if attempt.verdict is None:
        return "Still open"
    verdict = attempt.verdict
    return f"{verdict.shown}, {'passed' if verdict.passed else 'not passed'}"


def _answers(attempt: AttemptRecord) -> None:
    answers = attempt.answers
    tables.table(
        {
            "No.": [str(a.number) for a in answers],
            "Question": [short(a.stem, 160) for a in answers],
            "Result": [a.correctness for a in answers],
            "Their answer": [" / ".join(a.given) or "Not answered" for a in answers],
            "Feedback": [
                " ".join(" ".join(f.split()) for f in a.feedback) or NONE for a in answers
            ],
            "Misconception": [" ".join(a.misconceptions) or NONE for a in answers],
            "Right answer": [" / ".join(a.key) for a in answers],
        },
        f"{attempt.quiz_title}, attempt {attempt.attempt_no}: answers",
    )
