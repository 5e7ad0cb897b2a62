"""What trainers see: module completion per learner, and cohort-level scenario choices (n >= 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course.clock import as_utc
from course.content.current import catalogue
from course.errors import NotFound
from course.learning.attempts import quiz_grade
from course.services.access import Actor, staff_scope
from course.store.db import reading
from course.store.models import (
    Attempt,
    Cohort,
    Enrolment,
    ScenarioPlay,
    ScenarioStep,
    Section,
    User,
)

MIN_GROUP = 5  # scenario choices are shown only for groups at least this large


@dataclass(frozen=True)
class LearnerRow:
    user_id: int
    username: str
    full_name: str
    section: str | None
    modules: dict[str, datetime | None | str]  # module id -> finished at / "in progress" / None


@dataclass(frozen=True)
class Completion:
    cohort: str
    track: str
    sections: tuple[str, ...] | None  # None: the whole cohort is in view
    module_titles: dict[str, str]
    learners: tuple[LearnerRow, ...]


@dataclass(frozen=True)
class ChoiceCount:
    choice_id: str
    text: str
    grade: str
    learners: int


@dataclass(frozen=True)
class DecisionPoint:
    module_id: str
    module_title: str
    situation_id: str
    title: str
    learners: int
    choices: tuple[ChoiceCount, ...] | None  # None: fewer than MIN_GROUP learners, hidden


def _cohort(db: Session, cohort_id: int) -> Cohort:
    cohort = db.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("There is no such cohort.")
    return cohort


def _learners_in_scope(cohort_id: int, scope: set[int] | None) -> list[sa.ColumnElement[bool]]:
    """Conditions on Enrolment that select the cohort's learners in the sections in view."""
    conditions = [Enrolment.cohort_id == cohort_id, Enrolment.role == "learner"]
    if scope is not None:
        conditions.append(Enrolment.section_id.in_(scope))
    return conditions


def _learners_per(
    db: Session, cohort_id: int, scope: set[int] | None, *by: sa.ColumnElement[str]
) -> dict[tuple[str, ...], int]:
    """Distinct learners in view who made a scenario step, counted per `by` columns."""
    rows = db.execute(
        sa.select(*by, sa.func.count(sa.distinct(ScenarioPlay.user_id)))
        .join(ScenarioPlay, ScenarioPlay.id == ScenarioStep.play_id)
        .join(Enrolment, Enrolment.user_id == ScenarioPlay.user_id)
        .where(*_learners_in_scope(cohort_id, scope))
        .group_by(*by)
    ).all()
    return {tuple(row[:-1]): row[-1] for row in rows}


def completion(actor: Actor, cohort_id: int) -> Completion:
    """Each learner's module completion, for the sections the actor trains or views."""
    with reading() as db:
        scope = staff_scope(db, actor, cohort_id, ("trainer", "viewer"))
        cohort = _cohort(db, cohort_id)
        modules = catalogue().track_modules(cohort.track)
        learners = db.execute(
            sa.select(User.id, User.username, User.full_name, Section.name)
            .join(Enrolment, Enrolment.user_id == User.id)
            .outerjoin(Section, Section.id == Enrolment.section_id)
            .where(*_learners_in_scope(cohort_id, scope))
            .order_by(Section.name, User.full_name)
        ).all()
        plays = db.execute(
            sa.select(
                ScenarioPlay.user_id,
                ScenarioPlay.module_id,
                sa.func.min(ScenarioPlay.finished_at),
            )
            .join(Enrolment, Enrolment.user_id == ScenarioPlay.user_id)
            .where(*_learners_in_scope(cohort_id, scope))
            .group_by(ScenarioPlay.user_id, ScenarioPlay.module_id)
        ).all()
        sections = None
        if scope is not None:
            sections = tuple(db.scalars(sa.select(Section.name).where(Section.id.in_(scope))))
    state: dict[tuple[int, str], datetime | str] = {
        (user_id, module_id): as_utc(done) if done else "in progress"
        for user_id, module_id, done in plays
    }
    rows = tuple(
        LearnerRow(
            user_id=user_id,
            username=username,
            full_name=full_name,
            section=section,
            modules={m.id: state.get((user_id, m.id)) for m in modules},
        )
        for user_id, username, full_name, section in learners
    )
    return Completion(
        cohort=cohort.name,
        track=cohort.track,
        sections=sections,
        module_titles={m.id: m.title for m in modules},
        learners=rows,
    )


@dataclass(frozen=True)
class QuizGrades:
    quizzes: dict[str, str]  # quiz id -> title, in track order
    pass_marks: dict[str, float]
    learners: tuple[tuple[str, str, dict[str, tuple[float | None, int]]], ...]
    # (username, full name, quiz id -> (grade by the quiz's method, attempts finished))


def quiz_grades(actor: Actor, cohort_id: int) -> QuizGrades:
    """Each learner's grade on each quiz that counts (summative: trainers and viewers see it)."""
    with reading() as db:
        scope = staff_scope(db, actor, cohort_id, ("trainer", "viewer"))
        cohort = _cohort(db, cohort_id)
        learners = db.execute(
            sa.select(User.id, User.username, User.full_name)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(*_learners_in_scope(cohort_id, scope))
            .order_by(User.full_name)
        ).all()
        finished = db.execute(
            sa.select(Attempt.user_id, Attempt.quiz_id, Attempt.score)
            .join(Enrolment, Enrolment.user_id == Attempt.user_id)
            .where(*_learners_in_scope(cohort_id, scope), Attempt.finished_at.is_not(None))
            .order_by(Attempt.user_id, Attempt.quiz_id, Attempt.attempt_no)
        ).all()
    track = catalogue().track(cohort.track)
    quizzes = [catalogue().quiz(q) for q in track.quizzes]
    scores: dict[tuple[int, str], list[float]] = {}
    for user_id, quiz_id, score in finished:
        scores.setdefault((user_id, quiz_id), []).append(score)
    rows = tuple(
        (
            username,
            full_name,
            {
                q.id: (
                    quiz_grade(q.grading, scores.get((user_id, q.id), [])),
                    len(scores.get((user_id, q.id), [])),
                )
                for q in quizzes
            },
        )
        for user_id, username, full_name in learners
    )
    return QuizGrades(
        quizzes={q.id: q.title for q in quizzes},
        pass_marks={q.id: q.pass_mark for q in quizzes},
        learners=rows,
    )


def choice_distribution(actor: Actor, cohort_id: int) -> list[DecisionPoint]:
    """How the cohort chose at each decision point: counts of learners, hidden below MIN_GROUP."""
    with reading() as db:
        scope = staff_scope(db, actor, cohort_id, ("trainer",))
        cohort = _cohort(db, cohort_id)
        step = (ScenarioStep.module_id, ScenarioStep.situation_id)
        counts = _learners_per(db, cohort_id, scope, *step, ScenarioStep.choice_id)
        reached = _learners_per(db, cohort_id, scope, *step)
    points = []
    for module in catalogue().track_modules(cohort.track):
        for situation in module.scenario.situations:
            if situation.ending:
                continue
            learners = reached.get((module.id, situation.id), 0)
            choices = None
            if learners >= MIN_GROUP:
                choices = tuple(
                    ChoiceCount(
                        c.id,
                        c.text,
                        c.grade,
                        counts.get((module.id, situation.id, c.id), 0),
                    )
                    for c in situation.choices
                )
            points.append(
                DecisionPoint(
                    module.id,
                    module.title,
                    situation.id,
                    situation.title,
                    learners,
                    choices,
                )
            )
    return points
