"""The quiz page: start, answer in the widget's callback, finish with confirmation, refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from course.content.schema import Matching, SingleChoice, TrueFalse
from course.services import accounts, quizzes
from course.store import db
from course.store.db import reading
from course.store.models import Answer
from tests.conftest import Academy
from tests.helpers import add_quiz, answer_all, right_answer
from tests.ui.conftest import page_as, tables


def radio_slot(view: quizzes.AttemptView) -> quizzes.SlotView:
    """The draw is random: the first question answered with one radio button."""
    return next(s for s in view.slots if isinstance(s.question, SingleChoice | TrueFalse))


def answer_by_radio(at: Any, slot: quizzes.SlotView) -> dict[str, Any]:
    given = right_answer(slot.question)
    at.radio[0].set_value(next(iter(given.values()))).run()  # saved by the callback
    return given


def stored() -> list[tuple[Any, ...]]:
    with reading() as session:
        rows = session.execute(sa.select(Answer.slot, Answer.response, Answer.score)).all()
    return [tuple(row) for row in rows]


def test_quiz_page_starts_an_attempt_and_saves_an_answer_when_given(school: Academy) -> None:
    at = page_as(school, "learner_a1", "quiz", id="ei-quiz")
    assert not at.exception
    assert at.title[0].value == "Quiz: epistemic insularity"
    next(b for b in at.button if b.label.startswith("Start")).click().run()
    assert at.query_params["attempt"] == ["1"] or at.query_params["attempt"] == "1"
    view = quizzes.attempt_by_number(school.learners["learner_a1"], "ei-quiz", 1)
    assert at.header[0].value == f"Question 1 of {len(view.slots)}"
    slot = radio_slot(view)
    at.query_params["q"] = str(slot.slot + 1)
    at.run()
    given = answer_by_radio(at, slot)
    assert stored() == [(slot.slot, given, 1.0)]
    assert not any(b.label == "Check my answer" for b in at.button)


def test_a_knowledge_check_keeps_an_answer_once_it_is_checked(school: Academy) -> None:
    at = page_as(school, "learner_a1", "quiz", id="kc-walk-away")
    assert at.title[0].value == "Knowledge check: walking away"
    next(b for b in at.button if b.label.startswith("Start")).click().run()
    view = quizzes.attempt_by_number(school.learners["learner_a1"], "kc-walk-away", 1)
    slot = radio_slot(view)
    at.query_params["q"] = str(slot.slot + 1)
    at.run()
    given = answer_by_radio(at, slot)
    assert stored() == []  # chosen, not yet checked: free to change
    assert not at.radio[0].disabled
    next(b for b in at.button if b.label == "Check my answer").click().run()
    assert not at.exception
    assert stored() == [(slot.slot, given, 1.0)]
    assert at.radio[0].disabled  # checked: it stays
    assert not any(b.label == "Check my answer" for b in at.button)
    shown = " ".join(h.body for h in at.get("html"))
    assert "Correct" in shown  # right or wrong is shown at once


def test_checking_without_an_answer_asks_for_one(school: Academy) -> None:
    at = page_as(school, "learner_a1", "quiz", id="kc-walk-away")
    next(b for b in at.button if b.label.startswith("Start")).click().run()
    view = quizzes.attempt_by_number(school.learners["learner_a1"], "kc-walk-away", 1)
    slot = radio_slot(view)
    at.query_params["q"] = str(slot.slot + 1)
    at.run()
    next(b for b in at.button if b.label == "Check my answer").click().run()
    assert stored() == []
    assert any("Give an answer first" in e.value for e in at.error)


def test_quiz_page_asks_before_finishing_and_shows_the_result(school: Academy) -> None:
    learner = school.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    answer_all(learner, attempt, right=8)
    at = page_as(school, "learner_a1", "quiz", id="ei-quiz", attempt="1")
    assert not at.exception
    next(b for b in at.button if b.label == "Finish attempt…").click().run()
    assert "Once you finish, your answers can no longer change." in [m.value for m in at.markdown]
    next(b for b in at.button if b.label == "Yes, finish and submit").click().run()
    assert not at.exception
    assert any("**80%** · You passed." in m.value for m in at.markdown)


def test_a_partly_matched_question_is_shown_and_warned_as_partly_answered(
    school: Academy, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    add_quiz(content, {"id": "match-check", "title": "Match check", "questions": ["ee-003"]})
    learner = school.learners["learner_a1"]
    started = quizzes.start_attempt(learner, "match-check")
    question = quizzes.attempt_view(learner, started.id).slots[0].question
    assert isinstance(question, Matching)
    first = question.pairs[0].id
    quizzes.record_answer(learner, started.id, 0, {"matches": {first: first}})
    at = page_as(school, "learner_a1", "quiz", id="match-check", attempt="1")
    assert at.button(key=f"go-{started.id}-0").label == "1 ½"  # partly answered
    assert "0 of 1 questions answered, 1 partly" in [p.proto.text for p in at.get("progress")]
    next(b for b in at.button if b.label == "Finish attempt…").click().run()
    warning = at.warning[-1].value
    assert "1 (partly)" in warning and "not fully answered" in warning


def test_an_answer_that_could_not_be_saved_stays_and_can_be_saved_again(
    school: Academy, sqlite_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    learner = school.learners["learner_a1"]
    started = quizzes.start_attempt(learner, "ei-quiz")
    slot = radio_slot(quizzes.attempt_view(learner, started.id))
    at = page_as(school, "learner_a1", "quiz", id="ei-quiz", attempt="1", q=str(slot.slot + 1))
    monkeypatch.setenv("COURSE_SQLITE_BUSY_MS", "100")
    db.reset()
    holder = sqlite3.connect(sqlite_database.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a long write elsewhere holds the lock
    try:
        given = answer_by_radio(at, slot)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not at.exception
    assert "is not saved yet" in at.error[0].value
    assert at.radio[0].value == next(iter(given.values()))  # still on screen
    assert stored() == []
    next(b for b in at.button if b.label == "Save my answer again").click().run()
    assert stored() == [(slot.slot, given, 1.0)]
    assert not [b for b in at.button if b.label == "Save my answer again"]


def test_a_revoked_sign_in_stores_nothing_from_a_callback(school: Academy) -> None:
    learner = school.learners["learner_a1"]
    started = quizzes.start_attempt(learner, "ei-quiz")
    slot = radio_slot(quizzes.attempt_view(learner, started.id))
    at = page_as(school, "learner_a1", "quiz", id="ei-quiz", attempt="1", q=str(slot.slot + 1))
    accounts.sign_out(at.session_state["session_id"])  # signed out in another tab
    answer_by_radio(at, slot)
    assert stored() == []
    assert at.text_input[0].label == "Username"  # back to the sign-in form


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ({"q": "abc"}, "The address asks for question 'abc', which is not a whole number."),
        ({"q": "0"}, "There is no question 0 here; showing question 1 instead."),
        ({"q": "-3"}, "There is no question -3 here; showing question 1 instead."),
        ({"q": "999"}, "There is no question 999 here; showing question 10 instead."),
        ({"attempt": "abc"}, "The address asks for attempt 'abc', which is not a whole number."),
        ({"attempt": "0"}, "There is no attempt 0 here; showing attempt 1 instead."),
        ({"attempt": "7"}, "There is no such attempt of yours."),
        ({"attempt": "1e3"}, "The address asks for attempt '1e3', which is not a whole number."),
    ],
)
def test_odd_addresses_get_a_sentence(
    school: Academy, query: dict[str, str], sentence: str
) -> None:
    quizzes.start_attempt(school.learners["learner_a1"], "ei-quiz")
    at = page_as(school, "learner_a1", "quiz", id="ei-quiz", **{"attempt": "1", **query})
    assert not at.exception
    assert sentence in [e.value for e in [*at.error, *at.info]]


def test_quiz_page_refuses_a_quiz_outside_the_track(school: Academy) -> None:
    at = page_as(school, "officer", "quiz", direct=True, id="final-assessment")
    assert at.error[0].value == "This quiz is not part of a course you are enrolled in."


def test_quiz_page_refuses_another_learners_attempt(school: Academy) -> None:
    quizzes.start_attempt(school.learners["learner_a1"], "ei-quiz")
    at = page_as(school, "learner_a2", "quiz", id="ei-quiz", attempt="1")
    assert at.error[0].value == "There is no such attempt of yours."


def test_home_shows_quiz_grades_and_attempts_left(school: Academy) -> None:
    learner = school.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    answer_all(learner, attempt, right=5)
    quizzes.finish_attempt(learner, attempt)
    at = page_as(school, "learner_a1", "home")
    table = tables(at)["Your quizzes"]
    assert table["Quiz"][0] == "Quiz: epistemic insularity"
    assert table["Your grade"][0] == "50% (not passed)"
    assert table["Attempts left"][0] == "2"


def test_the_final_assessment_result_shows_the_score_and_nothing_else(school: Academy) -> None:
    learner = school.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "final-assessment").id
    answer_all(learner, attempt, right=15)
    quizzes.finish_attempt(learner, attempt)
    at = page_as(school, "learner_a1", "quiz", id="final-assessment", attempt="1")
    assert any("**50%** · You did not pass." in m.value for m in at.markdown)
    assert not at.expander
    assert "The answers and feedback are not shown for this quiz." in [m.value for m in at.markdown]
