"""Quizzes: start an attempt, record each answer when given, finish, review as the policy allows.

Pages that only show an attempt read without taking the database's write lock; only an attempt
found past its deadline is finished, in a short write of its own.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course import clock
from course.content.current import catalogue
from course.content.schema import Question, Quiz
from course.errors import BadInput, Conflict, NotAllowed, NotFound
from course.learning import assembly, grading, quiz_rules, results
from course.learning.review import Review, review
from course.services import certificates, review_history, versions
from course.services.access import Actor, acting, learner_tracks
from course.store.db import reading, transaction
from course.store.models import Answer, Attempt, SlotLayout

NOT_YOURS = "There is no such attempt of yours."


@dataclass(frozen=True)
class Started:
    id: int
    attempt_no: int


@dataclass(frozen=True)
class AttemptScore:
    attempt_no: int
    finished_at: datetime
    verdict: results.Verdict


@dataclass(frozen=True)
class QuizStatus:
    quiz: Quiz
    used: int
    left: int | None  # None: no limit
    grade: results.Verdict | None  # by the quiz's grading method, over finished attempts
    open_attempt: int | None  # the number of the unfinished attempt, if any
    is_open: bool
    may_take: bool  # False: the quiz has left the learner's course; their attempts stay readable
    scores: tuple[AttemptScore, ...]


@dataclass(frozen=True)
class SlotView:
    slot: int
    question: Question  # the version the attempt was started with
    order: tuple[str, ...]
    response: Mapping[str, Any] | None
    state: results.AnswerState
    review: Review | None  # what the review policy shows of this answer now (None: nothing)
    rules: tuple[versions.CitedRule, ...] = ()  # the rules the key rests on, when it is shown
    why: str | None = None  # a review session's reason for asking it


@dataclass(frozen=True)
class AttemptView:
    id: int
    quiz: Quiz  # the quiz's settings when the attempt started
    attempt_no: int
    started_at: datetime
    deadline: datetime | None
    finished: bool
    verdict: results.Verdict | None  # None while open, or when the policy hides the score
    slots: tuple[SlotView, ...]
    visible: frozenset[str]  # what the review policy shows now: score/correctness/feedback/key

    @property
    def unfinished_slots(self) -> list[SlotView]:
        """Slots not answered, or only partly (a matching with prompts left unmatched)."""
        return [s for s in self.slots if s.state != "answered"]

    @property
    def answered(self) -> int:
        return sum(1 for s in self.slots if s.state == "answered")

    @property
    def locks_answers(self) -> bool:
        """Answers are checked one by one and then stay (see quiz_rules.locks_answers)."""
        return quiz_rules.locks_answers(self.quiz)


# ---- who may take what ----


def _in_course(quiz: Quiz, tracks: set[str]) -> bool:
    if set(quiz.tracks) & tracks:
        return True
    # the review session and the anchor check its track offers
    offered = [catalogue().tracks[t] for t in tracks if t in catalogue().tracks]
    if any(quiz.id in (track.review, track.anchor) for track in offered):
        return True
    # a knowledge check belongs to the modules that use it
    return any(
        m.knowledge_check == quiz.id and m.status == "approved" and set(m.tracks) & tracks
        for m in catalogue().modules.values()
    )


def _quiz_to_take(db: Session, actor: Actor, quiz_id: str) -> Quiz:
    quiz = catalogue().quiz(quiz_id)
    if not _in_course(quiz, learner_tracks(db, actor)):
        raise NotAllowed("This quiz is not part of a course you are enrolled in.")
    return quiz


def _find_attempt(db: Session, actor: Actor, which: int | tuple[str, int]) -> Attempt:
    if isinstance(which, int):
        return _own_attempt(db, actor, which, lock=False)
    quiz_id, attempt_no = which
    found = db.scalar(
        sa.select(Attempt).where(
            Attempt.user_id == actor.user_id,
            Attempt.quiz_id == quiz_id,
            Attempt.attempt_no == attempt_no,
        )
    )
    if found is None:
        raise NotFound(NOT_YOURS)
    return found


def _own_attempt(db: Session, actor: Actor, attempt_id: int, lock: bool) -> Attempt:
    attempt = db.get(Attempt, attempt_id, with_for_update=lock)
    if attempt is None or attempt.user_id != actor.user_id:
        raise NotFound(NOT_YOURS)  # the same words for someone else's
    return attempt


# ---- the learner's view of their quizzes ----


def _attempt_rows(db: Session, actor: Actor, quiz_id: str | None = None) -> Sequence[Any]:
    query = sa.select(
        Attempt.quiz_id, Attempt.quiz_hash, Attempt.attempt_no, Attempt.finished_at, Attempt.score
    ).where(Attempt.user_id == actor.user_id)
    if quiz_id is not None:
        query = query.where(Attempt.quiz_id == quiz_id)
    return db.execute(query.order_by(Attempt.quiz_id, Attempt.attempt_no)).all()


def standings(
    db: Session, actor: Actor, tracks: set[str], kinds: tuple[str, ...]
) -> tuple[list[QuizStatus], list[QuizStatus]]:
    """The learner's quizzes of these kinds in their course, and earlier ones they took."""
    rows = _attempt_rows(db, actor)
    by_quiz: dict[str, list[Any]] = {}
    for row in rows:
        by_quiz.setdefault(row.quiz_id, []).append(row)
    current = [
        _status(q, by_quiz.get(q.id, []), True)
        for q in catalogue().quizzes.values()
        if q.kind in kinds and _in_course(q, tracks)
    ]
    shown = {s.quiz.id for s in current}
    earlier = [
        _status(_latest_quiz(db, quiz_id, taken), taken, False)
        for quiz_id, taken in by_quiz.items()
        if quiz_id not in shown
        and (
            quiz_id not in catalogue().quizzes or not _in_course(catalogue().quiz(quiz_id), tracks)
        )
    ]
    return current, earlier


def _latest_quiz(db: Session, quiz_id: str, rows: Sequence[Any]) -> Quiz:
    """Today's quiz, or the version of the learner's last attempt if it has left the content."""
    if quiz_id in catalogue().quizzes:
        return catalogue().quiz(quiz_id)
    return versions.quiz(db, rows[-1].quiz_hash, quiz_id)


def status(actor: Actor, quiz_id: str) -> QuizStatus:
    """One quiz as the learner stands with it (read-only once it has left their course)."""
    with reading() as db:
        me = acting(db, actor)
        rows = _attempt_rows(db, me, quiz_id)
        tracks = learner_tracks(db, me)
        if quiz_id in catalogue().quizzes and _in_course(catalogue().quiz(quiz_id), tracks):
            return _status(catalogue().quiz(quiz_id), rows, True)
        if not rows:
            catalogue().quiz(quiz_id)  # an unknown quiz says so
            raise NotAllowed("This quiz is not part of a course you are enrolled in.")
        return _status(_latest_quiz(db, quiz_id, rows), rows, False)


def _status(quiz: Quiz, rows: Sequence[Any], may_take: bool) -> QuizStatus:
    finished = [r for r in rows if r.finished_at is not None and r.score is not None]
    grade = results.quiz_grade(quiz.grading, [r.score for r in finished])
    now = clock.now()
    return QuizStatus(
        quiz=quiz,
        used=len(rows),
        left=quiz_rules.attempts_left(quiz, len(rows)),
        grade=results.verdict(quiz, grade) if grade is not None else None,
        open_attempt=next((r.attempt_no for r in rows if r.finished_at is None), None),
        is_open=may_take and quiz_rules.is_open(quiz, now),
        may_take=may_take,
        scores=tuple(
            AttemptScore(r.attempt_no, r.finished_at, results.verdict(quiz, r.score))
            for r in finished
        ),
    )


# ---- attempts ----


def start_attempt(actor: Actor, quiz_id: str) -> Started:
    """Start an attempt with its questions, versions and option order fixed now.

    An unfinished attempt is returned instead (a double click or a second tab starts one).
    """
    now = clock.now()
    try:
        with transaction() as db:
            me = acting(db, actor)
            quiz = _quiz_to_take(db, me, quiz_id)
            earlier = db.scalars(
                sa.select(Attempt)
                .where(Attempt.user_id == me.user_id, Attempt.quiz_id == quiz_id)
                .order_by(Attempt.attempt_no)
            ).all()
            for attempt in earlier:
                if attempt.finished_at is None:
                    if not quiz_rules.past_deadline(attempt.deadline_at, now):
                        return Started(attempt.id, attempt.attempt_no)
                    _finish(db, attempt, now)
            if not quiz_rules.is_open(quiz, now):
                raise Conflict("This quiz is not open now.")
            if quiz_rules.attempts_left(quiz, len(earlier)) == 0:
                raise Conflict(f"You have used all {quiz.attempts} attempts at this quiz.")
            content = catalogue()
            rng = random.Random(secrets.randbits(64))
            why: dict[str, str] = {}
            asked = quiz
            if quiz.kind == "review":  # chosen for this officer: what is due, then weakest
                assert me.user_id is not None  # (a learner's actor)
                chosen = review_history.session_questions(db, me.user_id, quiz, rng)
                why = {question.id: reason for question, reason in chosen}
                asked = quiz.model_copy(
                    update={"questions": tuple(why), "draws": (), "shuffle_questions": False}
                )
            slots = assembly.assemble(
                asked,
                lambda competency, tag: content.quiz_pool(quiz, competency, tag),
                content.questions.__getitem__,
                rng,
            )
            versions.pin_questions(db, (slot.question for slot in slots))
            versions.pin_quiz(db, quiz)
            layout: list[SlotLayout] = []
            for n, s in enumerate(slots):
                entry: SlotLayout = {
                    "slot": n,
                    "question_id": s.question.id,
                    "hash": s.question.content_hash,
                    "order": list(s.order),
                }
                if s.question.id in why:
                    entry["why"] = why[s.question.id]
                layout.append(entry)
            attempt = Attempt(
                user_id=me.user_id,
                quiz_id=quiz.id,
                quiz_hash=quiz.content_hash,
                attempt_no=len(earlier) + 1,
                layout=layout,
                started_at=now,
                deadline_at=quiz_rules.deadline(quiz, now),
            )
            db.add(attempt)
            db.flush()
            return Started(attempt.id, attempt.attempt_no)
    except IntegrityError:  # the same attempt number started a moment ago in another tab
        with reading() as db:
            found = db.execute(
                sa.select(Attempt.id, Attempt.attempt_no).where(
                    Attempt.user_id == actor.user_id,
                    Attempt.quiz_id == quiz_id,
                    Attempt.finished_at.is_(None),
                )
            ).first()
        if found is None:
            raise
        return Started(found.id, found.attempt_no)


def _finish(db: Session, attempt: Attempt, now: datetime) -> None:
    """Finish with what was answered; an attempt past its deadline finishes at the deadline."""
    answered = db.scalars(sa.select(Answer.score).where(Answer.attempt_id == attempt.id)).all()
    attempt.score = results.score_attempt(answered, len(attempt.layout))
    late = attempt.deadline_at is not None and now > attempt.deadline_at
    attempt.finished_at = attempt.deadline_at if late and attempt.deadline_at else now
    db.flush()
    certificates.award(db, attempt.user_id, now)  # a pass may complete the course


def record_answer(actor: Actor, attempt_id: int, slot: int, response: Mapping[str, Any]) -> float:
    """Grade and store an answer now; answering the slot again replaces it (one row per slot),
    unless the quiz shows right or wrong during the attempt: then the first answer stays."""
    now = clock.now()
    with transaction() as db:
        me = acting(db, actor)
        attempt = _own_attempt(db, me, attempt_id, lock=True)
        if attempt.finished_at is not None:
            raise Conflict("This attempt is finished: its answers can no longer change.")
        time_up = quiz_rules.past_deadline(attempt.deadline_at, now)
        if time_up:
            _finish(db, attempt, now)
        else:
            _quiz_to_take(db, me, attempt.quiz_id)
            quiz = versions.quiz(db, attempt.quiz_hash, attempt.quiz_id)
            score = _store(db, attempt, slot, response, now, quiz_rules.locks_answers(quiz))
    if time_up:  # raised after the commit, so the finished attempt is kept
        raise Conflict("Time is up: your attempt was submitted with the answers you had given.")
    return score


def _store(
    db: Session,
    attempt: Attempt,
    slot: int,
    response: Mapping[str, Any],
    now: datetime,
    locks: bool,
) -> float:
    if not 0 <= slot < len(attempt.layout):
        raise NotFound(f"This attempt has no question {slot + 1}.")
    entry = attempt.layout[slot]
    question = versions.question(db, entry["hash"])
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
    elif locks:
        if existing.response != dict(response):  # the same answer twice is a double click
            raise Conflict(
                f"You have seen the feedback on question {slot + 1}, so its answer stays as "
                "you checked it."
            )
        return existing.score
    else:
        existing.response = dict(response)
        existing.score = score
        existing.answered_at = now
    return score


def finish_attempt(actor: Actor, attempt_id: int) -> None:
    """Finish and grade the attempt; finishing twice changes nothing."""
    with transaction() as db:
        me = acting(db, actor)
        attempt = _own_attempt(db, me, attempt_id, lock=True)
        if attempt.finished_at is None:
            _finish(db, attempt, clock.now())


def attempt_by_number(actor: Actor, quiz_id: str, attempt_no: int) -> AttemptView:
    """One of the actor's own attempts by its number (the page's address holds numbers)."""
    return attempt_view(actor, (quiz_id, attempt_no))


def attempt_view(actor: Actor, which: int | tuple[str, int]) -> AttemptView:
    """The attempt (by id, or by quiz and number) in the wording it was taken in; past its
    deadline it is finished first."""
    with reading() as db:
        me = acting(db, actor)
        found = _find_attempt(db, me, which)
        attempt_id = found.id
        overdue = found.finished_at is None and quiz_rules.past_deadline(
            found.deadline_at, clock.now()
        )
        if not overdue:
            return _view(db, found)
    with transaction() as db:  # escalate only now: finish the overdue attempt
        me = acting(db, actor)
        attempt = _own_attempt(db, me, attempt_id, lock=True)
        if attempt.finished_at is None:
            _finish(db, attempt, clock.now())
        return _view(db, attempt)


def _view(db: Session, attempt: Attempt) -> AttemptView:
    now = clock.now()
    quiz = versions.quiz(db, attempt.quiz_hash, attempt.quiz_id)
    finished = attempt.finished_at is not None
    visible = quiz_rules.visible(quiz, finished, now)
    answers = {
        a.slot: a
        for a in db.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id)).all()
    }
    slots = []
    for entry in attempt.layout:
        question = versions.question(db, entry["hash"])
        given = answers.get(entry["slot"])
        response = given.response if given else None
        order = tuple(entry["order"])
        shown: Review | None = None
        cited: tuple[versions.CitedRule, ...] = ()
        if visible - {"score"} and (finished or given is not None):
            shown = review(question, response, given.score if given else None, order, visible)
            cited = versions.cited_rules(db, shown.rules, question.about)
        slots.append(
            SlotView(
                slot=entry["slot"],
                question=question,
                order=order,
                response=response,
                state=results.answer_state(question, response),
                review=shown,
                rules=cited,
                why=entry.get("why"),
            )
        )
    verdict = None
    if finished and "score" in visible and attempt.score is not None:
        verdict = results.verdict(quiz, attempt.score)
    return AttemptView(
        id=attempt.id,
        quiz=quiz,
        attempt_no=attempt.attempt_no,
        started_at=attempt.started_at,
        deadline=attempt.deadline_at,
        finished=finished,
        verdict=verdict,
        slots=tuple(slots),
        visible=visible,
    )
