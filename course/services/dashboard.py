"""The trainer's cohort dashboard: who needs attention, scores, progress, mastery, one learner's
record and the sections side by side, each call a handful of grouped queries.

Who sees what (the rules of DESIGN.md, "Stakes"):
- trainers see their own sections, administrators every section; both see learners one by one
  (`attention`'s list, `mastery_matrix`, `learner_record`);
- viewers see totals only: the per-learner calls refuse them and `attention` leaves its list out;
- every total about fewer than `MIN_GROUP` learners is None, its count included;
- scenario choices and reflections never appear here, not even in one learner's record.

What counts: a learner's grade on a quiz is worked out as `reports.quiz_grades` does (finished
attempts, the quiz's grading method: the best score for every quiz the course ships); item scores
are the answers in finished attempts at the track's graded quizzes. docs/dashboard.md says what
each number means.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock, config
from course.content.current import catalogue
from course.content.schema import (
    COMPETENCY_TITLES,
    Matching,
    Module,
    MultipleResponse,
    Question,
    Quiz,
    SingleChoice,
    Track,
    TrueFalse,
)
from course.errors import BadInput, NotAllowed, NotFound
from course.learning import distribution, results
from course.learning.mastery import HALF_LIFE_WEEKS, WeekTotal, decaying_mastery
from course.learning.review import correctness_word
from course.learning.spacing import Review, reviews_from_answers
from course.services import audit, due, report_cache, review_history, versions
from course.services.access import (
    Actor,
    acting,
    learners_in_view,
    staff_cohort_ids,
    staff_scope,
)
from course.services.reports import MIN_GROUP
from course.store.db import reading, transaction
from course.store.models import (
    Answer,
    Attempt,
    Cohort,
    Enrolment,
    ScenarioPlay,
    ScenarioStep,
    Section,
    User,
)

if TYPE_CHECKING:
    from course.services.item_analysis import WorstItem

T = TypeVar("T")
MAX_PAGE = 500
NO_SECTION = "No section"
TOTALS_ONLY = (
    "Viewers see the cohort's totals; learners one by one are shown to their trainers only."
)
NO_SUCH_LEARNER = "There is no such learner in the sections you train."
WEEK_SECONDS = 7 * 24 * 3600


# ---- what the page gets ----


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a sorted list of learners, and how many there are in all."""

    items: tuple[T, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class Concern:
    kind: Literal["below pass mark", "not started", "inactive", "review due"]
    text: str  # a sentence the trainer can act on
    quiz_id: str | None = None  # the quiz, for "below pass mark"


@dataclass(frozen=True)
class AtRisk:
    user_id: int
    username: str
    full_name: str
    section: str | None
    concerns: tuple[Concern, ...]
    last_active: datetime | None  # None: nothing done yet


@dataclass(frozen=True)
class RiskCounts:
    """Learners in view with each concern (a learner may have several)."""

    below_pass_mark: int
    not_started: int
    inactive: int
    any: int
    review_due: int = 0  # officers (the refresher track) with a competency's review due


@dataclass(frozen=True)
class CompetencyScore:
    competency: str
    title: str
    mean: float  # mean item score, 0..1
    answers: int
    learners: int  # finished an attempt at a quiz asking about it (MIN_GROUP or more)


@dataclass(frozen=True)
class Attention:
    learners: int | None  # learners in view; None under MIN_GROUP
    inactive_days: int
    at_risk: Page[AtRisk] | None  # None for viewers (totals only)
    counts: RiskCounts | None  # None under MIN_GROUP learners in view
    competencies: tuple[CompetencyScore, ...]  # answered by MIN_GROUP or more, weakest first
    weakest: CompetencyScore | None
    worst_items: tuple[WorstItem, ...]  # item_analysis.worst_items; empty when asked for none


@dataclass(frozen=True)
class Bin:
    low: float  # 0.0, 0.1, ... 0.9; each bin holds its low end, the last also 1.0
    high: float
    learners: int


@dataclass(frozen=True)
class Distribution:
    """Each learner's grade on a quiz (one value per learner, by the quiz's grading method)."""

    learners: int
    passed: int
    mean: float
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float
    bins: tuple[Bin, ...]


@dataclass(frozen=True)
class QuizScores:
    quiz_id: str
    title: str
    pass_mark: float  # 0..1, to mark on the chart
    grading: str  # highest / last / first / average
    scores: Distribution | None  # None: fewer than MIN_GROUP learners have a grade
    # attempts[k]: learners in view with k finished attempts; None under MIN_GROUP in view
    attempts: tuple[int, ...] | None


@dataclass(frozen=True)
class ModuleProgress:
    module_id: str
    title: str
    started: int | None  # learners with a play; None under MIN_GROUP in view
    finished: int | None  # learners with a finished play
    median_minutes: float | None  # first plays, when finished; None under MIN_GROUP timed


@dataclass(frozen=True)
class QuizTime:
    quiz_id: str
    title: str
    median_minutes: float | None  # first attempts, when finished; None under MIN_GROUP timed


@dataclass(frozen=True)
class Progress:
    learners: int | None  # in view; None under MIN_GROUP
    modules: tuple[ModuleProgress, ...]  # in track order: a funnel
    quizzes: tuple[QuizTime, ...]


@dataclass(frozen=True)
class WeekPoint:
    week_start: date  # the Monday (academy time zone) the week begins
    mastery: float | None  # None: answers of fewer than MIN_GROUP learners so far


@dataclass(frozen=True)
class CompetencyTrend:
    competency: str
    title: str
    mean: float | None  # plain mean of every item score; None under MIN_GROUP learners
    learners: int | None
    weeks: tuple[WeekPoint, ...]  # the same weeks for every competency


@dataclass(frozen=True)
class Mastery:
    half_life_weeks: float
    competencies: tuple[CompetencyTrend, ...]


@dataclass(frozen=True)
class LearnerMastery:
    user_id: int
    username: str
    full_name: str
    section: str | None
    scores: dict[str, float | None]  # competency -> mean item score; None: no answers yet
    answers: dict[str, int]


@dataclass(frozen=True)
class MasteryMatrix:
    competencies: dict[str, str]  # competency -> title: the matrix's columns
    learners: Page[LearnerMastery]  # sorted by full name


@dataclass(frozen=True)
class AnswerRecord:
    number: int  # 1-based, as the learner saw it
    question_id: str
    competency: str | None
    stem: str  # author Markdown, in the version the attempt was taken in
    state: results.AnswerState
    score: float | None  # None: not answered
    correctness: str  # Correct / Partly correct / Incorrect / Not answered
    given: tuple[str, ...]  # what the learner chose, in words
    feedback: tuple[str, ...]  # the feedback for what they chose
    misconceptions: tuple[str, ...]  # named by the wrong options they chose
    key: tuple[str, ...]  # the right answer, in words


@dataclass(frozen=True)
class AttemptRecord:
    attempt_id: int
    quiz_id: str
    quiz_title: str
    attempt_no: int
    started_at: datetime
    finished_at: datetime | None  # None: still open
    verdict: results.Verdict | None  # None while open
    answers: tuple[AnswerRecord, ...]


@dataclass(frozen=True)
class ModuleRecord:
    module_id: str
    title: str
    status: Literal["not started", "in progress", "completed"]
    completed_at: datetime | None


@dataclass(frozen=True)
class LearnerRecord:
    user_id: int
    username: str
    full_name: str
    section: str | None
    modules: tuple[ModuleRecord, ...]  # completion only: choices and reflections stay private
    attempts: tuple[AttemptRecord, ...]  # the track's quizzes, in track order, oldest first


@dataclass(frozen=True)
class GroupSummary:
    cohort_id: int
    cohort: str
    section: str | None  # None: the cohort's row (its sections in view, added up)
    learners: int | None  # None under MIN_GROUP, and so is every other number
    completion: float | None  # finished (learner, module) pairs / (learners x modules)
    completed_all: float | None  # share of learners who finished every module
    mean_grade: dict[str, float | None]  # quiz id -> mean grade (None: under MIN_GROUP graded)


@dataclass(frozen=True)
class Comparison:
    quizzes: dict[str, str]  # quiz id -> title, every cohort's track in turn
    sections: tuple[GroupSummary, ...]  # this cohort's sections in view, by name
    cohorts: tuple[GroupSummary, ...]  # every cohort the actor can see, this one included


# ---- who is acting, and on which learners ----


@dataclass(frozen=True)
class _Sight:
    me: Actor
    cohort_id: int
    cohort: str
    track: Track
    scope: set[int] | None  # sections in view; None: the whole cohort
    trains: bool  # sees learners one by one (trainers, administrators)


def _sight(db: Session, actor: Actor, cohort_id: int) -> _Sight:
    me = acting(db, actor)
    scope = staff_scope(db, me, cohort_id, ("trainer", "viewer"))  # refuses everyone else
    trains = True
    if not me.is_admin:
        try:
            scope = staff_scope(db, me, cohort_id, ("trainer",))
        except NotAllowed:
            trains = False
    cohort = db.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("There is no such cohort.")
    return _Sight(me, cohort_id, cohort.name, catalogue().track(cohort.track), scope, trains)


def _trainer_only(sight: _Sight) -> None:
    if not sight.trains:
        raise NotAllowed(TOTALS_ONLY)


def _learner_ids(sight: _Sight) -> sa.Select[Any]:
    """The ids of the learners in view, to look attempts and plays up by (IN): both databases
    then read them learner by learner from the covering indexes."""
    return sa.select(Enrolment.user_id).where(learners_in_view(sight.cohort_id, sight.scope))


def _window(offset: int, limit: int) -> None:
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise BadInput(f"Ask for 1 to {MAX_PAGE} learners at a time, from position 0 on.")


def _shown(count: int) -> int | None:
    return count if count >= MIN_GROUP else None


# ---- content of a track ----


def _modules(track: Track) -> list[Module]:
    return catalogue().track_modules(track.id)


def _graded(track: Track) -> list[Quiz]:
    """The track's quizzes that count, in track order."""
    quizzes = catalogue().quizzes
    return [quizzes[q] for q in track.quizzes if q in quizzes and quizzes[q].graded]


def _competency(question_id: sa.orm.InstrumentedAttribute[str]) -> sa.ColumnElement[str | None]:
    """The question's competency, by the catalogue's map pushed into SQL (one IN per
    competency, which both databases look up quickly)."""
    ids: dict[str, list[str]] = defaultdict(list)
    for question, competency in catalogue().competency_of.items():
        ids[competency].append(question)
    return sa.case(
        *((question_id.in_(sorted(qs)), competency) for competency, qs in sorted(ids.items())),
        else_=sa.null(),
    )


# ---- time in SQL (the two databases spell it differently) ----


def _sqlite(db: Session) -> bool:
    return db.get_bind().dialect.name == "sqlite"


def _seconds(db: Session, moment: Any) -> sa.ColumnElement[float]:
    """Seconds since 1970 of a stored moment (stored in UTC)."""
    if _sqlite(db):
        return (sa.func.julianday(moment) - 2440587.5) * 86400.0
    return sa.type_coerce(sa.extract("epoch", moment), sa.Float)


def _whole(db: Session, value: sa.ColumnElement[float]) -> sa.ColumnElement[int]:
    """Rounded down (the values here are never negative, so SQLite's CAST does it)."""
    if _sqlite(db):
        return sa.cast(value, sa.Integer)
    return sa.cast(sa.func.floor(value), sa.Integer)


# SQLite's julianday carries float noise (14 minutes come out as 13.99999...): half a second of
# slack before rounding down keeps whole minutes and Monday midnights on the right side
SLACK = 0.5


def _minutes(db: Session, start: Any, end: Any) -> sa.ColumnElement[int]:
    return _whole(db, (_seconds(db, end) - _seconds(db, start) + SLACK) / 60.0)


def _week_origin() -> datetime:
    """A Monday at midnight in the academy's time zone: weeks are counted from it."""
    return datetime(2000, 1, 3, tzinfo=config.timezone())


def _week(db: Session, moment: Any) -> sa.ColumnElement[int]:
    since = _seconds(db, moment) - _week_origin().timestamp() + SLACK
    return _whole(db, since / WEEK_SECONDS)


def _week_start(week: int) -> date:
    return (_week_origin() + timedelta(weeks=week)).date()


# ---- shared queries ----


def _grades(where: sa.ColumnElement[bool], quizzes: Iterable[Quiz]) -> sa.Subquery:
    """One row per learner and quiz with a finished attempt: attempts and the grade, by the
    quiz's grading method (as `results.quiz_grade`, before rounding an average)."""
    by_method: dict[str, list[str]] = defaultdict(list)
    for quiz in quizzes:
        by_method[quiz.grading].append(quiz.id)
    ordered = (Enrolment.cohort_id, Attempt.user_id, Attempt.quiz_id)
    # numbering the attempts costs a sort: only quizzes graded by first or last need it
    numbers = [
        sa.func.row_number().over(partition_by=ordered, order_by=order).label(name)
        for name, order in (("first", Attempt.attempt_no), ("last", Attempt.attempt_no.desc()))
        if by_method[name]
    ]
    numbered = (
        sa.select(
            Enrolment.cohort_id,
            Enrolment.section_id,
            Attempt.user_id,
            Attempt.quiz_id,
            Attempt.score,
            *numbers,
        )
        .join(Enrolment, Enrolment.user_id == Attempt.user_id)
        .where(where, Attempt.finished_at.is_not(None))
        .subquery()
    )
    c = numbered.c
    whens: list[tuple[sa.ColumnElement[bool], sa.ColumnElement[Any]]] = []
    if by_method["average"]:
        whens.append((c.quiz_id.in_(by_method["average"]), sa.func.avg(c.score)))
    for name in ("first", "last"):
        if by_method[name]:
            nth = sa.func.max(sa.case((c[name] == 1, c.score)))
            whens.append((c.quiz_id.in_(by_method[name]), nth))
    best = sa.func.max(c.score)
    grade = sa.case(*whens, else_=best) if whens else best
    group = (c.cohort_id, c.section_id, c.user_id, c.quiz_id)
    return (
        sa.select(*group, sa.func.count().label("attempts"), grade.label("grade"))
        .group_by(*group)
        .subquery()
    )


def _scored_answers(
    sight: _Sight, learners: Sequence[int]
) -> tuple[sa.Subquery, sa.ColumnElement[bool]]:
    """Item scores of some learners in view, with their competency (a CASE on each answer: for
    a page of learners, not a cohort). Grouping happens over this subquery, so the CASE (with
    its parameters) is written once; PostgreSQL would not match it in a GROUP BY otherwise."""
    rows = (
        sa.select(
            Attempt.user_id, _competency(Answer.question_id).label("competency"), Answer.score
        )
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Enrolment, Enrolment.user_id == Attempt.user_id)
        .where(
            learners_in_view(sight.cohort_id, sight.scope),
            *_counted(sight.track),
            Attempt.user_id.in_(learners),
        )
        .subquery()
    )
    return rows, rows.c.competency.is_not(None)


def _item_totals(
    db: Session, sight: _Sight, *, weekly: bool = False
) -> dict[tuple[str, int], tuple[float, int]]:
    """(competency, week) -> (sum of item scores, answers); the week is 0 unless `weekly`.

    The database groups the answers by question (and by the week their attempt finished, worked
    out once per attempt), reading them from ix_answer_attempt_marks alone; each question's
    competency is then looked up once per grouped row, which costs a third of a CASE on every
    answer."""
    week = [_week(db, Attempt.finished_at).label("week")] if weekly else []
    counted = (
        sa.select(Attempt.id, *week)
        .where(Attempt.user_id.in_(_learner_ids(sight)), *_counted(sight.track))
        .subquery("counted")
    )
    keys = (Answer.question_id, counted.c.week) if weekly else (Answer.question_id,)
    rows = db.execute(
        sa.select(*keys, sa.func.sum(Answer.score), sa.func.count())
        .select_from(counted)
        .join(Answer, Answer.attempt_id == counted.c.id)
        .group_by(*keys)
    ).all()
    competency_of = catalogue().competency_of
    totals: dict[tuple[str, int], tuple[float, int]] = {}
    for row in rows:
        competency = competency_of.get(row[0])
        if competency is None:  # a question no longer in the catalogue
            continue
        key = (competency, int(row[1]) if weekly else 0)
        before = totals.get(key, (0.0, 0))
        totals[key] = (before[0] + float(row[-2]), before[1] + int(row[-1]))
    return totals


def _counted(track: Track) -> list[sa.ColumnElement[bool]]:
    """Conditions on Attempt: finished, at one of the track's graded quizzes."""
    return [Attempt.finished_at.is_not(None), _taking(_graded(track))]


def _asks_about(quiz: Quiz) -> set[str]:
    """The competencies a quiz asks about: those it draws from, and its fixed questions'."""
    competency_of = catalogue().competency_of
    return {d.competency for d in quiz.draws} | {
        competency_of[q] for q in quiz.questions if q in competency_of
    }


def _learners_per_competency(track: Track, took: dict[str, set[int]]) -> dict[str, int]:
    """Learners with a finished attempt at a quiz asking about each competency (`took`: quiz id
    -> learners)."""
    learners: dict[str, set[int]] = defaultdict(set)
    for quiz in _graded(track):
        for competency in _asks_about(quiz):
            learners[competency] |= took.get(quiz.id, set())
    return {c: len(people) for c, people in learners.items()}


def _learner_rows(
    db: Session, sight: _Sight, *, offset: int | None = None, limit: int | None = None
) -> tuple[list[Any], int]:
    """Learners in view sorted by name (id, username, full_name, section), and how many."""
    query = (
        sa.select(User.id, User.username, User.full_name, Section.name.label("section"))
        .join(Enrolment, Enrolment.user_id == User.id)
        .outerjoin(Section, Section.id == Enrolment.section_id)
        .where(learners_in_view(sight.cohort_id, sight.scope))
        .order_by(User.full_name, User.username, User.id)
    )
    if offset is None:
        rows = list(db.execute(query).all())
        return rows, len(rows)
    total = db.scalar(
        sa.select(sa.func.count())
        .select_from(Enrolment)
        .where(learners_in_view(sight.cohort_id, sight.scope))
    )
    return list(db.execute(query.offset(offset).limit(limit)).all()), int(total or 0)


def _learners_in_view(db: Session, sight: _Sight) -> int:
    count = db.scalar(
        sa.select(sa.func.count())
        .select_from(Enrolment)
        .where(learners_in_view(sight.cohort_id, sight.scope))
    )
    return int(count or 0)


# ---- what needs attention ----


def attention(
    actor: Actor,
    cohort_id: int,
    *,
    inactive_days: int = 14,
    offset: int = 0,
    limit: int = 50,
    worst: int = 3,
) -> Attention:
    """Learners at risk, each with why, the weakest competency, and the `worst` items (from
    item analysis; 0 leaves them out).

    A learner in view is at risk when:
    - below pass mark: their grade on a graded quiz of the track (by its grading method, over
      finished attempts) is under the quiz's pass mark, one concern per quiz;
    - not started: no play of a track module and no attempt at a track quiz or a module's
      knowledge check;
    - inactive: their last activity (the latest attempt start or finish, answer, play start or
      finish, scenario step) is `inactive_days` or more ago, unless they have finished every
      module and passed every graded quiz;
    - review due (the refresher track): a competency's review is due by the interval ladder
      (course/services/due.py), for an officer who has started.
    The list is sorted most concerns first, then least recently active, then by name; viewers
    get the counts without it. The weakest competency has the lowest mean item score among those
    with MIN_GROUP learners or more behind them (learners who finished an attempt at a quiz
    asking about it).
    """
    if inactive_days < 1 or worst < 0:
        raise BadInput("Count inactivity in whole days from 1, and worst items from 0.")
    _window(offset, limit)
    now = clock.now()
    with reading() as db:
        sight = _sight(db, actor, cohort_id)
        learners, total = _learner_rows(db, sight)
        kept = report_cache.kept(
            db, ("attention",), sight.cohort_id, sight.scope, lambda: _kept_attention(db, sight)
        )
        answering = _open_answers(db, sight)
    below, passed_all, took = kept.below, kept.passed_all, kept.took
    last_active, finished_all, totals = dict(kept.last_active), kept.finished_all, kept.totals
    for user_id, answered in answering.items():
        last_active[user_id] = max(answered, last_active.get(user_id, answered))
    since = now - timedelta(days=inactive_days)
    done = finished_all & passed_all if _graded(sight.track) else finished_all
    risky: list[AtRisk] = []
    for row in learners:
        concerns = list(below.get(row.id, ()))
        active = last_active.get(row.id)
        if active is None:
            concerns.append(Concern("not started", "Has not started any module or quiz."))
        elif active <= since and row.id not in done:
            days = (now - active).days
            plural = "" if days == 1 else "s"
            concerns.append(Concern("inactive", f"Nothing done for {days} day{plural}."))
        if active is not None and (reviews := kept.reviews.get(row.id)) is not None:
            concerns.extend(_reviews_due(reviews, now))
        if concerns:
            risky.append(
                AtRisk(row.id, row.username, row.full_name, row.section, tuple(concerns), active)
            )
    never = datetime.min.replace(tzinfo=now.tzinfo)
    risky.sort(key=lambda r: (-len(r.concerns), r.last_active or never, r.full_name, r.username))
    ranked = _competency_scores(totals, _learners_per_competency(sight.track, took))
    return Attention(
        learners=_shown(total),
        inactive_days=inactive_days,
        at_risk=(
            Page(tuple(risky[offset : offset + limit]), len(risky), offset, limit)
            if sight.trains
            else None
        ),
        counts=_risk_counts(risky) if total >= MIN_GROUP else None,
        competencies=ranked,
        weakest=ranked[0] if ranked else None,
        worst_items=_worst_items(actor, cohort_id, worst) if worst else (),
    )


@dataclass(frozen=True)
class _KeptAttention:
    """What `attention` reads that only changes with the report fingerprint (the clock is
    applied after, and answers in open attempts are read live: see `_open_answers`)."""

    below: dict[int, list[Concern]]
    passed_all: set[int]
    took: dict[str, set[int]]
    last_active: dict[int, datetime]
    finished_all: set[int]
    totals: dict[tuple[str, int], tuple[float, int]]
    # officers (refresher track) -> competency -> their reviews; no entry: not an officer
    reviews: dict[int, dict[str, list[Review]]]


def _kept_attention(db: Session, sight: _Sight) -> _KeptAttention:
    below, passed_all, took = _standing(db, sight)
    last_active, finished_all = _activity(db, sight)
    reviews: dict[int, dict[str, list[Review]]] = {}
    if sight.track.id == due.REFRESHER:
        answers = review_history.review_answers(db, _learner_ids(sight))
        competency_of = catalogue().competency_of
        reviews = {
            user_id: reviews_from_answers(answers.get(user_id, []), competency_of)[0]
            for user_id in db.scalars(_learner_ids(sight))
        }
    return _KeptAttention(
        below, passed_all, took, last_active, finished_all, _item_totals(db, sight), reviews
    )


def _reviews_due(reviews: dict[str, list[Review]], now: datetime) -> list[Concern]:
    """One concern naming each competency whose review is due, most overdue first."""
    due_now = [c for c in due.due_competencies(reviews) if c.schedule.is_due(now)]
    if not due_now:
        return []
    never = datetime.min.replace(tzinfo=now.tzinfo)
    due_now.sort(key=lambda c: c.schedule.due_at or never)

    def since(when: datetime | None) -> str:
        return "never reviewed" if when is None else f"due since {when:%d %b %Y}"

    parts = [f"{c.title} ({since(c.schedule.due_at)})" for c in due_now]
    return [Concern("review due", f"Review due: {', '.join(parts)}.")]


def _worst_items(actor: Actor, cohort_id: int, count: int) -> tuple[WorstItem, ...]:
    # Item analysis ranks the items and checks the actor itself (trainers and viewers alike);
    # imported here so that neither service module needs the other to load.
    from course.services import item_analysis

    return tuple(item_analysis.worst_items(actor, cohort_id, count=count))


def _standing(
    db: Session, sight: _Sight
) -> tuple[dict[int, list[Concern]], set[int], dict[str, set[int]]]:
    """Per learner, a concern for each graded quiz whose grade is under its pass mark (in track
    order); the learners who passed every graded quiz of the track; and per quiz, the learners
    with a finished attempt."""
    quizzes = _graded(sight.track)
    order = {q.id: n for n, q in enumerate(quizzes)}
    by_id = {q.id: q for q in quizzes}
    grades = _grades(
        sa.and_(learners_in_view(sight.cohort_id, sight.scope), _taking(quizzes)), quizzes
    )
    concerns: dict[int, list[Concern]] = defaultdict(list)
    passed: dict[int, int] = defaultdict(int)
    took: dict[str, set[int]] = defaultdict(set)
    for user_id, quiz_id, attempts, grade in db.execute(
        sa.select(grades.c.user_id, grades.c.quiz_id, grades.c.attempts, grades.c.grade)
    ):
        took[quiz_id].add(user_id)
        quiz = by_id[quiz_id]
        score = round(float(grade), 4)
        if results.passed(quiz.pass_mark, score):  # the verdict's words only for the others
            passed[user_id] += 1
            continue
        verdict = results.verdict(quiz, score)
        used = f"{attempts} of {quiz.attempts}" if quiz.attempts else f"{attempts}"
        what = "best score" if quiz.grading == "highest" else "grade"
        concerns[user_id].append(
            Concern(
                "below pass mark",
                f"{quiz.title}: {what} {verdict.shown}, under the pass mark of "
                f"{verdict.pass_mark} ({used} attempts used).",
                quiz_id,
            )
        )
    for listed in concerns.values():
        listed.sort(key=lambda c: order[c.quiz_id or ""])
    return dict(concerns), {u for u, n in passed.items() if n == len(quizzes)}, dict(took)


def _taking(quizzes: Sequence[Quiz]) -> sa.ColumnElement[bool]:
    return Attempt.quiz_id.in_([q.id for q in quizzes])


def _track_quizzes(track: Track) -> list[str]:
    """The track's quizzes and its modules' knowledge checks."""
    return [*track.quizzes, *(m.knowledge_check for m in _modules(track) if m.knowledge_check)]


def _open_answers(db: Session, sight: _Sight) -> dict[int, datetime]:
    """Each learner's latest answer in an open attempt at one of the track's quizzes. Read on
    every call: an answer saved (or changed) in an open attempt moves no report fingerprint.
    The open attempts are few, found in the partial index ix_attempt_open."""
    rows = db.execute(
        sa.select(Attempt.user_id, sa.func.max(Answer.answered_at))
        .join(Answer, Answer.attempt_id == Attempt.id)
        .where(
            Attempt.finished_at.is_(None),
            Attempt.user_id.in_(_learner_ids(sight)),
            Attempt.quiz_id.in_(_track_quizzes(sight.track)),
        )
        .group_by(Attempt.user_id)
    )
    return {user_id: answered for user_id, answered in rows if answered is not None}


def _activity(db: Session, sight: _Sight) -> tuple[dict[int, datetime], set[int]]:
    """Each learner's last activity in the track but their answers in open attempts (one query
    over the latest moment of each kind), and the learners who finished every module of it.

    Attempts and plays are looked up by learner in indexes that hold their times; a step comes
    before its play's finish, so only open plays' are read."""
    modules = _modules(sight.track)
    learners = _learner_ids(sight)
    attempts = [Attempt.user_id.in_(learners), Attempt.quiz_id.in_(_track_quizzes(sight.track))]
    plays = [
        ScenarioPlay.user_id.in_(learners),
        ScenarioPlay.module_id.in_([m.id for m in modules]),
    ]
    latest = sa.func.max
    moments = sa.union_all(
        # grouped in the covering index's order too (quiz, learner): SQLite then reads the
        # index alone instead of the attempts, in the order of another index, to skip a sort
        sa.select(
            Attempt.user_id.label("user_id"),
            latest(Attempt.started_at).label("started"),
            latest(Attempt.finished_at).label("finished"),
        )
        .where(*attempts)
        .group_by(Attempt.quiz_id, Attempt.user_id),
        sa.select(
            ScenarioPlay.user_id, latest(ScenarioPlay.started_at), latest(ScenarioPlay.finished_at)
        )
        .where(*plays)
        .group_by(ScenarioPlay.module_id, ScenarioPlay.user_id),
        sa.select(ScenarioPlay.user_id, latest(ScenarioStep.chosen_at), sa.null())
        .join(ScenarioStep, ScenarioStep.play_id == ScenarioPlay.id)
        .where(*plays, ScenarioPlay.finished_at.is_(None))
        .group_by(ScenarioPlay.module_id, ScenarioPlay.user_id),
    ).subquery()
    last: dict[int, datetime] = {}
    for user_id, started, finished in db.execute(
        sa.select(
            moments.c.user_id, latest(moments.c.started), latest(moments.c.finished)
        ).group_by(moments.c.user_id)
    ):
        seen = [at for at in (started, finished) if at is not None]
        if seen:
            last[user_id] = max(seen)
    finished_all = set(
        db.scalars(
            sa.select(ScenarioPlay.user_id)
            .where(*plays, ScenarioPlay.finished_at.is_not(None))
            .group_by(ScenarioPlay.user_id)
            .having(sa.func.count(sa.distinct(ScenarioPlay.module_id)) >= len(modules))
        )
    )
    return last, finished_all


def _risk_counts(risky: Sequence[AtRisk]) -> RiskCounts:
    def having(kind: str) -> int:
        return sum(1 for r in risky if any(c.kind == kind for c in r.concerns))

    return RiskCounts(
        having("below pass mark"),
        having("not started"),
        having("inactive"),
        len(risky),
        having("review due"),
    )


def _competency_scores(
    totals: dict[tuple[str, int], tuple[float, int]], learners: dict[str, int]
) -> tuple[CompetencyScore, ...]:
    """Competencies with answers from MIN_GROUP learners or more, weakest first."""
    shown = [
        CompetencyScore(c, COMPETENCY_TITLES.get(c, c), total / n, n, learners.get(c, 0))
        for (c, _), (total, n) in totals.items()
        if learners.get(c, 0) >= MIN_GROUP and n
    ]
    return tuple(sorted(shown, key=lambda s: (s.mean, s.competency)))


# ---- scores ----


def scores(actor: Actor, cohort_id: int) -> tuple[QuizScores, ...]:
    """Each graded quiz of the track, in track order: the distribution of learners' grades (one
    per learner, by the quiz's grading method: the best score for every shipped quiz) against
    the pass mark, and how many learners made 0, 1, 2 ... finished attempts."""
    with reading() as db:
        sight = _sight(db, actor, cohort_id)
        return report_cache.kept(
            db, ("scores",), sight.cohort_id, sight.scope, lambda: _scores(db, sight)
        )


def _scores(db: Session, sight: _Sight) -> tuple[QuizScores, ...]:
    quizzes = _graded(sight.track)
    in_view = _learners_in_view(db, sight)
    grades = _grades(
        sa.and_(learners_in_view(sight.cohort_id, sight.scope), _taking(quizzes)), quizzes
    )
    rows = db.execute(
        sa.select(grades.c.quiz_id, grades.c.grade, grades.c.attempts, sa.func.count()).group_by(
            grades.c.quiz_id, grades.c.grade, grades.c.attempts
        )
    ).all()
    values: dict[str, dict[float, int]] = defaultdict(lambda: defaultdict(int))
    tries: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for quiz_id, grade, attempts, learners in rows:
        values[quiz_id][round(float(grade), 4)] += learners
        tries[quiz_id][int(attempts)] += learners
    return tuple(
        QuizScores(
            quiz_id=quiz.id,
            title=quiz.title,
            pass_mark=quiz.pass_mark,
            grading=quiz.grading,
            scores=_distribution(quiz, list(values[quiz.id].items())),
            attempts=_attempt_counts(quiz, tries[quiz.id], in_view),
        )
        for quiz in quizzes
    )


def _distribution(quiz: Quiz, counted: list[tuple[float, int]]) -> Distribution | None:
    summary = distribution.summarise(counted)
    if summary is None or summary.count < MIN_GROUP:
        return None
    bins = distribution.histogram(counted)
    return Distribution(
        learners=summary.count,
        passed=sum(n for value, n in counted if results.passed(quiz.pass_mark, value)),
        mean=summary.mean,
        minimum=summary.minimum,
        q1=summary.q1,
        median=summary.median,
        q3=summary.q3,
        maximum=summary.maximum,
        bins=tuple(
            Bin(round(k / len(bins), 4), round((k + 1) / len(bins), 4), n)
            for k, n in enumerate(bins)
        ),
    )


def _attempt_counts(quiz: Quiz, tries: dict[int, int], in_view: int) -> tuple[int, ...] | None:
    if in_view < MIN_GROUP:
        return None
    most = max([quiz.attempts, *tries])
    counts = [tries.get(k, 0) for k in range(most + 1)]
    counts[0] = in_view - sum(tries.values())
    return tuple(counts)


# ---- progress ----


def progress(actor: Actor, cohort_id: int) -> Progress:
    """How far the cohort has gone: learners who started and finished each module, in track
    order, and the median minutes a module and a quiz take.

    Minutes are whole minutes (rounded down) from a play's start to its finish, over each
    learner's first play of the module when it is finished; for a quiz, from the start of each
    learner's first attempt to its finish (a timed attempt finished late counts to its deadline).
    """
    with reading() as db:
        sight = _sight(db, actor, cohort_id)
        modules = _modules(sight.track)
        quizzes = _graded(sight.track)
        in_view = _learners_in_view(db, sight)
        view = learners_in_view(sight.cohort_id, sight.scope)
        in_modules = ScenarioPlay.module_id.in_([m.id for m in modules])
        finished_by = sa.case((ScenarioPlay.finished_at.is_not(None), ScenarioPlay.user_id))
        funnel = {
            module_id: (int(started), int(finished))
            for module_id, started, finished in db.execute(
                sa.select(
                    ScenarioPlay.module_id,
                    sa.func.count(sa.distinct(ScenarioPlay.user_id)),
                    sa.func.count(sa.distinct(finished_by)),
                )
                .join(Enrolment, Enrolment.user_id == ScenarioPlay.user_id)
                .where(view, in_modules)
                .group_by(ScenarioPlay.module_id)
            )
        }
        timed = _minute_counts(db, sight, in_modules, _taking(quizzes))
    shown = in_view >= MIN_GROUP
    return Progress(
        learners=_shown(in_view),
        modules=tuple(
            ModuleProgress(
                module_id=m.id,
                title=m.title,
                started=funnel.get(m.id, (0, 0))[0] if shown else None,
                finished=funnel.get(m.id, (0, 0))[1] if shown else None,
                median_minutes=_median(timed.get(("module", m.id), [])),
            )
            for m in modules
        ),
        quizzes=tuple(
            QuizTime(q.id, q.title, _median(timed.get(("quiz", q.id), []))) for q in quizzes
        ),
    )


def _minute_counts(
    db: Session,
    sight: _Sight,
    in_modules: sa.ColumnElement[bool],
    in_quizzes: sa.ColumnElement[bool],
) -> dict[tuple[str, str], list[tuple[float, int]]]:
    """(kind, id) -> (whole minutes, learners) for first plays and first attempts finished."""
    view = learners_in_view(sight.cohort_id, sight.scope)
    spans = sa.union_all(
        sa.select(
            sa.literal("module").label("kind"),
            ScenarioPlay.module_id.label("item"),
            _minutes(db, ScenarioPlay.started_at, ScenarioPlay.finished_at).label("minutes"),
        )
        .join(Enrolment, Enrolment.user_id == ScenarioPlay.user_id)
        .where(view, in_modules, ScenarioPlay.play_no == 1, ScenarioPlay.finished_at.is_not(None)),
        sa.select(
            sa.literal("quiz").label("kind"),
            Attempt.quiz_id.label("item"),
            _minutes(db, Attempt.started_at, Attempt.finished_at).label("minutes"),
        )
        .join(Enrolment, Enrolment.user_id == Attempt.user_id)
        .where(view, in_quizzes, Attempt.attempt_no == 1, Attempt.finished_at.is_not(None)),
    ).subquery()
    found: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    for kind, item, minutes, learners in db.execute(
        sa.select(spans.c.kind, spans.c.item, spans.c.minutes, sa.func.count()).group_by(
            spans.c.kind, spans.c.item, spans.c.minutes
        )
    ):
        found[(kind, item)].append((float(minutes), int(learners)))
    return found


def _median(counted: list[tuple[float, int]]) -> float | None:
    if sum(n for _, n in counted) < MIN_GROUP:
        return None
    return distribution.quantile(counted, 0.5)


# ---- mastery ----


def mastery(actor: Actor, cohort_id: int, *, half_life_weeks: float = HALF_LIFE_WEEKS) -> Mastery:
    """The cohort's mastery of each competency: the plain mean item score, and week by week an
    exponentially decaying average with a half-life of `half_life_weeks` (4: an answer a month
    old counts half as much as this week's; see course/learning/mastery.py).

    An item score counts from the week its attempt finished (only finished attempts count).
    Weeks begin on Monday at midnight in the academy's time zone; every competency has the same
    weeks, from the first with an answer to the last. A week's point is None until MIN_GROUP
    learners have finished an attempt at a quiz asking about the competency.
    """
    if half_life_weeks <= 0:
        raise BadInput("The half-life is a positive number of weeks.")
    with reading() as db:
        sight = _sight(db, actor, cohort_id)
        return report_cache.kept(
            db,
            ("mastery", half_life_weeks),
            sight.cohort_id,
            sight.scope,
            lambda: _mastery(db, sight, half_life_weeks),
        )


def _mastery(db: Session, sight: _Sight, half_life_weeks: float) -> Mastery:
    totals = _item_totals(db, sight, weekly=True)
    firsts = db.execute(
        sa.select(Attempt.user_id, Attempt.quiz_id, sa.func.min(_week(db, Attempt.finished_at)))
        .join(Enrolment, Enrolment.user_id == Attempt.user_id)
        .where(learners_in_view(sight.cohort_id, sight.scope), *_counted(sight.track))
        .group_by(Attempt.user_id, Attempt.quiz_id)
    ).all()
    by_competency: dict[str, list[WeekTotal]] = defaultdict(list)
    for (competency, week), (total, answers) in totals.items():
        by_competency[competency].append(WeekTotal(week, total, answers))
    newcomers = _newcomers(sight.track, firsts)
    weeks = [week for _, week in totals]
    span = (min(weeks), max(weeks)) if weeks else None
    return Mastery(
        half_life_weeks=half_life_weeks,
        competencies=tuple(
            _trend(c, by_competency[c], newcomers[c], span, half_life_weeks)
            for c in COMPETENCY_TITLES
        ),
    )


def _newcomers(track: Track, firsts: Sequence[Any]) -> dict[str, dict[int, int]]:
    """competency -> week -> learners whose first finished attempt at a quiz asking about it
    fell in that week (`firsts`: learner, quiz, first week)."""
    asks = {q.id: _asks_about(q) for q in _graded(track)}
    first: dict[tuple[str, int], int] = {}
    for user_id, quiz_id, week in firsts:
        for competency in asks.get(quiz_id, set()):
            key = (competency, user_id)
            first[key] = min(first.get(key, int(week)), int(week))
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (competency, _), week in first.items():
        counts[competency][week] += 1
    return counts


def _trend(
    competency: str,
    totals: list[WeekTotal],
    newcomers: dict[int, int],
    span: tuple[int, int] | None,
    half_life_weeks: float,
) -> CompetencyTrend:
    learners = sum(newcomers.values())
    answers = sum(t.answers for t in totals)
    points = []
    if span is not None:
        so_far = 0
        for week, value in decaying_mastery(totals, half_life_weeks, span):
            so_far += newcomers.get(week, 0)
            points.append(WeekPoint(_week_start(week), value if so_far >= MIN_GROUP else None))
    shown = learners >= MIN_GROUP and answers > 0
    return CompetencyTrend(
        competency=competency,
        title=COMPETENCY_TITLES[competency],
        mean=sum(t.score for t in totals) / answers if shown else None,
        learners=learners if shown else None,
        weeks=tuple(points),
    )


def mastery_matrix(
    actor: Actor, cohort_id: int, *, offset: int = 0, limit: int = 50
) -> MasteryMatrix:
    """Learner by competency: each learner's mean item score per competency (trainers and
    administrators; one page of learners sorted by name)."""
    _window(offset, limit)
    with reading() as db:
        sight = _sight(db, actor, cohort_id)
        _trainer_only(sight)
        learners, total = _learner_rows(db, sight, offset=offset, limit=limit)
        rows, known = _scored_answers(sight, [r.id for r in learners])
        found = db.execute(
            sa.select(rows.c.user_id, rows.c.competency, sa.func.sum(rows.c.score), sa.func.count())
            .where(known)
            .group_by(rows.c.user_id, rows.c.competency)
        ).all()
    sums = {(u, c): (float(s), int(n)) for u, c, s, n in found}
    items = []
    for row in learners:
        mine = {c: sums.get((row.id, c), (0.0, 0)) for c in COMPETENCY_TITLES}
        items.append(
            LearnerMastery(
                user_id=row.id,
                username=row.username,
                full_name=row.full_name,
                section=row.section,
                scores={c: s / n if n else None for c, (s, n) in mine.items()},
                answers={c: n for c, (_, n) in mine.items()},
            )
        )
    return MasteryMatrix(dict(COMPETENCY_TITLES), Page(tuple(items), total, offset, limit))


# ---- one learner's record ----


def learner_record(actor: Actor, cohort_id: int, user_id: int) -> LearnerRecord:
    """One learner's quiz attempts, every answer with its score and the feedback on what they
    chose (in the version they answered), and which modules they completed. Scenario choices
    and reflections are not part of it. Each look is written to the audit log."""
    with transaction() as db:  # the audit row commits with the look, or neither happens
        sight = _sight(db, actor, cohort_id)
        _trainer_only(sight)
        learner = db.execute(
            sa.select(User.username, User.full_name, Section.name.label("section"))
            .join(Enrolment, Enrolment.user_id == User.id)
            .outerjoin(Section, Section.id == Enrolment.section_id)
            .where(learners_in_view(cohort_id, sight.scope), User.id == user_id)
        ).first()
        if learner is None:
            raise NotFound(NO_SUCH_LEARNER)
        audit.record(db, sight.me, "view learner record", "user", user_id, cohort=cohort_id)
        modules = _module_records(db, sight.track, user_id)
        attempts = _attempt_records(db, sight.track, user_id)
    return LearnerRecord(
        user_id, learner.username, learner.full_name, learner.section, modules, attempts
    )


def _module_records(db: Session, track: Track, user_id: int) -> tuple[ModuleRecord, ...]:
    modules = _modules(track)
    plays = {
        module_id: finished
        for module_id, finished in db.execute(
            sa.select(ScenarioPlay.module_id, sa.func.min(ScenarioPlay.finished_at))
            .where(
                ScenarioPlay.user_id == user_id,
                ScenarioPlay.module_id.in_([m.id for m in modules]),
            )
            .group_by(ScenarioPlay.module_id)
        )
    }
    return tuple(
        ModuleRecord(
            m.id,
            m.title,
            "not started"
            if m.id not in plays
            else ("completed" if plays[m.id] is not None else "in progress"),
            plays.get(m.id),
        )
        for m in modules
    )


def _attempt_records(db: Session, track: Track, user_id: int) -> tuple[AttemptRecord, ...]:
    order = {q: n for n, q in enumerate(track.quizzes)}
    attempts = sorted(
        db.scalars(
            sa.select(Attempt).where(
                Attempt.user_id == user_id, Attempt.quiz_id.in_(list(track.quizzes))
            )
        ),
        key=lambda a: (order[a.quiz_id], a.attempt_no),
    )
    answers = {
        (a.attempt_id, a.slot): a
        for a in db.scalars(
            sa.select(Answer).where(Answer.attempt_id.in_([a.id for a in attempts]))
        )
    }
    competency_of = catalogue().competency_of
    records = []
    for attempt in attempts:
        quiz = versions.quiz(db, attempt.quiz_hash, attempt.quiz_id)
        slots = []
        for entry in attempt.layout:
            question = versions.question(db, entry["hash"])
            given = answers.get((attempt.id, entry["slot"]))
            response = given.response if given else None
            words = _words(question, response or {}, tuple(entry["order"]))
            slots.append(
                AnswerRecord(
                    number=entry["slot"] + 1,
                    question_id=question.id,
                    competency=competency_of.get(question.id),
                    stem=question.stem,
                    state=results.answer_state(question, response),
                    score=given.score if given else None,
                    correctness=correctness_word(given.score if given else None),
                    given=words.given,
                    feedback=words.feedback,
                    misconceptions=words.misconceptions,
                    key=words.key,
                )
            )
        verdict = None
        if attempt.finished_at is not None and attempt.score is not None:
            verdict = results.verdict(quiz, attempt.score)
        records.append(
            AttemptRecord(
                attempt_id=attempt.id,
                quiz_id=attempt.quiz_id,
                quiz_title=quiz.title,
                attempt_no=attempt.attempt_no,
                started_at=attempt.started_at,
                finished_at=attempt.finished_at,
                verdict=verdict,
                answers=tuple(slots),
            )
        )
    return tuple(records)


@dataclass(frozen=True)
class _Words:
    given: tuple[str, ...]
    feedback: tuple[str, ...]
    misconceptions: tuple[str, ...]
    key: tuple[str, ...]


def _words(question: Question, response: dict[str, Any], order: tuple[str, ...]) -> _Words:
    """What a learner gave, the feedback on it and the key, in words, for a trainer (who sees
    the key: the review policy protects a learner's retries, not this)."""
    if isinstance(question, SingleChoice | MultipleResponse):
        chosen = {response["choice"]} if "choice" in response else set(response.get("choices", []))
        options = {o.id: o for o in question.options}
        shown = [options[o] for o in order if o in options] or list(question.options)
        picked = [o for o in shown if o.id in chosen]
        return _Words(
            tuple(o.text for o in picked),
            tuple(o.feedback for o in picked),
            tuple(o.misconception for o in picked if o.misconception and not o.correct),
            tuple(o.text for o in shown if o.correct),
        )
    if isinstance(question, TrueFalse):
        value = response.get("value")
        key = ("True" if question.answer else "False",)
        if value is None:
            return _Words((), (), (), key)
        return _Words(
            ("True" if value else "False",),
            (question.feedback_true if value else question.feedback_false,),
            (question.misconception,) if value != question.answer else (),
            key,
        )
    if isinstance(question, Matching):
        pairs = {p.id: p for p in question.pairs}
        matches = response.get("matches", {})
        matched = [(p, pairs[matches[p.id]]) for p in question.pairs if matches.get(p.id) in pairs]
        return _Words(
            tuple(f"{p.prompt} → {m.match}" for p, m in matched),
            tuple(p.feedback for p, _ in matched),
            (),
            tuple(f"{p.prompt} → {p.match}" for p in question.pairs),
        )
    texts = {i.id: i.text for i in question.items}
    given = tuple(texts[i] for i in response.get("order", []) if i in texts)
    return _Words(
        given,
        (question.feedback,) if given else (),
        (),
        tuple(i.text for i in question.items),
    )


# ---- sections and cohorts side by side ----


def comparison(actor: Actor, cohort_id: int) -> Comparison:
    """This cohort's sections in view, and every cohort the actor can see (over the sections
    they see there), as totals only: learners, module completion and the mean grade per quiz.
    A group of fewer than MIN_GROUP learners shows None for every number, its count included;
    a quiz's mean needs MIN_GROUP learners with a grade."""
    with reading() as db:
        me = acting(db, actor)
        staff_scope(db, me, cohort_id, ("trainer", "viewer"))  # refuses everyone else
        ids = (
            list(db.scalars(sa.select(Cohort.id).order_by(Cohort.name)))
            if me.is_admin
            else staff_cohort_ids(db, me, ("trainer", "viewer"))
        )
        cohorts = {
            c.id: (
                c.name,
                catalogue().track(c.track),
                staff_scope(db, me, c.id, ("trainer", "viewer")),
            )
            for c in db.scalars(sa.select(Cohort).where(Cohort.id.in_(ids)))
        }
        if cohort_id not in cohorts:
            raise NotFound("There is no such cohort.")
        groups = _group_figures(db, cohorts)
        names = dict(
            db.execute(
                sa.select(Section.id, Section.name).where(Section.cohort_id.in_(list(cohorts)))
            ).all()
        )
    quizzes = {q.id: q.title for _, track, _ in cohorts.values() for q in _graded(track)}
    sections = [
        _summary(c, cohorts[c], names.get(s, NO_SECTION) if s is not None else NO_SECTION, figures)
        for (c, s), figures in groups.items()
        if c == cohort_id
    ]
    totals: dict[int, _Figures] = {}
    for (c, _), figures in groups.items():
        totals[c] = totals[c] + figures if c in totals else figures
    ordered = sorted(cohorts, key=lambda c: cohorts[c][0])
    return Comparison(
        quizzes=quizzes,
        sections=tuple(sorted(sections, key=lambda g: (g.section == NO_SECTION, g.section or ""))),
        cohorts=tuple(_summary(c, cohorts[c], None, totals.get(c, _Figures())) for c in ordered),
    )


@dataclass(frozen=True)
class _Figures:
    """Sums for one group, so sections add up to their cohort."""

    learners: int = 0
    modules_done: int = 0  # finished (learner, module) pairs
    all_done: int = 0  # learners who finished every module
    grades: tuple[tuple[str, float, int], ...] = ()  # (quiz id, sum of grades, learners)

    def __add__(self, other: _Figures) -> _Figures:
        sums: dict[str, tuple[float, int]] = {}
        for quiz_id, total, n in (*self.grades, *other.grades):
            before = sums.get(quiz_id, (0.0, 0))
            sums[quiz_id] = (before[0] + total, before[1] + n)
        return _Figures(
            self.learners + other.learners,
            self.modules_done + other.modules_done,
            self.all_done + other.all_done,
            tuple((q, t, n) for q, (t, n) in sums.items()),
        )


Group = tuple[int, int | None]  # (cohort id, section id)


def _group_figures(
    db: Session, cohorts: dict[int, tuple[str, Track, set[int] | None]]
) -> dict[Group, _Figures]:
    """Three grouped queries over every cohort in view at once."""
    views = {c: learners_in_view(c, scope) for c, (_, _, scope) in cohorts.items()}
    modules = {c: _modules(track) for c, (_, track, _) in cohorts.items()}
    quizzes = {c: _graded(track) for c, (_, track, _) in cohorts.items()}
    group = (Enrolment.cohort_id, Enrolment.section_id)
    learners: dict[Group, int] = {
        (c, s): int(n)
        for c, s, n in db.execute(
            sa.select(*group, sa.func.count()).where(sa.or_(*views.values())).group_by(*group)
        )
    }
    per_learner = (
        sa.select(*group, sa.func.count(sa.distinct(ScenarioPlay.module_id)).label("done"))
        .join(ScenarioPlay, ScenarioPlay.user_id == Enrolment.user_id)
        .where(
            sa.or_(
                *(
                    sa.and_(views[c], ScenarioPlay.module_id.in_([m.id for m in modules[c]]))
                    for c in cohorts
                )
            ),
            ScenarioPlay.finished_at.is_not(None),
        )
        .group_by(*group, Enrolment.user_id)
        .subquery()
    )
    done: dict[Group, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for c, s, finished, n in db.execute(
        sa.select(
            per_learner.c.cohort_id, per_learner.c.section_id, per_learner.c.done, sa.func.count()
        ).group_by(per_learner.c.cohort_id, per_learner.c.section_id, per_learner.c.done)
    ):
        pairs, everything = done[(c, s)]
        complete = int(n) if int(finished) >= len(modules[c]) else 0
        done[(c, s)] = (pairs + int(finished) * int(n), everything + complete)
    grades = _grades(
        sa.or_(*(sa.and_(views[c], _taking(quizzes[c])) for c in cohorts)),
        [q for listed in quizzes.values() for q in listed],
    )
    means: dict[Group, list[tuple[str, float, int]]] = defaultdict(list)
    for c, s, quiz_id, total, n in db.execute(
        sa.select(
            grades.c.cohort_id,
            grades.c.section_id,
            grades.c.quiz_id,
            sa.func.sum(grades.c.grade),
            sa.func.count(),
        ).group_by(grades.c.cohort_id, grades.c.section_id, grades.c.quiz_id)
    ):
        means[(c, s)].append((quiz_id, float(total), int(n)))
    return {
        key: _Figures(n, done[key][0], done[key][1], tuple(means[key]))
        for key, n in learners.items()
    }


def _summary(
    cohort_id: int,
    cohort: tuple[str, Track, set[int] | None],
    section: str | None,
    figures: _Figures,
) -> GroupSummary:
    name, track, _ = cohort
    quizzes = _graded(track)
    if figures.learners < MIN_GROUP:
        return GroupSummary(
            cohort_id, name, section, None, None, None, {q.id: None for q in quizzes}
        )
    modules = len(_modules(track))
    sums = {quiz_id: (total, n) for quiz_id, total, n in figures.grades}
    return GroupSummary(
        cohort_id=cohort_id,
        cohort=name,
        section=section,
        learners=figures.learners,
        completion=figures.modules_done / (figures.learners * modules) if modules else None,
        completed_all=figures.all_done / figures.learners if modules else None,
        mean_grade={
            q.id: sums[q.id][0] / sums[q.id][1]
            if q.id in sums and sums[q.id][1] >= MIN_GROUP
            else None
            for q in quizzes
        },
    )
