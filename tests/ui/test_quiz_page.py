"""The quiz page: start, answer in the widget's callback, finish with confirmation, refusals."""

from __future__ import annotations

import sqlalchemy as sa

from course.content.schema import SingleChoice, TrueFalse
from course.services import quizzes
from course.store.db import reading
from course.store.models import Answer
from tests.conftest import Academy
from tests.services.test_quizzes import answer_all
from tests.ui.conftest import page_as


def test_quiz_page_starts_an_attempt_and_saves_an_answer_when_given(school: Academy) -> None:
    at = page_as(school, "learner_a1", "quiz", id="kc-walk-away")
    assert not at.exception
    assert at.title[0].value == "Knowledge check: walking away"
    at.button[0].click().run()  # Start an attempt
    assert at.query_params["attempt"] == "1"
    learner = school.learners["learner_a1"]
    view = quizzes.attempt_view(learner, quizzes.attempt_id_of(learner, "kc-walk-away", 1))
    assert f"#### Question 1 of {len(view.slots)}" in [m.value for m in at.markdown]
    # the draw is random: go to a question answered with one radio (single choice or true/false)
    slot = next(s for s in view.slots if isinstance(s.question, SingleChoice | TrueFalse))
    at.query_params["q"] = str(slot.slot + 1)
    at.run()
    if isinstance(slot.question, SingleChoice):
        given: dict[str, object] = {
            "choice": next(o.id for o in slot.question.options if o.correct)
        }
        at.radio[0].set_value(given["choice"]).run()  # saved by the callback; no submit button
    else:
        given = {"value": slot.question.answer}
        at.radio[0].set_value(slot.question.answer).run()
    with reading() as db:
        stored = db.execute(sa.select(Answer.slot, Answer.response, Answer.score)).all()
    assert [tuple(row) for row in stored] == [(slot.slot, given, 1.0)]


def test_quiz_page_asks_before_finishing_and_shows_the_result(school: Academy) -> None:
    learner = school.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz")
    answer_all(learner, attempt, right=8)
    at = page_as(school, "learner_a1", "quiz", id="ei-quiz", attempt="1")
    assert not at.exception
    finish = next(b for b in at.button if b.label == "Finish attempt…")
    finish.click().run()
    assert "Once you finish, your answers can no longer change." in [m.value for m in at.markdown]
    next(b for b in at.button if b.label == "Yes, finish and submit").click().run()
    assert not at.exception
    assert any("**80%** · You passed." in m.value for m in at.markdown)


def test_quiz_page_refuses_a_quiz_outside_the_track(school: Academy) -> None:
    at = page_as(school, "officer", "quiz", direct=True, id="final-assessment")
    assert at.error[0].value == "This quiz is not part of a course you are enrolled in."


def test_quiz_page_refuses_another_learners_attempt(school: Academy) -> None:
    quizzes.start_attempt(school.learners["learner_a1"], "ei-quiz")
    at = page_as(school, "learner_a2", "quiz", id="ei-quiz", attempt="1")
    assert at.error[0].value == "There is no such attempt of yours."


def test_home_shows_quiz_grades_and_attempts_left(school: Academy) -> None:
    learner = school.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz")
    answer_all(learner, attempt, right=5)
    quizzes.finish_attempt(learner, attempt)
    at = page_as(school, "learner_a1", "home")
    table = at.table[1].value
    assert list(table["Quiz"])[0] == "Quiz: epistemic insularity"
    assert list(table["Grade"])[0] == "50% (not passed)"
    assert list(table["Attempts left"])[0] == "2"
