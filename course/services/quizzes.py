"""Quizzes: start an attempt, record each answer when given, finish, review as the policy allows."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course import clock
from course.clock import as_utc
from course.content.current import catalogue
from course.content.schema import Question, Quiz
from course.errors import BadInput, Conflict, NotAllowed, NotFound
from course.learning import assembly, grading
from course.learning import attempts as rules
from course.services.access import Actor, learner_enrolments
from course.store.db import reading, transaction
from course.store.models import Answer, Attempt, Cohort, QuestionVersion

_QUESTION = TypeAdapter(Question)
_VERSIONS: dict[str, Question] = {}  # content hash -> question: immutable, so safe to share


@dataclass(frozen=True)
class QuizStatus:
    quiz: Quiz
    used: int
    left: int | None  # None: no limit
    grade: float | None  # by the quiz's grading method, over finished attempts
    passed: bool
    open_attempt: int | None
    is_open: bool
    scores: tuple[tuple[int, datetime, float], ...]  # finished: attempt no, finished at, score


@dataclass(frozen=True)
class SlotView:
    slot: int
    question: Question  # the version the attempt was started with
    order: tuple[str, ...]
    response: Mapping[str, Any] | None
    score: float | None


@dataclass(frozen=True)
class AttemptView:
    id: int
    quiz: Quiz
    attempt_no: int
    started_at: datetime
    deadline: datetime | None
    finished: bool
    score: float | None
    slots: tuple[SlotView, ...]
    visible: frozenset[str]  # what the review policy shows now: score/correctness/feedback/key

    @property
    def unanswered(self) -> list[int]:
        return [s.slot for s in self.slots if s.response is None]


# ---- who may take what ----


def _tracks(db: Session, actor: Actor) -> set[str]:
    cohort_ids = [e.cohort_id for e in learner_enrolments(db, actor)]
    return set(db.scalars(sa.select(Cohort.track).where(Cohort.id.in_(cohort_ids))))


def _allowed(quiz: Quiz, tracks: set[str]) -> bool:
    if set(quiz.tracks) & tracks:
        return True
    # a knowledge check belongs to the modules that use it
    return any(
        m.knowledge_check == quiz.id and m.status == "approved" and set(m.tracks) & tracks
        for m in catalogue().modules.values()
    )


def _quiz_for(db: Session, actor: Actor, quiz_id: str) -> Quiz:
    quiz = catalogue().quiz(quiz_id)
    if not _allowed(quiz, _tracks(db, actor)):
        raise NotAllowed("This quiz is not part of a course you are enrolled in.")
    return quiz


def _own_attempt(db: Session, actor: Actor, attempt_id: int, lock: bool) -> Attempt:
    attempt = db.get(Attempt, attempt_id, with_for_update=lock)
    if attempt is None or attempt.user_id != actor.user_id:
        raise NotFound("There is no such attempt of yours.")  # same words for someone else's
    return attempt


# ---- the learner's view of their quizzes ----


def overview(actor: Actor, kinds: tuple[str, ...] = ("competency", "final")) -> list[QuizStatus]:
    """The learner's quizzes (by default those that count), with grades and attempts left."""
    with reading() as db:
        tracks = _tracks(db, actor)
        rows = db.execute(
            sa.select(Attempt.quiz_id, Attempt.attempt_no, Attempt.finished_at, Attempt.score)
            .where(Attempt.user_id == actor.user_id)
            .order_by(Attempt.quiz_id, Attempt.attempt_no)
        ).all()
    quizzes = [q for q in catalogue().quizzes.values() if q.kind in kinds and _allowed(q, tracks)]
    return [_status(q, [r for r in rows if r.quiz_id == q.id]) for q in quizzes]


def status(actor: Actor, quiz_id: str) -> QuizStatus:
    """One quiz as the learner stands with it."""
    with reading() as db:
        quiz = _quiz_for(db, actor, quiz_id)
        rows = db.execute(
            sa.select(Attempt.quiz_id, Attempt.attempt_no, Attempt.finished_at, Attempt.score)
            .where(Attempt.user_id == actor.user_id, Attempt.quiz_id == quiz_id)
            .order_by(Attempt.attempt_no)
        ).all()
    return _status(quiz, rows)


def _status(quiz: Quiz, rows: list[Any]) -> QuizStatus:
    finished = [(r.attempt_no, as_utc(r.finished_at), r.score) for r in rows if r.finished_at]
    grade = rules.quiz_grade(quiz.grading, [score for _, _, score in finished])
    open_attempt = next((r.attempt_no for r in rows if r.finished_at is None), None)
    return QuizStatus(
        quiz=quiz,
        used=len(rows),
        left=rules.attempts_left(quiz, len(rows)),
        grade=grade,
        passed=rules.passed(quiz, grade),
        open_attempt=open_attempt,
        is_open=rules.is_open(quiz, clock.now()),
        scores=tuple(finished),
    )


# ---- attempts ----


def _remember(db: Session, question: Question) -> None:
    """Keep the version shown, once per content hash (two starts at once insert it once)."""
    values = {
        "content_hash": question.content_hash,
        "question_id": question.id,
        "body": question.model_dump(mode="json"),
        "first_seen_at": clock.now(),
    }
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(QuestionVersion).values(**values).on_conflict_do_nothing())


def start_attempt(actor: Actor, quiz_id: str) -> int:
    """Start an attempt with its questions, versions and option order fixed now.

    An unfinished attempt is returned instead (a double click or a second tab starts one).
    """
    now = clock.now()
    try:
        with transaction() as db:
            quiz = _quiz_for(db, actor, quiz_id)
            earlier = db.scalars(
                sa.select(Attempt)
                .where(Attempt.user_id == actor.user_id, Attempt.quiz_id == quiz_id)
                .order_by(Attempt.attempt_no)
            ).all()
            for attempt in earlier:
                if attempt.finished_at is None:
                    if not _past_deadline(attempt, now):
                        return attempt.id
                    _finish(db, attempt, now)
            if not rules.is_open(quiz, now):
                raise Conflict("This quiz is not open now.")
            if rules.attempts_left(quiz, len(earlier)) == 0:
                raise Conflict(f"You have used all {quiz.attempts} attempts at this quiz.")
            content = catalogue()
            slots = assembly.assemble(
                quiz,
                content.pool,
                content.questions.__getitem__,
                random.Random(secrets.randbits(64)),
            )
            for slot in slots:
                _remember(db, slot.question)
            attempt = Attempt(
                user_id=actor.user_id,
                quiz_id=quiz.id,
                attempt_no=len(earlier) + 1,
                layout=[
                    {
                        "slot": n,
                        "question_id": s.question.id,
                        "hash": s.question.content_hash,
                        "order": list(s.order),
                    }
                    for n, s in enumerate(slots)
                ],
                started_at=now,
                deadline_at=rules.deadline(quiz, now),
            )
            db.add(attempt)
            db.flush()
            return attempt.id
    except IntegrityError:  # the same attempt number started a moment ago in another tab
        with reading() as db:
            found = db.scalar(
                sa.select(Attempt.id).where(
                    Attempt.user_id == actor.user_id,
                    Attempt.quiz_id == quiz_id,
                    Attempt.finished_at.is_(None),
                )
            )
        if found is None:
            raise
        return found


def _past_deadline(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now >= as_utc(attempt.deadline_at)


def _finish(db: Session, attempt: Attempt, now: datetime) -> None:
    """Finish with what was answered; an attempt past its deadline finishes at the deadline."""
    answered = db.scalars(sa.select(Answer.score).where(Answer.attempt_id == attempt.id)).all()
    attempt.score = round(sum(answered) / len(attempt.layout), 4)
    late = attempt.deadline_at is not None and now > as_utc(attempt.deadline_at)
    attempt.finished_at = as_utc(attempt.deadline_at) if late and attempt.deadline_at else now


def _question(db: Session, content_hash: str) -> Question:
    if (found := _VERSIONS.get(content_hash)) is None:
        version = db.get(QuestionVersion, content_hash)
        if version is None:
            raise NotFound("A question of this attempt is missing from the records.")
        found = _VERSIONS.setdefault(content_hash, _QUESTION.validate_python(version.body))
    return found


def record_answer(actor: Actor, attempt_id: int, slot: int, response: Mapping[str, Any]) -> float:
    """Grade and store an answer now; answering the slot again replaces it (one row per slot)."""
    now = clock.now()
    with transaction() as db:
        attempt = _own_attempt(db, actor, attempt_id, lock=True)
        if attempt.finished_at is not None:
            raise Conflict("This attempt is finished: its answers can no longer change.")
        time_up = _past_deadline(attempt, now)
        if time_up:
            _finish(db, attempt, now)
        else:
            if not 0 <= slot < len(attempt.layout):
                raise NotFound(f"This attempt has no question {slot + 1}.")
            entry = attempt.layout[slot]
            question = _question(db, entry["hash"])
            try:
                score = grading.grade(question, response)
            except grading.BadResponse as problem:
                raise BadInput(f"That answer does not fit the question: {problem}.") from None
            existing = db.scalar(
                sa.select(Answer).where(Answer.attempt_id == attempt.id, Answer.slot == slot)
            )
            if existing is None:
                db.add(
                    Answer(
                        attempt_id=attempt.id,
                        slot=slot,
                        question_id=entry["question_id"],
                        question_hash=entry["hash"],
                        response=dict(response),
                        score=score,
                        answered_at=now,
                    )
                )
            else:
                existing.response = dict(response)
                existing.score = score
                existing.answered_at = now
    if time_up:  # raised after the commit, so the finished attempt is kept
        raise Conflict("Time is up: your attempt was submitted with the answers you had given.")
    return score


def finish_attempt(actor: Actor, attempt_id: int) -> None:
    """Finish and grade the attempt; finishing twice changes nothing."""
    with transaction() as db:
        attempt = _own_attempt(db, actor, attempt_id, lock=True)
        if attempt.finished_at is None:
            _finish(db, attempt, clock.now())


def attempt_view(actor: Actor, attempt_id: int) -> AttemptView:
    """The attempt in the wording it was taken in; past its deadline it is finished first."""
    now = clock.now()
    with transaction() as db:
        attempt = _own_attempt(db, actor, attempt_id, lock=False)
        quiz = catalogue().quiz(attempt.quiz_id)
        if attempt.finished_at is None and _past_deadline(attempt, now):
            _finish(db, attempt, now)
        answers = {a.slot: a for a in attempt.answers}
        slots = tuple(
            SlotView(
                slot=entry["slot"],
                question=_question(db, entry["hash"]),
                order=tuple(entry["order"]),
                response=answers[entry["slot"]].response if entry["slot"] in answers else None,
                score=answers[entry["slot"]].score if entry["slot"] in answers else None,
            )
            for entry in attempt.layout
        )
        finished = attempt.finished_at is not None
        return AttemptView(
            id=attempt.id,
            quiz=quiz,
            attempt_no=attempt.attempt_no,
            started_at=as_utc(attempt.started_at),
            deadline=as_utc(attempt.deadline_at) if attempt.deadline_at else None,
            finished=finished,
            score=attempt.score,
            slots=slots,
            visible=rules.visible(quiz, finished, now),
        )


def attempt_id_of(actor: Actor, quiz_id: str, attempt_no: int) -> int:
    """The id of one of the actor's own attempts (the page keeps numbers, not ids, in the URL)."""
    with reading() as db:
        found = db.scalar(
            sa.select(Attempt.id).where(
                Attempt.user_id == actor.user_id,
                Attempt.quiz_id == quiz_id,
                Attempt.attempt_no == attempt_no,
            )
        )
    if found is None:
        raise NotFound("There is no such attempt of yours.")
    return found
