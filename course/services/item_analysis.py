"""Item analysis for trainers: Moodle's quiz statistics per quiz and per bank, the options a
cohort chooses, the worst items, and the misconceptions the cohort holds.

How the numbers are gathered, so a trainer (or a reviewer) can check them:
- Only finished attempts count, of the learners in the sections the actor may see; per learner
  and quiz the first, highest (the earliest of equal scores) or last of them, or all of them.
- An item is one version of a question (its content hash): an edited question starts again.
- An item's mark is its slot's score (0 to 1; a slot left unanswered scores 0, as in Moodle);
  an attempt's total is the sum of its slots' marks. In a bank's analysis the attempts come from
  different quizzes, so the total is the attempt's score (0 to 1) and the rest is the total.
- A question drawn at random into an attempt (any question a quiz `draws`) is compared with the
  whole total (`rest_is_total`); a question the quiz always asks, with the rest of the attempt.
- The quiz's statistics (CIC and the weights) treat each of the quiz's fixed questions as a slot,
  or, when the quiz draws, each position in the attempt.
- Response analysis: the share of the attempts that answered a version which chose each option.
- A misconception is held by a learner who chose, at least once, a wrong option naming it; its
  share is of the learners who answered a question offering it. Weeks start on Monday (UTC).
- Worst items: flagged items first, then the lowest discrimination (each learner's highest
  attempt at each graded quiz of the track). The database sends the cells of the items that may
  be among them only (`_shortlist`); the statistics are then item_stats' own, as elsewhere.
- Any figure computed from fewer than MIN_GROUP learners is hidden (None), counts included.
- The database groups the rows (GROUP BY); Python only walks the grouped rows. Each analysis is
  one statement over the chosen attempts (chosen and totalled once, materialised), read from the
  covering indexes ix_attempt_quiz_user and ix_answer_attempt_marks.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypeVar, cast, get_args

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from course.content.current import catalogue
from course.content.schema import (
    Bank,
    MultipleResponse,
    Question,
    Quiz,
    SingleChoice,
    TrueFalse,
)
from course.errors import BadInput, NotFound
from course.learning import item_stats
from course.learning.item_stats import Cell, ItemStats, TestStats
from course.services import report_cache, versions
from course.services.access import Actor, acting, learners_in_view, staff_scope
from course.services.reports import MIN_GROUP
from course.store.db import reading
from course.store.models import Answer, Attempt, Cohort, Enrolment, QuestionVersion, QuizVersion

R = TypeVar("R")
Which = Literal["first", "highest", "last", "all"]
WHICH: tuple[str, ...] = get_args(Which)
CHOICE_TYPES = (SingleChoice, MultipleResponse, TrueFalse)
# the quiz's grading method -> the attempts its statistics use (as Moodle's report does)
BY_GRADING: dict[str, Which] = {
    "first": "first",
    "highest": "highest",
    "last": "last",
    "average": "all",
}
STAFF = ("trainer", "viewer")  # aggregates only: viewers see them too


# ---- what the page receives ----


@dataclass(frozen=True)
class OptionShare:
    """How often one option was chosen among the attempts that answered the item."""

    option_id: str  # "a".."h", or "true" / "false"
    text: str
    correct: bool
    misconception: str | None  # what choosing this wrong option reveals
    chosen: int  # attempts that chose it
    share: float  # of the attempts that answered this version, 0..1


@dataclass(frozen=True)
class ItemRow:
    """One version of one question, with its statistics (None: under MIN_GROUP learners)."""

    question_id: str
    question_hash: str
    version: int  # 1 for the first version learners met, then 2, ...
    current: bool  # the version today's content holds
    kind: str  # single / multiple / true_false / matching / ordering
    competency: str | None
    stem: str
    learners: int | None
    stats: ItemStats | None
    intended_weight: float | None  # percent; quizzes that always ask this question only
    effective_weight: float | None
    responses: tuple[OptionShare, ...] | None  # choice questions only

    @property
    def too_few(self) -> bool:
        return self.stats is None

    @property
    def flags(self) -> tuple[str, ...]:
        return self.stats.flags if self.stats else ()


@dataclass(frozen=True)
class SlotWeight:
    """A slot of the quiz: a question it always asks, or a position its draws fill."""

    label: str  # "coi-004", or "Position 3"
    intended: float  # percent of the quiz's marks
    effective: float | None  # percent of the spread of totals (None: negative covariance)


@dataclass(frozen=True)
class ItemAnalysis:
    kind: Literal["quiz", "bank"]
    id: str
    title: str
    which: Which
    learners: int | None  # None: fewer than MIN_GROUP (the count is hidden too)
    attempts: int | None
    test: TestStats | None  # a quiz's statistics; None for a bank, or too few learners
    slots: tuple[SlotWeight, ...]
    items: tuple[ItemRow, ...]

    @property
    def too_few(self) -> bool:
        return self.learners is None


@dataclass(frozen=True)
class WorstItem:
    quiz_id: str
    quiz_title: str
    question_id: str
    question_hash: str
    stem: str
    facility: float | None
    discrimination: float | None
    reason: str  # why it is listed, in words a trainer can act on


@dataclass(frozen=True)
class MisconceptionItem:
    question_id: str
    stem: str  # the newest version's
    options: tuple[str, ...]  # the wrong options that name the misconception
    learners: int | None  # learners who answered the question (None: under MIN_GROUP)
    chose: int | None  # of them, those who chose an option naming it
    share: float | None


@dataclass(frozen=True)
class WeekShare:
    week: date  # the Monday (UTC) the week starts on
    learners: int | None
    chose: int | None
    share: float | None


@dataclass(frozen=True)
class Misconception:
    text: str
    learners: int | None  # learners who answered an item offering it (None: under MIN_GROUP)
    chose: int | None  # of them, those who chose it at least once
    share: float | None
    items: tuple[MisconceptionItem, ...]
    weeks: tuple[WeekShare, ...]  # oldest first


@dataclass(frozen=True)
class MisconceptionReport:
    which: Which
    misconceptions: tuple[Misconception, ...]  # most held first; hidden ones last


# ---- access and the attempts that count ----


@dataclass(frozen=True)
class CohortScope:
    """A cohort as the actor may see it."""

    cohort_id: int
    track: str
    sections: set[int] | None  # None: the whole cohort


def cohort_in_view(
    db: Session, actor: Actor, cohort_id: int, roles: tuple[str, ...]
) -> CohortScope:
    """The cohort and the sections of it the actor holds one of `roles` in (NotAllowed else)."""
    sections = staff_scope(db, acting(db, actor), cohort_id, roles)
    cohort = db.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("There is no such cohort.")
    return CohortScope(cohort_id, cohort.track, sections)


def kept_report(
    actor: Actor,
    cohort_id: int,
    report: Hashable,
    work_out: Callable[[Session, CohortScope], R],
) -> R:
    """A cohort report as the actor may see it: who is acting and their sections are checked
    first, in the same transaction; then the kept result (course/services/report_cache.py), or
    `work_out(db, scope)`."""
    with reading() as db:
        scope = cohort_in_view(db, actor, cohort_id, STAFF)
        return report_cache.kept(
            db, report, scope.cohort_id, scope.sections, lambda: work_out(db, scope)
        )


def _which(which: str) -> Which:
    if which not in WHICH:
        raise BadInput(f"Choose which attempts to analyse: {', '.join(WHICH)} (not '{which}').")
    return cast(Which, which)


def _learners(scope: CohortScope) -> sa.Select[Any]:
    """The ids of the cohort's learners in the sections in view."""
    return sa.select(Enrolment.user_id).where(learners_in_view(scope.cohort_id, scope.sections))


def _chosen_select(
    scope: CohortScope, quiz_ids: Collection[str] | None, which: Which, *extra: Any
) -> sa.Select[Any]:
    """Finished attempts of the learners in view: per learner and quiz the first, highest or
    last, or all. Columns: id, user_id, quiz_id, quiz_hash, score.

    The learners are a list to look up (IN), not a join, and attempts are numbered per quiz
    and learner in that order: both databases then read them from ix_attempt_quiz_user alone
    (it holds every column used here), in the order the numbering needs.
    """
    conditions = [Attempt.user_id.in_(_learners(scope)), Attempt.finished_at.is_not(None)]
    if quiz_ids is not None:
        conditions.append(Attempt.quiz_id.in_(sorted(quiz_ids)))
    columns = (
        Attempt.id,
        Attempt.user_id,
        Attempt.quiz_id,
        Attempt.quiz_hash,
        Attempt.score,
        *extra,  # other columns of the attempt, also in the index
    )
    if which == "all":
        return sa.select(*columns).where(*conditions)
    order = {
        "first": (Attempt.attempt_no.asc(),),
        "last": (Attempt.attempt_no.desc(),),
        "highest": (Attempt.score.desc(), Attempt.attempt_no.asc()),
    }[which]
    rank = sa.func.row_number().over(
        partition_by=(Attempt.quiz_id, Attempt.user_id), order_by=order
    )
    ranked = sa.select(*columns, rank.label("rank")).where(*conditions).subquery("ranked")
    return sa.select(*(ranked.c[c.key] for c in columns)).where(ranked.c.rank == 1)


def chosen_attempts(
    scope: CohortScope, quiz_ids: Collection[str] | None, which: Which
) -> sa.Subquery:
    """Finished attempts of the learners in view: per learner and quiz the first, highest or
    last, or all. Columns: id, user_id, quiz_id, quiz_hash, score."""
    return _chosen_select(scope, quiz_ids, which).subquery("chosen")


def _materialised(select: sa.Select[Any], name: str) -> sa.CTE:
    """A CTE both databases work out once per statement, however often it is read."""
    return select.cte(name).prefix_with("MATERIALIZED")


# ---- gathering grouped rows ----

ItemKey = tuple[str, str, str]  # (quiz id, or "" when pooled; question id; question hash)


@dataclass
class _Gathered:
    cells: dict[ItemKey, list[Cell]] = field(default_factory=dict)
    responses: dict[ItemKey, Counter[str]] = field(default_factory=dict)
    learners: dict[ItemKey, int] = field(default_factory=dict)  # distinct, where counted
    attempts: dict[str, int] = field(default_factory=dict)  # quiz id -> attempts
    quiz_learners: dict[str, int] = field(default_factory=dict)
    pool_learners: int = 0  # distinct learners who answered an item gathered (a bank)
    distribution: list[tuple[float, int]] = field(default_factory=list)  # (total, attempts)
    positions: dict[str, tuple[float, float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Want:
    """What one gathering statement works out, besides each item's (mark, total) cells."""

    pooled: bool = False  # a bank: items of every quiz pooled, each attempt measured by its score
    question_ids: Collection[str] | None = None  # only these questions' items
    responses: bool = False  # the stored responses to choice questions, grouped
    learners: bool = False  # distinct learners per item (a learner may give several attempts)
    distribution: bool = False  # the attempts' totals, grouped (a quiz's test statistics)
    positions: bool = False  # sums of x, x^2 and x X per position (a quiz that draws)
    # cells only for the items that may be among the `shortlist` worst (see `_shortlist`)
    shortlist: int | None = None
    fixed: Mapping[str, Collection[str]] = field(default_factory=dict)  # quiz -> fixed questions


# the kinds of row the gathering statement returns
CELL, BLANK, RESPONSE, ITEM_LEARNERS, POOL_LEARNERS, QUIZ, QUIZ_LEARNERS, TOTAL, POSITION = range(9)


def _row(
    kind: int,
    *,
    quiz_id: Any = None,
    question: Any = None,
    version: Any = None,
    text: Any = None,
    a: Any = None,
    b: Any = None,
    c: Any = None,
    n: Any,
) -> list[Any]:
    """The columns every part of the gathering statement returns, in one order and type."""

    def typed(value: Any, kind: Any) -> Any:
        return sa.cast(value if value is not None else sa.null(), kind)

    return [
        sa.literal(kind, sa.Integer).label("kind"),
        typed(quiz_id, sa.String).label("quiz_id"),
        typed(question, sa.String).label("question"),
        typed(version, sa.String).label("version"),
        typed(text, sa.Text).label("text"),
        typed(a, sa.Float).label("a"),
        typed(b, sa.Float).label("b"),
        typed(c, sa.Float).label("c"),
        sa.cast(n, sa.Integer).label("n"),
    ]


def _choice_ids() -> list[str]:
    return sorted(q.id for q in catalogue().questions.values() if isinstance(q, CHOICE_TYPES))


def attempt_totals(chosen: sa.Subquery) -> sa.Subquery:
    """Per chosen attempt with an answer: its quiz, total mark (the sum of its answers' scores:
    exact, where the stored score is rounded) and answers. Columns attempt_id, quiz_id, total,
    answered."""
    return (
        sa.select(
            Answer.attempt_id,
            chosen.c.quiz_id,
            sa.func.sum(Answer.score).label("total"),
            sa.func.count().label("answered"),
        )
        .join(chosen, chosen.c.id == Answer.attempt_id)
        .group_by(Answer.attempt_id, chosen.c.quiz_id)
        .subquery("totals")
    )


def _slots_of(db: Session, chosen: Any, quiz_ids: Collection[str] | None) -> Any:
    """The number of slots of each chosen attempt, from its quiz version: every kept version's
    size is known in Python, and an attempt of a version not kept had today's quiz (as
    `versions.quiz` reads it)."""
    kept = sa.select(QuizVersion)
    if quiz_ids is not None:
        kept = kept.where(QuizVersion.quiz_id.in_(sorted(quiz_ids)))
    by_version = [
        (chosen.c.quiz_hash == v.content_hash, versions.quiz(db, v.content_hash, v.quiz_id).size)
        for v in db.scalars(kept)
    ]
    quizzes = catalogue().quizzes
    today = [
        (chosen.c.quiz_id == q, quizzes[q].size)
        for q in sorted(quizzes if quiz_ids is None else quiz_ids)
        if q in quizzes
    ]
    fallback = sa.case(*today, else_=0) if today else sa.literal(0)
    return sa.case(*by_version, else_=fallback) if by_version else fallback


def _totals(db: Session, chosen: sa.CTE, quiz_ids: Collection[str] | None) -> sa.CTE:
    """The chosen attempts with their total (the sum of their marks: exact, where the stored
    score is rounded; 0 without an answer), answers and slots. Columns id, user_id, quiz_id,
    score, total, answered, slots.

    SQLite looks each attempt's answers up in ix_answer_attempt_marks (a join it would group
    with a sort); PostgreSQL joins and groups (per-attempt look-ups cost it more).
    """
    c = chosen.c
    columns = [c.id, c.user_id, c.quiz_id, sa.func.coalesce(c.score, 0.0).label("score")]
    slots = _slots_of(db, chosen, quiz_ids).label("slots")
    if not _postgres(db):
        marks = sa.select().where(Answer.attempt_id == c.id).correlate(chosen)
        total = marks.with_only_columns(sa.func.coalesce(sa.func.sum(Answer.score), 0.0))
        answered = marks.with_only_columns(sa.func.count())
        return _materialised(
            sa.select(
                *columns,
                _rounded(db, total.scalar_subquery()).label("total"),
                answered.scalar_subquery().label("answered"),
                slots,
            ),
            "totals",
        )
    return _materialised(
        sa.select(
            *columns,
            _rounded(db, sa.func.coalesce(sa.func.sum(Answer.score), 0.0)).label("total"),
            sa.func.count(Answer.attempt_id).label("answered"),
            slots,
        )
        .select_from(chosen)
        .outerjoin(Answer, Answer.attempt_id == c.id)
        .group_by(c.id, c.user_id, c.quiz_id, c.quiz_hash, c.score),
        "totals",
    )


def _rounded(db: Session, value: Any) -> Any:
    """A sum of marks to 4 places: every mark has 4, so equal totals group as one."""
    if _postgres(db):
        return sa.cast(sa.func.round(sa.cast(value, sa.Numeric), 4), sa.Float)
    return sa.func.round(value, 4)


def _gather(
    db: Session,
    scope: CohortScope,
    quiz_ids: Collection[str] | None,
    which: Which,
    want: _Want,
) -> _Gathered:
    """Everything an analysis needs, in one statement over the chosen attempts' answers.

    The attempts are chosen once and their totals worked out once (both materialised); every
    other part reads them: the (mark, total) cells of each item, the cells of slots left
    unanswered, and what `want` asks for.
    """
    chosen = _materialised(_chosen_select(scope, quiz_ids, which), "chosen")
    totals = _totals(db, chosen, quiz_ids)
    t = totals.c
    marks = _Marks(db, totals, want)
    parts = [
        *marks.cells(),
        sa.select(*_row(QUIZ, quiz_id=t.quiz_id, n=sa.func.count())).group_by(t.quiz_id),
        sa.select(
            *_row(QUIZ_LEARNERS, quiz_id=t.quiz_id, n=sa.func.count(sa.distinct(t.user_id)))
        ).group_by(t.quiz_id),
    ]
    if want.responses:
        parts.append(marks.responses())
    if want.learners:
        parts += marks.learners()
    if want.distribution:
        parts.append(sa.select(*_row(TOTAL, a=t.total, n=sa.func.count())).group_by(t.total))
    if want.positions:
        parts.append(marks.positions())
    return _collect(db.execute(sa.union_all(*parts)), pooled=want.pooled)


class _Marks:
    """The parts of the gathering statement that read the chosen attempts' answers."""

    def __init__(self, db: Session, totals: sa.CTE, want: _Want) -> None:
        self.db, self.totals, self.want = db, totals, want
        t = totals.c
        self.total = t.score if want.pooled else t.total  # what an item is compared with
        self.quiz: list[Any] = [] if want.pooled else [t.quiz_id]
        self.quiz_of = None if want.pooled else t.quiz_id
        answers = sa.select().select_from(totals).join(Answer, Answer.attempt_id == t.id)
        if want.question_ids is not None:
            answers = answers.where(Answer.question_id.in_(sorted(want.question_ids)))
        self.answers = answers
        self.item = [*self.quiz, Answer.question_id, Answer.question_hash]

    def cells(self) -> list[sa.Select[Any]]:
        """(mark, total, attempts) per item, answered and left blank; with a shortlist, only the
        items on it (found from the cells themselves, in the same statement)."""
        answered = self.answers.with_only_columns(
            *(c.label(n) for c, n in zip(self.item_columns(), ITEM, strict=True)),
            Answer.score.label("mark"),
            self.total.label("total"),
            sa.func.count().label("n"),
        ).group_by(*self.item, Answer.score, self.total)
        blank = self._blanks()
        if self.want.shortlist is None:
            return [_cells_of(CELL, answered.subquery("cell")), _cells_of(BLANK, blank)]
        cells = _materialised(answered, "cell")
        shortlist = _shortlist(self, cells, blank, self.want.shortlist)
        on_it = [
            sa.tuple_(c.quiz_id, c.version).in_(sa.select(shortlist.c.quiz_id, shortlist.c.version))
            for c in (cells.c, blank.c)
        ]
        return [
            _cells_of(CELL, cells).where(on_it[0]),
            _cells_of(BLANK, blank).where(on_it[1]),
        ]

    def item_columns(self) -> list[Any]:
        """An item's quiz (blank when pooled), question and version, of an answer."""
        quiz = sa.literal("") if self.want.pooled else self.totals.c.quiz_id
        return [quiz, Answer.question_id, Answer.question_hash]

    def _blanks(self) -> sa.CTE:
        """Cells (quiz_id, question, version, mark 0, total, n) of the slots the chosen attempts
        left unanswered.

        Which question such a slot held is only in the attempt's layout. Only attempts with
        fewer answers than slots (a few) have any: the database unpacks their layouts and counts
        their slots per item and total, less their answers per item and total.
        """
        db, t = self.db, self.totals.c
        incomplete = _materialised(
            sa.select(t.id, t.quiz_id, self.total.label("total")).where(t.answered < t.slots),
            "incomplete",
        )
        i = incomplete.c
        quiz = sa.literal("") if self.want.pooled else i.quiz_id
        slots = _layout_slots(db)
        question_id = _json_text(db, slots.c.value, "question_id")
        in_layout = (
            sa.select(
                quiz.label("quiz_id"),
                question_id.label("question"),
                _json_text(db, slots.c.value, "hash").label("version"),
                i.total,
                sa.literal(1).label("k"),
            )
            .select_from(incomplete)
            .join(Attempt, Attempt.id == i.id)
            .join(slots, sa.true())
        )
        answered = (
            sa.select(
                quiz.label("quiz_id"),
                Answer.question_id.label("question"),
                Answer.question_hash.label("version"),
                i.total,
                sa.literal(-1).label("k"),
            )
            .select_from(incomplete)
            .join(Answer, Answer.attempt_id == i.id)
        )
        if self.want.question_ids is not None:
            in_layout = in_layout.where(question_id.in_(sorted(self.want.question_ids)))
            answered = answered.where(Answer.question_id.in_(sorted(self.want.question_ids)))
        both = sa.union_all(in_layout, answered).subquery("slot")
        keys = (both.c.quiz_id, both.c.question, both.c.version, both.c.total)
        n = sa.func.sum(both.c.k)
        return _materialised(
            sa.select(*keys[:3], sa.literal(0.0).label("mark"), keys[3], n.label("n"))
            .group_by(*keys)
            .having(n > 0),
            "blank",
        )

    def responses(self) -> sa.Select[Any]:
        """The stored responses to choice questions as text, grouped (parsed once per value)."""
        text = sa.cast(Answer.response, sa.Text)
        choices = _choice_ids()
        if self.want.question_ids is not None:
            choices = sorted(set(choices) & set(self.want.question_ids))
        return (
            self.answers.with_only_columns(
                *_row(
                    RESPONSE,
                    quiz_id=self.quiz_of,
                    question=Answer.question_id,
                    version=Answer.question_hash,
                    text=text,
                    n=sa.func.count(),
                )
            )
            .where(Answer.question_id.in_(choices))
            .group_by(*self.item, text)
        )

    def learners(self) -> list[sa.Select[Any]]:
        """Distinct learners per item (and in all, pooled): grouped by learner first, then
        counted, which is cheaper than COUNT(DISTINCT) over the answers."""
        t = self.totals.c
        labelled = [Answer.question_id.label("question"), Answer.question_hash.label("version")]
        per_learner = _materialised(
            self.answers.with_only_columns(*self.quiz, *labelled, t.user_id).group_by(
                *self.item, t.user_id
            ),
            "per_learner",
        )
        p = per_learner.c
        keys = [p.question, p.version] if self.want.pooled else [p.quiz_id, p.question, p.version]
        parts = [
            sa.select(
                *_row(
                    ITEM_LEARNERS,
                    quiz_id=None if self.want.pooled else p.quiz_id,
                    question=p.question,
                    version=p.version,
                    n=sa.func.count(),
                )
            ).group_by(*keys)
        ]
        if self.want.pooled:
            parts.append(sa.select(*_row(POOL_LEARNERS, n=sa.func.count(sa.distinct(p.user_id)))))
        return parts

    def positions(self) -> sa.Select[Any]:
        """Sums of x, x^2 and x X per position of the attempt (a quiz that draws)."""
        return self.answers.with_only_columns(
            *_row(
                POSITION,
                question=Answer.slot,
                a=sa.func.sum(Answer.score),
                b=sa.func.sum(Answer.score * Answer.score),
                c=sa.func.sum(Answer.score * self.totals.c.total),
                n=sa.func.count(),
            )
        ).group_by(Answer.slot)


ITEM = ("quiz_id", "question", "version")


def _cells_of(kind: int, cells: Any) -> sa.Select[Any]:
    """Rows of cells (quiz_id, question, version, mark, total, n) as the statement returns them."""
    c = cells.c
    return sa.select(
        *_row(
            kind,
            quiz_id=c.quiz_id,
            question=c.question,
            version=c.version,
            a=c.mark,
            b=c.total,
            n=c.n,
        )
    )


# How far from a flag's threshold an item still counts as possibly flagged: the moments below
# are summed in a different order from item_stats' sums, so they may differ in the last digits.
MARGIN = 1e-6


def _shortlist(marks: _Marks, cells: sa.CTE, blank: sa.CTE, count: int) -> sa.CTE:
    """The items that may be among the `count` worst, found by the database from each item's
    sums of x, x^2, X, X^2 and x X over its cells (answered and blank).

    From these sums come each item's facility and discrimination exactly (up to rounding); the
    discriminative efficiency needs the item's cells. An item is flagged by efficiency only if
    its discrimination is under the floor, as efficiency >= discrimination whenever the
    covariance is positive (covmax <= sd(x) sd(Y)). So the worst `count` are among the items
    whose discrimination is negative, undefined or under the floor, whose facility is outside
    the bounds, and the `count` of lowest discrimination; only they need their cells sent. A
    few more of the lowest are kept, for rounding.
    """
    both = sa.union_all(
        *(sa.select(*(c.c[k] for k in (*ITEM, "mark", "total", "n"))) for c in (cells, blank))
    ).subquery("both")
    x, total, n = both.c.mark, both.c.total, both.c.n
    keys = [both.c[k] for k in ITEM]
    sums = (
        sa.select(
            *keys,
            sa.func.sum(n).label("n"),
            sa.func.sum(x * n).label("sx"),
            sa.func.sum(x * x * n).label("sxx"),
            sa.func.sum(total * n).label("st"),
            sa.func.sum(total * total * n).label("stt"),
            sa.func.sum(x * total * n).label("sxt"),
        )
        .group_by(*keys)
        .having(sa.func.sum(n) >= MIN_GROUP)
        .subquery("sums")
    )
    m = sums.c
    # Y = X - x for a question the quiz always asks, X for one it draws (as item_stats takes it)
    fixed = sa.or_(
        sa.false(),
        *(
            sa.and_(m.quiz_id == quiz_id, m.question.in_(sorted(questions)))
            for quiz_id, questions in marks.want.fixed.items()
            if questions
        ),
    )
    sy = sa.case((fixed, m.st - m.sx), else_=m.st)
    syy = sa.case((fixed, m.stt - 2 * m.sxt + m.sxx), else_=m.stt)
    sxy = sa.case((fixed, m.sxt - m.sxx), else_=m.sxt)
    spread = (
        sa.select(
            m.quiz_id,
            m.version,
            m.n,
            m.sx,
            m.sxx,
            syy.label("syy"),
            (m.sxx - m.sx * m.sx / m.n).label("vx"),  # (s - 1) var(x)
            (syy - sy * sy / m.n).label("vy"),  # (s - 1) var(Y)
            (sxy - m.sx * sy / m.n).label("cv"),  # (s - 1) cov(x, Y)
        )
    ).subquery("spread")
    s = spread.c
    undefined = sa.or_(s.vx <= MARGIN * s.sxx, s.vy <= MARGIN * s.syy)
    # discrimination squared, with its sign: ordered as the discrimination is
    signed = sa.case(
        (undefined, 1e9),
        else_=sa.case((s.cv < 0, -s.cv * s.cv), else_=s.cv * s.cv) / (s.vx * s.vy),
    )
    floor = (item_stats.EFFICIENCY_FLOOR / 100) ** 2 * (1 + MARGIN)
    ranked = sa.select(
        s.quiz_id,
        s.version,
        sa.or_(
            undefined,
            s.cv < 0,
            s.cv * s.cv < floor * s.vx * s.vy,
            s.sx < (item_stats.FACILITY_LOW + MARGIN) * s.n,
            s.sx > (item_stats.FACILITY_HIGH - MARGIN) * s.n,
        ).label("flagged"),
        sa.func.row_number().over(order_by=(signed, s.quiz_id, s.version)).label("rank"),
    ).subquery("ranked")
    r = ranked.c
    return _materialised(
        sa.select(r.quiz_id, r.version).where(sa.or_(r.flagged, r.rank <= count + 5)),
        "shortlist",
    )


def _collect(rows: Iterable[Any], *, pooled: bool) -> _Gathered:
    """The gathering statement's rows, sorted into what each kind holds."""
    into = _Gathered()
    for kind, quiz_id, question, version, text, a, b, c, n in rows:
        key = ("" if pooled else str(quiz_id), str(question), str(version))
        if kind in (CELL, BLANK):
            into.cells.setdefault(key, []).append((float(a), float(b or 0.0), int(n)))
        elif kind == RESPONSE:
            into.responses.setdefault(key, Counter())[str(text)] += int(n)
        elif kind == ITEM_LEARNERS:
            into.learners[key] = int(n)
        elif kind == POOL_LEARNERS:
            into.pool_learners = int(n)
        elif kind == QUIZ:
            into.attempts[str(quiz_id)] = int(n)
        elif kind == QUIZ_LEARNERS:
            into.quiz_learners[str(quiz_id)] = int(n)
        elif kind == TOTAL:
            into.distribution.append((float(a), int(n)))
        elif kind == POSITION:
            into.positions[str(question)] = (float(a), float(b), float(c))
    return into


def _layout_slots(db: Session) -> Any:
    """The slots of an attempt's layout as rows (a JSON array unpacked by the database;
    PostgreSQL parses it once, as jsonb, rather than once per field read)."""
    if _postgres(db):
        layout = sa.cast(Attempt.layout, JSONB)
        return sa.func.jsonb_array_elements(layout).table_valued("value", name="layout_slot")
    return sa.func.json_each(Attempt.layout).table_valued("value", name="layout_slot")


def _json_text(db: Session, value: Any, key: str) -> sa.ColumnElement[Any]:
    """One field of a JSON object as text (the key is SQL text: GROUP BY must match SELECT)."""
    if _postgres(db):
        return sa.cast(value, JSONB).op("->>")(sa.literal_column(f"'{key}'"))
    return sa.func.json_extract(value, sa.literal_column(f"'$.{key}'"))


def _postgres(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def _load_versions(db: Session, question_ids: Iterable[str]) -> dict[str, list[str]]:
    """Every kept version of these questions, oldest first, loaded in one query (so that
    `versions.question` then finds each one in the session)."""
    ids = sorted(set(question_ids))
    found: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        for version in db.scalars(
            sa.select(QuestionVersion)
            .where(QuestionVersion.question_id.in_(ids[start : start + 500]))
            .order_by(QuestionVersion.first_seen_at, QuestionVersion.content_hash)
        ):
            found.setdefault(version.question_id, []).append(version.content_hash)
    return found


# ---- responses ----


def chosen_options(question: Question, response: Mapping[str, Any]) -> list[str]:
    """The option ids a stored response chose ("true"/"false" for a true/false question)."""
    if isinstance(question, SingleChoice):
        return [str(response.get("choice"))]
    if isinstance(question, MultipleResponse):
        choices = response.get("choices")
        return [str(c) for c in choices] if isinstance(choices, list) else []
    if isinstance(question, TrueFalse):
        value = response.get("value")
        return [str(value).lower()] if isinstance(value, bool) else []
    return []


def options_of(question: Question) -> list[tuple[str, str, bool, str | None]]:
    """(id, text, correct, misconception) for each option of a choice question."""
    if isinstance(question, SingleChoice | MultipleResponse):
        return [(o.id, o.text, o.correct, o.misconception) for o in question.options]
    if isinstance(question, TrueFalse):
        return [
            (
                str(value).lower(),
                str(value),
                value == question.answer,
                None if value == question.answer else question.misconception,
            )
            for value in (True, False)
        ]
    return []


def parse_response(text: str) -> Mapping[str, Any]:
    """A stored response from its text (a value that is not a JSON object chose nothing)."""
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _shares(question: Question, responses: Mapping[str, int]) -> tuple[OptionShare, ...] | None:
    options = options_of(question)
    if not options:
        return None
    answered = sum(responses.values())
    tally: Counter[str] = Counter()
    for text, attempts in responses.items():
        for option_id in set(chosen_options(question, parse_response(text))):
            tally[option_id] += attempts
    return tuple(
        OptionShare(
            option_id,
            text,
            correct,
            misconception,
            tally[option_id],
            tally[option_id] / answered if answered else 0.0,
        )
        for option_id, text, correct, misconception in options
    )


# ---- statistics ----


@dataclass(frozen=True)
class _Slots:
    labels: list[str]
    variances: list[float]
    covariances: list[float | None]


def _slot_sums(gathered: _Gathered, quiz: Quiz) -> _Slots | None:
    """Each slot's var(x) and cov(x, X) over every chosen attempt (unanswered slots score 0).

    A quiz that only asks fixed questions has a slot per question (its sums come from the
    items' cells, every version of the question together); one that draws has a slot per
    position (what fills it is drawn at random, like Moodle's random-question slots).
    """
    attempts = sum(count for _, count in gathered.distribution)
    if attempts < 2:
        return None
    fixed = not quiz.draws
    if fixed:
        sums: dict[str, tuple[float, float, float]] = {}
        for (_, question_id, _), cells in gathered.cells.items():
            x, xx, xt = sums.get(question_id, (0.0, 0.0, 0.0))
            for mark, total, count in cells:
                x, xx, xt = x + mark * count, xx + mark * mark * count, xt + mark * total * count
            sums[question_id] = (x, xx, xt)
        labels = keys = list(quiz.questions)
    else:
        sums = gathered.positions
        positions = max([quiz.size, *(int(k) + 1 for k in sums)])
        keys = [str(n) for n in range(positions)]
        labels = [f"Position {n + 1}" for n in range(positions)]
    sum_total = sum(total * count for total, count in gathered.distribution)
    variances, covariances = [], []
    for one in keys:
        x, xx, xt = sums.get(one, (0.0, 0.0, 0.0))
        variances.append(max(0.0, (xx - x * x / attempts) / (attempts - 1)))
        covariances.append((xt - x * sum_total / attempts) / (attempts - 1))
    return _Slots(labels, variances, list[float | None](covariances))


def _item_rows(
    db: Session,
    gathered: _Gathered,
    *,
    drawn: Callable[[str, str], bool],
    learners_of: Callable[[ItemKey], int],
    weights: Mapping[str, tuple[float, float | None]] | None = None,
    keys: Iterable[ItemKey] | None = None,
) -> list[tuple[str, ItemRow]]:
    """(quiz id, row) for each item gathered (or each of `keys`); `drawn(quiz_id, question_id)`
    says whether the question was drawn at random, `learners_of(key)` how many learners the item
    had."""
    wanted = sorted(gathered.cells if keys is None else keys)
    kept = _load_versions(db, (qid for _, qid, _ in wanted))
    content = catalogue()
    rows: list[tuple[str, ItemRow]] = []
    for key in wanted:
        quiz_id, question_id, question_hash = key
        question = versions.question(db, question_hash)
        learners = learners_of(key)
        shown = learners >= MIN_GROUP
        stats = None
        if shown:
            stats = item_stats.item_statistics(
                gathered.cells[key],
                random_guess=item_stats.random_guess_score(question),
                rest_is_total=drawn(quiz_id, question_id),
            )
        order = kept.get(question_id, [])
        current = content.questions.get(question_id)
        intended, effective = (weights or {}).get(question_id, (None, None))
        responses = gathered.responses.get(key)
        rows.append(
            (
                quiz_id,
                ItemRow(
                    question_id=question_id,
                    question_hash=question_hash,
                    version=order.index(question_hash) + 1 if question_hash in order else 1,
                    current=current is not None and current.content_hash == question_hash,
                    kind=question.type,
                    competency=content.competency_of.get(question_id),
                    stem=question.stem,
                    learners=learners if shown else None,
                    stats=stats,
                    intended_weight=intended if shown else None,
                    effective_weight=effective if shown else None,
                    responses=_shares(question, responses or {}) if shown else None,
                ),
            )
        )
    return rows


# ---- per quiz and per bank ----


def quiz_analysis(
    actor: Actor, cohort_id: int, quiz_id: str, which: Which | None = None
) -> ItemAnalysis:
    """Moodle's statistics for one quiz over the cohort in view; `which` attempts per learner
    (default: those the quiz's grading method counts; all of them for an average)."""
    quiz = catalogue().quiz(quiz_id)
    chosen_which = _which(which) if which is not None else BY_GRADING[quiz.grading]
    return kept_report(
        actor,
        cohort_id,
        ("quiz analysis", quiz_id, chosen_which),
        lambda db, scope: _quiz_analysis(db, scope, quiz, chosen_which),
    )


def _quiz_analysis(db: Session, scope: CohortScope, quiz: Quiz, which: Which) -> ItemAnalysis:
    fixed = not quiz.draws
    want = _Want(
        responses=True,
        learners=which == "all",
        distribution=True,
        positions=not fixed,
    )
    gathered = _gather(db, scope, [quiz.id], which, want)
    attempts = gathered.attempts.get(quiz.id, 0)
    learners = gathered.quiz_learners.get(quiz.id, 0)
    if learners < MIN_GROUP:
        return ItemAnalysis("quiz", quiz.id, quiz.title, which, None, None, None, (), ())
    slots = _slot_sums(gathered, quiz)
    test: TestStats | None = None
    slot_weights: tuple[SlotWeight, ...] = ()
    weights: dict[str, tuple[float, float | None]] = {}
    if slots is not None:
        test = item_stats.test_statistics(gathered.distribution, slots.variances)
        intended = item_stats.intended_weights([1.0] * len(slots.labels))
        effective = item_stats.effective_weights(slots.covariances)
        slot_weights = tuple(
            SlotWeight(label, i, e)
            for label, i, e in zip(slots.labels, intended, effective, strict=True)
        )
        if fixed:
            weights = {w.label: (w.intended, w.effective) for w in slot_weights}

    def learners_of(key: ItemKey) -> int:
        if which == "all":
            return gathered.learners.get(key, 0)
        return sum(n for _, _, n in gathered.cells[key])  # one attempt per learner

    rows = _item_rows(
        db,
        gathered,
        drawn=lambda _quiz, question_id: question_id not in quiz.questions,
        learners_of=learners_of,
        weights=weights,
    )
    return ItemAnalysis(
        kind="quiz",
        id=quiz.id,
        title=quiz.title,
        which=which,
        learners=learners,
        attempts=attempts,
        test=test,
        slots=slot_weights,
        items=tuple(row for _, row in rows),
    )


def bank_analysis(
    actor: Actor, cohort_id: int, bank_id: str, which: Which = "highest"
) -> ItemAnalysis:
    """Statistics of a bank's questions over every quiz that asked them in the cohort in view.

    The attempts come from different quizzes, so each is measured by its score (0 to 1) and a
    question is compared with the whole score; there are no quiz-level statistics.
    """
    bank = catalogue().banks.get(bank_id)
    if bank is None:
        raise NotFound(f"There is no question bank '{bank_id}'.")
    chosen_which = _which(which)
    return kept_report(
        actor,
        cohort_id,
        ("bank analysis", bank_id, chosen_which),
        lambda db, scope: _bank_analysis(db, scope, bank, chosen_which),
    )


def _bank_analysis(db: Session, scope: CohortScope, bank: Bank, which: Which) -> ItemAnalysis:
    question_ids = {q.id for q in bank.questions}
    want = _Want(pooled=True, question_ids=question_ids, responses=True, learners=True)
    asking = _quizzes_asking(db, question_ids, bank.competency)
    gathered = _gather(db, scope, asking, which, want)
    rows = _item_rows(
        db,
        gathered,
        drawn=lambda _quiz, _question: True,
        learners_of=lambda key: gathered.learners.get(key, 0),
    )
    attempts = sum(n for cells in gathered.cells.values() for _, _, n in cells)
    learners = gathered.pool_learners
    shown = learners >= MIN_GROUP
    return ItemAnalysis(
        kind="bank",
        id=bank.id,
        title=bank.title,
        which=which,
        learners=learners if shown else None,
        attempts=attempts if shown else None,
        test=None,
        slots=(),
        items=tuple(row for _, row in rows) if shown else (),
    )


def _quizzes_asking(db: Session, question_ids: Collection[str], competency: str) -> set[str]:
    """The quizzes that may have asked any of these questions: those of which today's version
    or a kept one lists one of them or draws from their competency. (An attempt of a version not
    kept had today's quiz; a question's competency is its bank's.)"""
    ids = set(question_ids)

    def asks(quiz: Quiz) -> bool:
        return bool(ids & set(quiz.questions)) or any(
            d.competency == competency for d in quiz.draws
        )

    found = {q.id for q in catalogue().quizzes.values() if asks(q)}
    for kept in db.scalars(sa.select(QuizVersion).where(QuizVersion.quiz_id.not_in(found))):
        if asks(versions.quiz(db, kept.content_hash, kept.quiz_id)):
            found.add(kept.quiz_id)
    return found


def worst_items(actor: Actor, cohort_id: int, count: int = 3) -> list[WorstItem]:
    """The cohort's most dubious items on its graded quizzes (each learner's highest attempt):
    flagged ones first, then the lowest discrimination, each with the reason."""
    return list(
        kept_report(
            actor,
            cohort_id,
            ("worst items", count),
            lambda db, scope: _worst_items(db, scope, count),
        )
    )


def _worst_items(db: Session, scope: CohortScope, count: int) -> tuple[WorstItem, ...]:
    quizzes = {
        q: catalogue().quiz(q)
        for q in catalogue().track(scope.track).quizzes
        if catalogue().quiz(q).graded
    }
    want = _Want(shortlist=count, fixed={q: quiz.questions for q, quiz in quizzes.items()})
    gathered = _gather(db, scope, list(quizzes), "highest", want)
    rows = _item_rows(
        db,
        gathered,
        drawn=lambda quiz_id, question_id: question_id not in quizzes[quiz_id].questions,
        learners_of=lambda key: sum(n for _, _, n in gathered.cells[key]),
    )
    scored = [(q, r) for q, r in rows if r.stats is not None]

    def badness(entry: tuple[str, ItemRow]) -> tuple[bool, float]:
        stats = entry[1].stats
        assert stats is not None
        low = stats.discrimination if stats.discrimination is not None else float("inf")
        return (not stats.flags, low)

    worst = []
    for quiz_id, row in sorted(scored, key=badness)[:count]:
        stats = row.stats
        assert stats is not None
        reason = " ".join(stats.flags) or (
            "Among the items that least tell stronger learners from weaker ones "
            f"(discrimination {stats.discrimination:.0f})."
            if stats.discrimination is not None
            else "Everyone scored the same on it, so it tells nothing about who has learned what."
        )
        worst.append(
            WorstItem(
                quiz_id=quiz_id,
                quiz_title=quizzes[quiz_id].title,
                question_id=row.question_id,
                question_hash=row.question_hash,
                stem=row.stem,
                facility=stats.facility,
                discrimination=stats.discrimination,
                reason=reason,
            )
        )
    return tuple(worst)


# ---- misconceptions ----


def _values(name: str, rows: Sequence[tuple[str | int, ...]]) -> sa.Subquery:
    """A VALUES list as a table (columns column1, column2, ...: both SQLite and PostgreSQL name
    them so), every value a bound parameter; a column is an integer where its values are."""
    width = len(rows[0])
    params: dict[str, str | int] = {}
    lines = []
    for i, row in enumerate(rows):
        names = [f"{name}_{i}_{j}" for j in range(width)]
        params.update(zip(names, row, strict=True))
        lines.append("(" + ", ".join(f":{n}" for n in names) + ")")
    columns = [
        sa.column(f"column{j + 1}", sa.Integer if isinstance(rows[0][j], int) else sa.String)
        for j in range(width)
    ]
    return (
        sa.text("VALUES " + ", ".join(lines)).bindparams(**params).columns(*columns).subquery(name)
    )


def _week(db: Session, moment: Any = Answer.answered_at) -> sa.ColumnElement[Any]:
    """The Monday (UTC) of the week of a moment (by default, when an answer was given)."""
    if _postgres(db):
        # constants as SQL text: a bound parameter would make GROUP BY differ from SELECT
        utc = sa.func.timezone(sa.literal_column("'UTC'"), moment)
        return sa.cast(sa.func.date_trunc(sa.literal_column("'week'"), utc), sa.Date)
    return sa.func.date(moment, sa.literal_column("'weekday 0'"), sa.literal_column("'-6 days'"))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _held(learners: int, chose: int) -> tuple[int | None, int | None, float | None]:
    if learners < MIN_GROUP:
        return None, None, None
    return learners, chose, chose / learners


def misconceptions(actor: Actor, cohort_id: int, which: Which = "all") -> MisconceptionReport:
    """The misconceptions (named by wrong options) the cohort in view holds most: the share of
    learners who met an item offering one and chose it, the items behind it, and by week.

    Which version offers which misconception is read from the kept versions, and which response
    reveals which from the distinct wrong responses (grouped by the database, parsed once each);
    then one statement counts learners, grouped by learner first: who answered an item offering
    each misconception, and who chose one (among the answers that scored under 1: an option
    naming a misconception is a wrong one).
    """
    chosen_which = _which(which)
    return kept_report(
        actor,
        cohort_id,
        ("misconceptions", chosen_which),
        lambda db, scope: _misconceptions(db, scope, chosen_which),
    )


def _misconceptions(db: Session, scope: CohortScope, which: Which) -> MisconceptionReport:
    mapping = _misconception_map(db)
    if not mapping.offered:
        return MisconceptionReport(which, ())
    chosen = _dated(db, _chosen_select(scope, None, which, Attempt.started_at, Attempt.finished_at))
    counted = _count_misconceptions(db, chosen, mapping)
    kept = _load_versions(db, (str(row[1]) for row in counted.by_question))
    newest = {qid: versions.question(db, hashes[-1]) for qid, hashes in kept.items()}
    return MisconceptionReport(which, _report(mapping, counted, newest))


def _dated(db: Session, chosen: sa.Select[Any]) -> sa.CTE:
    """The chosen attempts (id, user_id) with the weeks they started and finished in; `chosen`
    has the attempts' started_at and finished_at."""
    picked = chosen.subquery("picked")
    return _materialised(
        sa.select(
            picked.c.id,
            picked.c.user_id,
            _week(db, picked.c.started_at).label("first_week"),
            _week(db, picked.c.finished_at).label("last_week"),
        ),
        "chosen",
    )


def _answer_week(db: Session, chosen: sa.CTE) -> sa.ColumnElement[Any]:
    """The week of an answer: its attempt's, when the attempt started and finished in one week
    (every answer falls between the two), which spares reading each answer's time."""
    c = chosen.c
    return sa.case((c.first_week == c.last_week, c.first_week), else_=_week(db))


@dataclass
class _Mapping:
    codes: dict[str, int] = field(default_factory=dict)  # misconception -> a small number
    offered: set[tuple[str, str, int]] = field(default_factory=set)  # question, version, code
    revealed: set[tuple[str, str, int]] = field(default_factory=set)  # version, response, code

    def code(self, misconception: str) -> int:
        return self.codes.setdefault(misconception, len(self.codes))

    def units(self) -> tuple[dict[int, int], set[tuple[str, str, int]]]:
        """Misconceptions offered by the same items share a unit, whose learners are counted
        once for all of them: (code -> unit, and (question, version, unit) for each item)."""
        items: dict[int, set[tuple[str, str]]] = {}
        for question_id, question_hash, code in self.offered:
            items.setdefault(code, set()).add((question_id, question_hash))
        unit_of: dict[frozenset[tuple[str, str]], int] = {}
        units = {c: unit_of.setdefault(frozenset(i), len(unit_of)) for c, i in items.items()}
        offered = {(q, h, u) for key, u in unit_of.items() for q, h in key}
        return units, offered


def _misconception_map(db: Session) -> _Mapping:
    """Which misconceptions each kept version of a choice question offers (its wrong options
    name them), and which each distinct wrong response stored reveals."""
    mapping = _Mapping()
    choices = _choice_ids()
    named: dict[str, dict[str, int]] = {}  # version -> option id -> misconception
    for kept in db.scalars(
        sa.select(QuestionVersion).where(QuestionVersion.question_id.in_(choices))
    ):
        question = versions.question(db, kept.content_hash)
        named[kept.content_hash] = options = {
            o[0]: mapping.code(o[3]) for o in options_of(question) if o[3] and not o[2]
        }
        mapping.offered.update((kept.question_id, kept.content_hash, c) for c in options.values())
    text = sa.cast(Answer.response, sa.Text)
    wrong = db.execute(
        sa.select(Answer.question_hash, text)
        # expressions: a plain scan of the answers, not a look-up per question in an index
        .where(Answer.score + 0 < 1, (Answer.question_id + "").in_(choices))
        .group_by(Answer.question_hash, text)
    )
    for question_hash, response_text in wrong:
        options = named.get(question_hash, {})
        if not options:  # a version that names no misconception
            continue
        response = parse_response(response_text)
        for option_id in chosen_options(versions.question(db, question_hash), response):
            if (code := options.get(option_id)) is not None:
                mapping.revealed.add((question_hash, response_text, code))
    return mapping


@dataclass(frozen=True)
class _Counted:
    overall: list[tuple[Any, ...]]  # (code, learners, chose)
    by_question: list[tuple[Any, ...]]  # (code, question id, learners, chose)
    by_week: list[tuple[Any, ...]]  # (code, week, learners, chose)


# what the counting statement's rows count: learners who met a unit's items, or who chose a
# misconception; in all, per question, per week
MET, CHOSE = 0, 1
ALL, PER_QUESTION, PER_WEEK = 0, 1, 2


def _count_misconceptions(db: Session, chosen: sa.CTE, mapping: _Mapping) -> _Counted:
    """Learners per misconception (in all, per question, per week), counted in one statement.

    Each side is grouped by learner first, (unit or misconception, question, week, learner),
    and that grouping is materialised; the counts then read it. Who met a misconception is
    counted per unit (the misconceptions offered by the same items), so an answer joins one row,
    not one per misconception its item offers. Most units and misconceptions belong to one
    question: their count per question is their count in all, and each of their learners is in
    the grouping once a week, so those weeks are counted without a DISTINCT.
    """
    units, unit_items = mapping.units()
    questions: dict[int, set[str]] = {}
    for question_id, _, unit in unit_items:
        questions.setdefault(unit, set()).add(question_id)
    single = {u for u, q in questions.items() if len(q) == 1}
    week = _answer_week(db, chosen).label("week")
    offer = _values("offered", sorted(unit_items))
    met = _per_learner(
        chosen,
        week,
        offer,
        # expressions, not bare columns: the databases then look each answer's item up in the
        # small list, never the list's items up in (an index built on) answers
        sa.and_(
            offer.c.column1 == Answer.question_id + "",
            offer.c.column2 == Answer.question_hash + "",
        ),
    )
    sides = [(MET, _materialised(met, "met"), single)]
    if mapping.revealed:
        reveal = _values("revealed", sorted(mapping.revealed))
        chose = _per_learner(
            chosen,
            week,
            reveal,
            sa.and_(
                reveal.c.column1 == Answer.question_hash + "",
                reveal.c.column2 == sa.cast(Answer.response, sa.Text),
            ),
            Answer.score < 1,  # a response naming a misconception chose a wrong option
        )
        one = {c for c, u in units.items() if u in single}
        sides.append((CHOSE, _materialised(chose, "chose"), one))
    parts = []
    for side, rows, simple in sides:
        parts += _learner_counts(side, rows, simple)
    counts: dict[tuple[int, int, int, str | None], int] = {}
    for side, by, key, detail, learners in db.execute(sa.union_all(*parts)):
        found = (int(side), int(by), int(key), None if detail is None else str(detail))
        counts[found] = int(learners)
    only = {u: next(iter(q)) for u, q in questions.items() if u in single}
    return _assemble(counts, units, only)


def _per_learner(
    chosen: sa.CTE,
    week: sa.ColumnElement[Any],
    keyed: sa.Subquery,
    on: sa.ColumnElement[bool],
    *where: sa.ColumnElement[bool],
) -> sa.Select[Any]:
    """The chosen attempts' answers joined to a VALUES list (`keyed`, its third column the key),
    grouped by (key, question, week, learner)."""
    return (
        sa.select(
            keyed.c.column3.label("key"),
            Answer.question_id.label("question"),
            week,
            chosen.c.user_id,
        )
        .select_from(chosen)
        .join(Answer, Answer.attempt_id == chosen.c.id)
        .join(keyed, on)
        .where(*where)
        .group_by(keyed.c.column3, Answer.question_id, week, chosen.c.user_id)
    )


def _learner_counts(side: int, rows: sa.CTE, simple: Collection[int]) -> list[sa.Select[Any]]:
    """Distinct learners per key (in all, per question, per week) from rows grouped by (key,
    question, week, learner); `simple` keys have one question (see `_count_misconceptions`)."""
    r = rows.c
    is_simple = r.key.in_(sorted(simple))

    def tagged(by: int, detail: Any, query: Any, *keys: Any) -> sa.Select[Any]:
        q = query.c
        return sa.select(
            sa.literal(side).label("side"),
            sa.literal(by).label("by"),
            q.key,
            sa.cast(q[detail] if detail else sa.null(), sa.String).label("detail"),
            sa.func.count().label("learners"),
        ).group_by(q.key, *(q[k] for k in keys))

    learners = sa.select(r.key, r.user_id).distinct().subquery()
    parts = [tagged(ALL, None, learners)]
    weekly = sa.select(r.key, r.week).where(is_simple).subquery()
    parts.append(tagged(PER_WEEK, "week", weekly, "week"))
    # keys spread over several questions (a few): counted apart, per week and per question
    mixed = ~is_simple
    by_week = sa.select(r.key, r.week, r.user_id).where(mixed).distinct().subquery()
    by_question = sa.select(r.key, r.question, r.user_id).where(mixed).distinct().subquery()
    parts.append(tagged(PER_WEEK, "week", by_week, "week"))
    parts.append(tagged(PER_QUESTION, "question", by_question, "question"))
    return parts


def _assemble(
    counts: Mapping[tuple[int, int, int, str | None], int],
    units: Mapping[int, int],
    only: Mapping[int, str],
) -> _Counted:
    """The counts per misconception: learners who met it (its unit's) beside those who chose it;
    `only` is the one question of each unit that has one (counted in all, not per question)."""
    codes: dict[int, list[int]] = {}
    for code, unit in units.items():
        codes.setdefault(unit, []).append(code)
    overall: list[tuple[Any, ...]] = []
    by_question: list[tuple[Any, ...]] = []
    by_week: list[tuple[Any, ...]] = []
    for (side, by, unit, detail), learners in counts.items():
        if side != MET:
            continue
        for code in codes.get(unit, []):
            chose = counts.get((CHOSE, by, code, detail), 0)
            if by == ALL:
                overall.append((code, learners, chose))
                if unit in only:
                    by_question.append((code, only[unit], learners, chose))
            elif by == PER_QUESTION:
                by_question.append((code, detail, learners, chose))
            else:
                by_week.append((code, detail, learners, chose))
    return _Counted(overall, by_question, by_week)


def _report(
    mapping: _Mapping, counted: _Counted, newest: Mapping[str, Question]
) -> tuple[Misconception, ...]:
    names = {code: text for text, code in mapping.codes.items()}
    items: dict[int, list[MisconceptionItem]] = {}
    for code, question_id, learners, chose in counted.by_question:
        question = newest.get(question_id)
        options = tuple(
            o[1] for o in (options_of(question) if question else []) if o[3] == names[code]
        )
        stem = question.stem if question else ""
        held = _held(int(learners), int(chose))
        items.setdefault(code, []).append(MisconceptionItem(question_id, stem, options, *held))
    weeks: dict[int, list[WeekShare]] = {}
    for code, when, learners, chose in counted.by_week:
        held = _held(int(learners), int(chose))
        weeks.setdefault(code, []).append(WeekShare(_as_date(when), *held))
    found = []
    for code, learners, chose in counted.overall:
        behind = sorted(items.get(code, []), key=lambda i: (-(i.share or -1), i.question_id))
        found.append(
            Misconception(
                names[code],
                *_held(int(learners), int(chose)),
                items=tuple(behind),
                weeks=tuple(sorted(weeks.get(code, []), key=lambda w: w.week)),
            )
        )
    found.sort(key=lambda m: (m.share is None, -(m.share or 0.0), -(m.chose or 0), m.text))
    return tuple(found)
