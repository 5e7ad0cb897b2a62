"""What trainers see: module completion per learner, and cohort-level scenario choices (n >= 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course.content.current import catalogue
from course.content.schema import Quiz
from course.errors import NotAllowed, NotFound
from course.learning import results
from course.learning import scenario as walking
from course.services.access import Actor, acting, learners_in_view, staff_scope
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

MIN_GROUP = 5  # scenario choices, and how many learners reached a point, need a group this large
VIEWERS_REFUSED = (
    "Scenario choices are shown to the cohort's trainers only; viewers see completion and quiz "
    "grades."
)


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
    # None: fewer than MIN_GROUP learners reached it. The count itself is hidden too, or the
    # counts of points reachable only through one choice would rebuild the hidden totals.
    learners: int | None
    choices: tuple[ChoiceCount, ...] | None


def _cohort(db: Session, cohort_id: int) -> Cohort:
    cohort = db.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("There is no such cohort.")
    return cohort


def _learners_per(
    db: Session, cohort_id: int, scope: set[int] | None, *by: sa.orm.InstrumentedAttribute[str]
) -> dict[tuple[str, ...], int]:
    """Distinct learners in view who made a scenario step, counted per `by` columns."""
    rows = db.execute(
        sa.select(*by, sa.func.count(sa.distinct(ScenarioPlay.user_id)))
        .join(ScenarioPlay, ScenarioPlay.id == ScenarioStep.play_id)
        .join(Enrolment, Enrolment.user_id == ScenarioPlay.user_id)
        .where(learners_in_view(cohort_id, scope))
        .group_by(*by)
    ).all()
    return {tuple(row[:-1]): int(row[-1]) for row in rows}


def completion(actor: Actor, cohort_id: int) -> Completion:
    """Each learner's module completion, for the sections the actor trains or views."""
    with reading() as db:
        scope = staff_scope(db, acting(db, actor), cohort_id, ("trainer", "viewer"))
        cohort = _cohort(db, cohort_id)
        modules = catalogue().track_modules(cohort.track)
        learners = db.execute(
            sa.select(User.id, User.username, User.full_name, Section.name)
            .join(Enrolment, Enrolment.user_id == User.id)
            .outerjoin(Section, Section.id == Enrolment.section_id)
            .where(learners_in_view(cohort_id, scope))
            .order_by(Section.name, User.full_name)
        ).all()
        plays = db.execute(
            sa.select(
                ScenarioPlay.user_id,
                ScenarioPlay.module_id,
                sa.func.min(ScenarioPlay.finished_at),
            )
            .join(Enrolment, Enrolment.user_id == ScenarioPlay.user_id)
            .where(learners_in_view(cohort_id, scope))
            .group_by(ScenarioPlay.user_id, ScenarioPlay.module_id)
        ).all()
        sections = None
        if scope is not None:
            sections = tuple(db.scalars(sa.select(Section.name).where(Section.id.in_(scope))))
    state: dict[tuple[int, str], datetime | str] = {
        (user_id, module_id): done if done else "in progress" for user_id, module_id, done in plays
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
class QuizResult:
    grade: results.Verdict | None  # by the quiz's grading method; None before any attempt
    attempts: int  # finished attempts


@dataclass(frozen=True)
class LearnerGrades:
    username: str
    full_name: str
    results: dict[str, QuizResult]  # quiz id -> result


@dataclass(frozen=True)
class QuizGrades:
    quizzes: dict[str, str]  # quiz id -> title, in track order
    learners: tuple[LearnerGrades, ...]


def quiz_grades(actor: Actor, cohort_id: int) -> QuizGrades:
    """Each learner's grade on each quiz that counts (summative: trainers and viewers see it)."""
    with reading() as db:
        scope = staff_scope(db, acting(db, actor), cohort_id, ("trainer", "viewer"))
        cohort = _cohort(db, cohort_id)
        learners = db.execute(
            sa.select(User.id, User.username, User.full_name)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(learners_in_view(cohort_id, scope))
            .order_by(User.full_name)
        ).all()
        finished = db.execute(
            sa.select(Attempt.user_id, Attempt.quiz_id, Attempt.score)
            .join(Enrolment, Enrolment.user_id == Attempt.user_id)
            .where(learners_in_view(cohort_id, scope), Attempt.finished_at.is_not(None))
            .order_by(Attempt.user_id, Attempt.quiz_id, Attempt.attempt_no)
        ).all()
    track = catalogue().track(cohort.track)
    quizzes = [catalogue().quiz(q) for q in track.quizzes]
    scores: dict[tuple[int, str], list[float]] = {}
    for user_id, quiz_id, score in finished:
        if score is not None:  # a finished attempt always has one
            scores.setdefault((user_id, quiz_id), []).append(score)

    def result(user_id: int, quiz: Quiz) -> QuizResult:
        taken = scores.get((user_id, quiz.id), [])
        grade = results.quiz_grade(quiz.grading, taken)
        return QuizResult(results.verdict(quiz, grade) if grade is not None else None, len(taken))

    rows = tuple(
        LearnerGrades(username, full_name, {q.id: result(user_id, q) for q in quizzes})
        for user_id, username, full_name in learners
    )
    return QuizGrades(quizzes={q.id: q.title for q in quizzes}, learners=rows)


def choice_distribution(actor: Actor, cohort_id: int) -> list[DecisionPoint]:
    """How the cohort chose at each decision point: counts of learners, hidden below MIN_GROUP."""
    with reading() as db:
        me = acting(db, actor)
        try:
            scope = staff_scope(db, me, cohort_id, ("trainer",))
        except NotAllowed:
            staff_scope(db, me, cohort_id, ("viewer",))  # not a viewer either: that refusal
            raise NotAllowed(VIEWERS_REFUSED) from None
        cohort = _cohort(db, cohort_id)
        step = (ScenarioStep.module_id, ScenarioStep.situation_id)
        counts = _learners_per(db, cohort_id, scope, *step, ScenarioStep.choice_id)
        reached = _learners_per(db, cohort_id, scope, *step)
    points = []
    for module in catalogue().track_modules(cohort.track):
        for situation in module.scenario.situations:
            if situation.ending:
                continue
            where = (module.id, situation.id)
            reach = reached.get(where, 0)
            shown = reach >= MIN_GROUP
            choices = None
            if shown:
                choices = tuple(
                    ChoiceCount(
                        c.id, c.text, c.grade, counts.get((module.id, situation.id, c.id), 0)
                    )
                    # best first: the file's order means nothing, and learners saw their own
                    for c in sorted(
                        situation.choices, key=lambda c: walking.GRADE_ORDER.index(c.grade)
                    )
                )
            points.append(
                DecisionPoint(
                    module.id,
                    module.title,
                    situation.id,
                    situation.title,
                    reach if shown else None,
                    choices,
                )
            )
    return points
