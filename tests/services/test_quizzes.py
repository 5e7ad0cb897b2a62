"""Quiz attempts through the service layer: answers saved when given, never lost or doubled."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from course import clock
from course.content import current
from course.errors import BadInput, Conflict, NotAllowed, NotFound
from course.services import learner_home, quizzes, reports
from course.store.db import reading
from course.store.models import Answer
from tests.conftest import Academy
from tests.helpers import answer_all, right_answer, wrong_answer


def test_attempt_grades_right_and_wrong_answers_into_the_score(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    answer_all(learner, attempt, right=7)
    quizzes.finish_attempt(learner, attempt)
    view = quizzes.attempt_view(learner, attempt)
    assert view.finished and view.verdict is not None
    assert view.verdict.score == 0.7  # 7 of 10, the wrong ones score 0
    standing = quizzes.status(learner, "ei-quiz")
    assert standing.grade is not None
    assert (standing.grade.score, standing.grade.passed, standing.left) == (0.7, True, 2)


def test_answering_again_replaces_the_answer_in_one_row(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    question = quizzes.attempt_view(learner, attempt).slots[0].question
    assert quizzes.record_answer(learner, attempt, 0, wrong_answer(question)) == 0.0
    assert quizzes.record_answer(learner, attempt, 0, right_answer(question)) == 1.0
    with reading() as db:
        rows = db.scalars(sa.select(Answer).where(Answer.attempt_id == attempt)).all()
    assert [(r.slot, r.score) for r in rows] == [(0, 1.0)]


def test_a_second_tab_and_a_new_session_see_the_same_attempt(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "final-assessment").id
    assert quizzes.start_attempt(learner, "final-assessment").id == attempt  # double click
    first = quizzes.attempt_view(learner, attempt).slots[0]
    quizzes.record_answer(learner, attempt, 0, right_answer(first.question))
    again = quizzes.attempt_view(learner, attempt)  # a reload, another tab, a restart
    assert again.slots[0].response == right_answer(first.question)
    assert [s.order for s in again.slots] == [
        s.order for s in quizzes.attempt_view(learner, attempt).slots
    ]
    assert [s.slot for s in again.unfinished_slots] == list(range(1, len(again.slots)))


def test_concurrent_answers_to_one_slot_leave_one_row(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    question = quizzes.attempt_view(learner, attempt).slots[0].question
    answers = [right_answer(question), wrong_answer(question)] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda r: quizzes.record_answer(learner, attempt, 0, r), answers))
    with reading() as db:
        assert (
            db.scalar(
                sa.select(sa.func.count()).select_from(Answer).where(Answer.attempt_id == attempt)
            )
            == 1
        )


def test_time_limit_is_kept_on_the_server(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    start = clock.now()
    clock.set_now(start)
    attempt = quizzes.start_attempt(learner, "final-assessment").id
    view = quizzes.attempt_view(learner, attempt)
    assert view.deadline == start + timedelta(minutes=60)
    quizzes.record_answer(learner, attempt, 0, right_answer(view.slots[0].question))
    clock.set_now(start + timedelta(minutes=61))  # the page was closed; the clock ran on
    with pytest.raises(Conflict, match="Time is up"):
        quizzes.record_answer(learner, attempt, 1, right_answer(view.slots[1].question))
    after = quizzes.attempt_view(learner, attempt)
    assert after.finished and after.verdict is not None
    # only the answer given in time counts
    assert after.verdict.score == round(1 / len(view.slots), 4)
    with pytest.raises(Conflict, match="finished"):
        quizzes.record_answer(learner, attempt, 1, right_answer(view.slots[1].question))


def test_attempt_past_its_deadline_is_finished_when_next_seen(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    start = clock.now()
    clock.set_now(start)
    attempt = quizzes.start_attempt(learner, "final-assessment").id
    clock.set_now(start + timedelta(hours=2))
    assert quizzes.status(learner, "final-assessment").open_attempt == 1
    view = quizzes.attempt_view(learner, attempt)
    assert view.finished and view.verdict is not None and view.verdict.score == 0.0


def test_attempts_are_limited(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    for _ in range(2):
        quizzes.finish_attempt(learner, quizzes.start_attempt(learner, "final-assessment").id)
    with pytest.raises(Conflict, match="used all 2 attempts"):
        quizzes.start_attempt(learner, "final-assessment")


def test_finishing_twice_is_harmless(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    answer_all(learner, attempt, right=10)
    quizzes.finish_attempt(learner, attempt)
    quizzes.finish_attempt(learner, attempt)
    scores = quizzes.status(learner, "ei-quiz").scores
    assert [(s.attempt_no, s.verdict.score) for s in scores] == [(1, 1.0)]


def test_another_learners_attempt_cannot_be_opened_or_answered(academy: Academy) -> None:
    owner, other = academy.learners["learner_a1"], academy.learners["learner_b1"]
    attempt = quizzes.start_attempt(owner, "ei-quiz").id
    with pytest.raises(NotFound):
        quizzes.attempt_view(other, attempt)
    with pytest.raises(NotFound):
        quizzes.record_answer(other, attempt, 0, {"choice": "a"})
    with pytest.raises(NotFound):
        quizzes.finish_attempt(other, attempt)
    with pytest.raises(NotFound):
        quizzes.attempt_by_number(other, "ei-quiz", 1)


def test_quiz_outside_the_learners_track_is_refused(academy: Academy) -> None:
    officer = academy.learners["officer"]  # refresher track
    with pytest.raises(NotAllowed):
        quizzes.start_attempt(officer, "final-assessment")
    assert [s.quiz.id for s in learner_home.home(officer).quizzes] == ["refresher-review"]
    # a knowledge check belongs to its module's track: the probationers' walk-away is not theirs
    with pytest.raises(NotAllowed):
        quizzes.start_attempt(officer, "kc-walk-away")


def test_a_response_that_does_not_fit_is_refused(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    with pytest.raises(BadInput, match="does not fit"):
        quizzes.record_answer(learner, attempt, 0, {"nonsense": 1})
    with pytest.raises(NotFound):
        quizzes.record_answer(learner, attempt, 99, {"choice": "a"})


def test_keys_stay_hidden_when_the_policy_says_so(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "final-assessment").id
    assert quizzes.attempt_view(learner, attempt).visible == frozenset()
    quizzes.finish_attempt(learner, attempt)
    # the final assessment shows only the score after an attempt, and it never closes
    assert quizzes.attempt_view(learner, attempt).visible == {"score"}
    knowledge = quizzes.start_attempt(learner, "kc-walk-away").id
    assert quizzes.attempt_view(learner, knowledge).visible == {"correctness", "feedback", "key"}


def test_a_quiz_that_shows_right_or_wrong_keeps_each_checked_answer(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "kc-walk-away").id
    question = quizzes.attempt_view(learner, attempt).slots[0].question
    assert quizzes.record_answer(learner, attempt, 0, wrong_answer(question)) < 1
    shown = quizzes.attempt_view(learner, attempt).slots[0]
    assert shown.review is not None and shown.review.correctness is not None

    with pytest.raises(Conflict, match="seen the feedback on question 1"):
        quizzes.record_answer(learner, attempt, 0, right_answer(question))
    # the same answer again (a double click) changes nothing and says nothing
    assert quizzes.record_answer(learner, attempt, 0, wrong_answer(question)) < 1
    assert quizzes.attempt_view(learner, attempt).slots[0].response == wrong_answer(question)


def test_a_quiz_that_shows_nothing_during_the_attempt_lets_answers_change(
    academy: Academy,
) -> None:
    learner = academy.learners["learner_a1"]
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    question = quizzes.attempt_view(learner, attempt).slots[0].question
    quizzes.record_answer(learner, attempt, 0, wrong_answer(question))
    assert quizzes.record_answer(learner, attempt, 0, right_answer(question)) == 1


def test_trainer_sees_quiz_grades_of_their_section(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    first = quizzes.start_attempt(learner, "ei-quiz").id
    answer_all(learner, first, right=4)
    quizzes.finish_attempt(learner, first)
    second = quizzes.start_attempt(learner, "ei-quiz").id
    answer_all(learner, second, right=9)
    quizzes.finish_attempt(learner, second)
    grades = reports.quiz_grades(academy.trainers["trainer_a"], academy.ids["ctp"])
    rows = {row.username: row.results for row in grades.learners}
    assert set(rows) == {"learner_a1", "learner_a2", "learner_a3"}
    best = rows["learner_a1"]["ei-quiz"]
    assert best.grade is not None and (best.grade.score, best.attempts) == (0.9, 2)  # highest
    assert rows["learner_a2"]["ei-quiz"] == reports.QuizResult(None, 0)
    with pytest.raises(NotAllowed):
        reports.quiz_grades(academy.learners["learner_a2"], academy.ids["ctp"])


def test_editing_a_question_leaves_old_attempts_as_taken(
    academy: Academy, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    learner = academy.learners["learner_a1"]
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    current.forget()
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    answer_all(learner, attempt, right=10)
    quizzes.finish_attempt(learner, attempt)
    before = quizzes.attempt_view(learner, attempt)
    edited = before.slots[0].question
    bank = content / "quizzes" / "banks" / "epistemic-insularity.yaml"
    data = yaml.safe_load(bank.read_text(encoding="utf-8"))
    for question in data["questions"]:
        if question["id"] == edited.id:  # the author rewrites the stem: a new version, a new hash
            question["stem"] = "(Revised) " + question["stem"]
    bank.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    current.forget()
    assert current.catalogue().questions[edited.id].content_hash != edited.content_hash
    after = quizzes.attempt_view(learner, attempt)
    assert after.slots[0].question.stem == edited.stem
    assert after.verdict == before.verdict and after.verdict is not None
    assert after.verdict.score == 1.0
    grade = quizzes.status(learner, "ei-quiz").grade
    assert grade is not None and grade.score == 1.0
    shutil.rmtree(content)
