"""Exports for trainers: a cohort's scores, attempts and mastery as CSV files that are safe to
open in a spreadsheet program.

- Spreadsheet-safe: a cell that starts with =, +, -, @, a tab or a carriage return could run as
  a formula, so it is prefixed with a single quote (names typed into rosters included).
- UTF-8 with a byte-order mark, so spreadsheet programs show Urdu names as written.
- Every export leaves an audit row naming who exported what.
- Mastery of a competency is a learner's mean score on the answers they gave to its questions in
  finished attempts at the track's graded quizzes (0 to 1; blank without any such answer).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import config
from course.content.current import catalogue
from course.content.schema import COMPETENCY_TITLES
from course.errors import NotFound
from course.learning import results
from course.services import audit, report_cache
from course.services.access import Actor, acting, learners_in_view
from course.services.item_analysis import CohortScope, cohort_in_view
from course.store.db import reading, transaction
from course.store.models import Answer, Attempt, Cohort, Enrolment, Section, User

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
TRAINERS = ("trainer",)  # per-learner records: the cohort's trainers and administrators


@dataclass(frozen=True)
class Export:
    """A file to hand over: the page offers it as a download, the command line writes it."""

    filename: str
    data: bytes  # UTF-8 with a byte-order mark
    rows: int  # data rows, not counting the header
    media_type: str = "text/csv"


def neutralise(value: object) -> str:
    """A cell's text, with a leading quote where a spreadsheet would read a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(RISKY_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file as bytes: every cell neutralised, UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def _moment(value: datetime | None) -> str:
    """A time as the academy reads it (its time zone), to the minute."""
    return "" if value is None else value.astimezone(config.timezone()).strftime("%Y-%m-%d %H:%M")


def file_name(cohort: str, what: str) -> str:
    """The name an export of a cohort is saved under (page and command line alike)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", cohort).strip("-").lower() or "cohort"
    return f"{slug}-{what}.csv"


def cohort_named(actor: Actor, name: str) -> int:
    """The id of the cohort of this name, for its trainers and administrators."""
    with reading() as db:
        me = acting(db, actor)
        cohort_id = db.scalar(sa.select(Cohort.id).where(Cohort.name == name.strip()))
        if cohort_id is None:
            if me.is_admin:
                raise NotFound(f"There is no cohort named '{name.strip()[:120]}'.")
            cohort_id = -1  # the same refusal as for a cohort that exists but is not theirs
        cohort_in_view(db, me, cohort_id, TRAINERS)
        return int(cohort_id)


# ---- reading the records ----


def _learners(db: Session, scope: CohortScope) -> list[Any]:
    return list(
        db.execute(
            sa.select(User.id, User.username, User.full_name, Section.name.label("section"))
            .join(Enrolment, Enrolment.user_id == User.id)
            .outerjoin(Section, Section.id == Enrolment.section_id)
            .where(learners_in_view(scope.cohort_id, scope.sections))
            .order_by(Section.name, User.full_name, User.username)
        )
    )


def _mastery(
    db: Session, scope: CohortScope, quiz_ids: Sequence[str]
) -> dict[tuple[int, str], float]:
    """(learner, competency) -> mean answer score, grouped by the database.

    The database sums the scores (each has 4 places) and counts them: the sum rounded to 4
    places is exact, so the mean does not depend on the order the database added them in.
    The answers are read from ix_answer_attempt_marks alone."""
    content = catalogue()
    whens = [
        (
            Answer.question_id.in_(sorted(q for q, c in content.competency_of.items() if c == one)),
            one,
        )
        for one in COMPETENCY_TITLES
    ]
    competency = sa.case(*whens, else_=sa.null()).label("competency")
    learners = sa.select(Enrolment.user_id).where(learners_in_view(scope.cohort_id, scope.sections))
    rows = db.execute(
        sa.select(Attempt.user_id, competency, sa.func.sum(Answer.score), sa.func.count())
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(
            Attempt.user_id.in_(learners),
            Attempt.finished_at.is_not(None),
            Attempt.quiz_id.in_(quiz_ids),
        )
        .group_by(Attempt.user_id, competency)
    )
    return {
        (user_id, one): round(float(total), 4) / int(count)
        for user_id, one, total, count in rows
        if one is not None and count
    }


def _finished_scores(
    db: Session, scope: CohortScope, quiz_ids: Sequence[str]
) -> dict[tuple[int, str], tuple[float, ...]]:
    """(learner, quiz) -> the scores of their finished attempts, in attempt order."""
    finished = db.execute(
        sa.select(Attempt.user_id, Attempt.quiz_id, Attempt.score)
        .join(Enrolment, Enrolment.user_id == Attempt.user_id)
        .where(
            learners_in_view(scope.cohort_id, scope.sections),
            Attempt.finished_at.is_not(None),
            Attempt.quiz_id.in_(quiz_ids),
        )
        .order_by(Attempt.user_id, Attempt.quiz_id, Attempt.attempt_no)
    )
    scores: dict[tuple[int, str], list[float]] = {}
    for user_id, quiz_id, score in finished:
        if score is not None:
            scores.setdefault((user_id, quiz_id), []).append(score)
    return {key: tuple(taken) for key, taken in scores.items()}


def _audited(actor: Actor, what: str, cohort_id: int, rows: int) -> None:
    """The audit row, in a short write of its own once the reading is done."""
    with transaction() as db:
        audit.record(db, acting(db, actor), f"{what}.export", "cohort", cohort_id, rows=rows)


# ---- the exports ----


def scores_csv(actor: Actor, cohort_id: int) -> Export:
    """One row per learner in view: each quiz's grade (by its grading method), whether it
    passes, the finished attempts, and mastery per competency."""
    with reading() as db:
        scope = cohort_in_view(db, actor, cohort_id, TRAINERS)
        cohort = db.get(Cohort, cohort_id)
        assert cohort is not None  # cohort_in_view found it
        track = catalogue().track(scope.track)
        quizzes = [catalogue().quiz(q) for q in track.quizzes]
        learners = _learners(db, scope)
        scores = report_cache.kept(
            db,
            ("finished scores", tuple(track.quizzes)),
            scope.cohort_id,
            scope.sections,
            lambda: _finished_scores(db, scope, track.quizzes),
        )
        graded = [q.id for q in quizzes if q.graded]
        mastery = report_cache.kept(
            db,
            ("learner mastery", tuple(graded)),
            scope.cohort_id,
            scope.sections,
            lambda: _mastery(db, scope, graded),
        )
    header = ["username", "full_name", "section"]
    for quiz in quizzes:
        header += [f"{quiz.id} grade", f"{quiz.id} passed", f"{quiz.id} attempts"]
    header += [f"mastery {competency}" for competency in COMPETENCY_TITLES]
    rows = []
    for learner in learners:
        row: list[object] = [learner.username, learner.full_name, learner.section or ""]
        for quiz in quizzes:
            taken = list(scores.get((learner.id, quiz.id), ()))
            grade = results.quiz_grade(quiz.grading, taken)
            passed = (
                "" if grade is None else ("yes" if results.passed(quiz.pass_mark, grade) else "no")
            )
            row += [_number(grade), passed, len(taken)]
        row += [_number(mastery.get((learner.id, c))) for c in COMPETENCY_TITLES]
        rows.append(row)
    _audited(actor, "scores", cohort_id, len(rows))
    return Export(file_name(cohort.name, "scores"), csv_bytes(header, rows), len(rows))


def attempts_csv(actor: Actor, cohort_id: int) -> Export:
    """One row per finished quiz attempt of the learners in view (times in the academy's zone)."""
    with reading() as db:
        scope = cohort_in_view(db, actor, cohort_id, TRAINERS)
        cohort = db.get(Cohort, cohort_id)
        assert cohort is not None
        attempts = db.execute(
            sa.select(
                User.username,
                User.full_name,
                Section.name,
                Attempt.quiz_id,
                Attempt.attempt_no,
                Attempt.started_at,
                Attempt.finished_at,
                Attempt.score,
            )
            .join(Enrolment, Enrolment.user_id == User.id)
            .outerjoin(Section, Section.id == Enrolment.section_id)
            .join(Attempt, Attempt.user_id == User.id)
            .where(
                learners_in_view(scope.cohort_id, scope.sections), Attempt.finished_at.is_not(None)
            )
            .order_by(
                Section.name, User.full_name, User.username, Attempt.quiz_id, Attempt.attempt_no
            )
        ).all()
    content = catalogue()
    header = [
        "username",
        "full_name",
        "section",
        "quiz",
        "attempt",
        "started",
        "finished",
        "score",
        "passed",
    ]
    rows = []
    for username, full_name, section, quiz_id, number, started, ended, score in attempts:
        quiz = content.quizzes.get(quiz_id)
        passed = (
            ""
            if quiz is None or score is None
            else ("yes" if results.passed(quiz.pass_mark, score) else "no")
        )
        rows.append(
            [
                username,
                full_name,
                section or "",
                quiz_id,
                number,
                _moment(started),
                _moment(ended),
                _number(score),
                passed,
            ]
        )
    _audited(actor, "attempts", cohort_id, len(rows))
    return Export(file_name(cohort.name, "attempts"), csv_bytes(header, rows), len(rows))
