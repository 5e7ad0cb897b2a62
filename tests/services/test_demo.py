"""The demo academy: attempts on every quiz, scored by the grading code, within the quizzes'
rules, with learners at risk, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from course import clock
from course.content.current import catalogue
from course.errors import Conflict
from course.learning import grading, quiz_rules, results
from course.services import accounts, demo, quizzes, reports, users, versions
from course.store import db
from course.store.models import (
    Answer,
    Attempt,
    Cohort,
    Enrolment,
    QuizVersion,
    ScenarioPlay,
    ScenarioStep,
    Section,
    User,
)
from tests.conftest import ADMIN

GRADED = ("ei-quiz", "coi-quiz", "ee-quiz", "final-assessment")


@pytest.fixture
def built(database: str) -> demo.DemoAcademy:
    return demo.build(ADMIN, learners=40, seed=7)


def learners_of(track: str) -> dict[str, int]:
    """Usernames and ids of the learners of the demo's cohort on a track."""
    with db.reading() as session:
        rows = session.execute(
            sa.select(User.username, User.id)
            .join(Enrolment, Enrolment.user_id == User.id)
            .join(Cohort, Cohort.id == Enrolment.cohort_id)
            .where(Enrolment.role == "learner", Cohort.track == track)
        ).all()
    return {username: user_id for username, user_id in rows}


def attempts_by_user() -> dict[int, list[Any]]:
    with db.reading() as session:
        rows = session.execute(
            sa.select(Attempt).order_by(Attempt.user_id, Attempt.quiz_id, Attempt.attempt_no)
        ).scalars()
        found: dict[int, list[Any]] = defaultdict(list)
        for attempt in rows:
            found[attempt.user_id].append(attempt)
    return found


def last_activity() -> dict[int, datetime]:
    """Each learner's latest stamp of any kind."""
    moments = [
        sa.select(Attempt.user_id, sa.func.max(Answer.answered_at))
        .join(Answer, Answer.attempt_id == Attempt.id)
        .group_by(Attempt.user_id),
        sa.select(Attempt.user_id, sa.func.max(Attempt.finished_at)).group_by(Attempt.user_id),
        sa.select(Attempt.user_id, sa.func.max(Attempt.started_at)).group_by(Attempt.user_id),
        sa.select(ScenarioPlay.user_id, sa.func.max(ScenarioPlay.started_at)).group_by(
            ScenarioPlay.user_id
        ),
        sa.select(ScenarioPlay.user_id, sa.func.max(ScenarioPlay.finished_at)).group_by(
            ScenarioPlay.user_id
        ),
        sa.select(ScenarioPlay.user_id, sa.func.max(ScenarioStep.chosen_at))
        .join(ScenarioStep, ScenarioStep.play_id == ScenarioPlay.id)
        .group_by(ScenarioPlay.user_id),
    ]
    latest: dict[int, datetime] = {}
    with db.reading() as session:
        for query in moments:
            for user_id, moment in session.execute(query).all():
                if moment is not None:
                    moment = clock.as_utc(moment)
                    latest[user_id] = max(latest.get(user_id, moment), moment)
    return latest


def test_every_probationer_who_started_has_graded_attempts(built: demo.DemoAcademy) -> None:
    probationers = learners_of("probationer")
    taken = attempts_by_user()
    assert built.not_started and set(built.not_started) <= set(probationers) | set(
        learners_of("refresher")
    )
    for username, user_id in probationers.items():
        quizzes_taken = {a.quiz_id for a in taken.get(user_id, [])}
        if username in built.not_started:
            assert not quizzes_taken, username
        elif username in built.inactive:  # stopped after the first graded quiz or later
            assert quizzes_taken & set(GRADED), username
        else:
            assert set(GRADED) <= quizzes_taken, username
            assert any(q.startswith("kc-") for q in quizzes_taken), username
    for username, user_id in learners_of("refresher").items():
        if username not in built.not_started:
            assert "refresher-review" in {a.quiz_id for a in taken[user_id]}, username


def test_scores_are_what_the_grading_code_gives(built: demo.DemoAcademy) -> None:
    with db.reading() as session:
        answers: dict[int, list[Answer]] = defaultdict(list)
        for answer in session.scalars(sa.select(Answer)):
            answers[answer.attempt_id].append(answer)
        attempts = session.scalars(sa.select(Attempt)).all()
        assert sum(len(a) for a in answers.values()) == built.answers
        assert len(attempts) == built.attempts
        for attempt in attempts:
            given = answers[attempt.id]
            for answer in given:
                entry = attempt.layout[answer.slot]
                assert (answer.question_id, answer.question_hash) == (
                    entry["question_id"],
                    entry["hash"],
                )
                question = versions.question(session, answer.question_hash)
                assert grading.grade(question, answer.response) == answer.score
                assert 0 <= answer.score <= 1
            if attempt.finished_at is None:
                assert attempt.score is None
                continue
            expected = results.score_attempt([a.score for a in given], len(attempt.layout))
            assert attempt.score == expected
            assert attempt.score is not None and 0 <= attempt.score <= 1
    scores = [a.score for a in attempts if a.score is not None]
    assert min(scores) < 0.5 < max(scores)  # a spread, not one score for all


def test_attempts_keep_each_quiz_rules(built: demo.DemoAcademy) -> None:
    now = clock.now()
    content = catalogue()
    with db.reading() as session:
        pinned = set(session.scalars(sa.select(QuizVersion.content_hash)))
        answered: dict[int, list[datetime]] = defaultdict(list)
        for attempt_id, moment in session.execute(sa.select(Answer.attempt_id, Answer.answered_at)):
            answered[attempt_id].append(clock.as_utc(moment))
    for user_attempts in attempts_by_user().values():
        numbers: dict[str, list[int]] = defaultdict(list)
        for attempt in user_attempts:
            quiz = content.quiz(attempt.quiz_id)
            numbers[quiz.id].append(attempt.attempt_no)
            assert attempt.quiz_hash == quiz.content_hash and attempt.quiz_hash in pinned
            assert len(attempt.layout) == quiz.size
            assert len({e["question_id"] for e in attempt.layout}) == quiz.size
            started = clock.as_utc(attempt.started_at)
            deadline = quiz_rules.deadline(quiz, started)
            stored = attempt.deadline_at and clock.as_utc(attempt.deadline_at)
            assert stored == deadline
            end = clock.as_utc(attempt.finished_at) if attempt.finished_at else now
            assert started <= end <= now
            if deadline is not None:
                assert end <= deadline
            assert all(started <= moment <= end for moment in answered[attempt.id])
        for quiz_id, taken in numbers.items():
            assert taken == list(range(1, len(taken) + 1))
            limit = content.quiz(quiz_id).attempts
            assert limit == 0 or len(taken) <= limit
    # somebody used every attempt of a limited quiz, and somebody retook one and did better
    counts = [
        sum(1 for a in attempts if a.quiz_id == "ei-quiz")
        for attempts in attempts_by_user().values()
    ]
    assert 3 in counts
    improved = [
        [a.score for a in attempts if a.quiz_id == quiz_id and a.score is not None]
        for attempts in attempts_by_user().values()
        for quiz_id in GRADED
    ]
    assert any(len(s) > 1 and max(s[1:]) > s[0] for s in improved)


def test_some_learners_are_at_risk(built: demo.DemoAcademy) -> None:
    now = clock.now()
    content = catalogue()
    ids = {**learners_of("probationer"), **learners_of("refresher")}
    latest = last_activity()
    assert all(moment <= now for moment in latest.values())
    assert built.not_started and built.inactive and built.struggling
    for username in built.not_started:
        assert ids[username] not in latest
    for username in built.inactive:
        assert latest[ids[username]] < now - timedelta(days=21)
    active = set(ids) - set(built.not_started) - set(built.inactive)
    assert all(latest[ids[u]] > now - timedelta(days=14) for u in active)
    below = []
    for user_id, attempts in attempts_by_user().items():
        for quiz_id in GRADED:
            scores = [a.score for a in attempts if a.quiz_id == quiz_id and a.score is not None]
            grade = results.quiz_grade(content.quiz(quiz_id).grading, scores)
            if grade is not None and not results.passed(content.quiz(quiz_id).pass_mark, grade):
                below.append(user_id)
    assert {ids[u] for u in built.struggling} & set(below)


def test_sections_are_large_enough_for_the_charts(built: demo.DemoAcademy) -> None:
    with db.reading() as session:
        sizes = session.execute(
            sa.select(Section.name, sa.func.count())
            .join(Enrolment, Enrolment.section_id == Section.id)
            .where(Enrolment.role == "learner")
            .group_by(Section.name)
        ).all()
    assert len(sizes) == 2 and all(size >= reports.MIN_GROUP for _, size in sizes)


def test_the_app_reads_the_attempts_as_if_taken(built: demo.DemoAcademy) -> None:
    """A learner sees their grade and their answers, as if they had taken the quizzes."""
    username = next(
        u
        for u in learners_of("probationer")
        if u not in built.not_started + built.inactive + built.struggling
    )
    learner = accounts.sign_in(username, built.password).actor
    status = quizzes.status(learner, "ei-quiz")
    assert status.grade is not None and status.used == len(status.scores)
    view = quizzes.attempt_by_number(learner, "ei-quiz", 1)
    assert view.finished and view.verdict is not None
    assert view.answered >= len(view.slots) - 1  # one in a hundred answers is left blank
    assert all(s.response is not None for s in view.slots if s.state == "answered")
    check = next(a.quiz_id for a in attempts_by_user()[learner.user_id] if a.quiz_id[:3] == "kc-")
    status = quizzes.status(learner, check)  # a knowledge check: no attempt limit
    assert status.used >= 1 and status.left is None and status.grade is not None


def test_the_demo_refuses_a_database_with_real_people(database: str) -> None:
    users.add(ADMIN, "head", "admin", full_name="Head of Academy", password="a-good-password-1")
    with pytest.raises(Conflict, match="real accounts"):
        demo.build(ADMIN, learners=5)
    with db.reading() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
        assert session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 0
