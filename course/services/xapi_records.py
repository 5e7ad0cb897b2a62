"""xAPI statements from the course's records, exported to a file or sent to a learning record
store (LRS) through an outbox.

- **What:** every module started (experienced) and finished (completed), every scenario choice
  (the choice as the response), every answer of a finished quiz attempt, every finished attempt
  (passed or failed for a graded quiz, completed for a knowledge check, with the score), and every
  certificate issued. Built by course/interop/xapi.py and checked against the xAPI schema and
  the score rules before they leave.
- **Who:** the learner as an account whose name is a keyed pseudonym of their username (the key:
  COURSE_XAPI_KEY, else one kept in the data folder); their email only when
  COURSE_XAPI_INCLUDE_EMAIL=1. Never a name.
- **Once:** a statement's id is derived from the record, so queuing the same record twice keeps
  one outbox row; `deliver` sends what the LRS has not taken yet, oldest first, and a failure
  leaves the rows queued for the next try (after 1, 2, 4 … minutes, at most 6 hours). An LRS
  that is down loses nothing, and one that comes back gets every statement once.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from course import clock, config
from course.content.current import catalogue
from course.content.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)
from course.errors import ContentError, Unavailable
from course.interop import xapi
from course.services import versions
from course.store.db import reading, transaction
from course.store.models import (
    Answer,
    Attempt,
    Certificate,
    ScenarioPlay,
    ScenarioStep,
    User,
    XapiOutbox,
)

BATCH = 200  # statements per request to the LRS
LONGEST_WAIT = timedelta(hours=6)
Post = Callable[[list[dict[str, Any]]], None]  # sends one batch; raises on failure


def settings() -> xapi.Settings:
    return xapi.Settings(
        base_iri=config.xapi_base_iri(),
        account_home_page=config.xapi_base_iri(),
        include_email=config.xapi_include_email(),
        course_title=config.COURSE_TITLE,
    )


# ---- records to statements ----


@dataclass(frozen=True)
class Built:
    at: datetime
    body: dict[str, Any]


def statements(
    db: Session, since: datetime | None = None, check_all: bool = False
) -> Iterator[Built]:
    """Every statement the records give, for events at or after `since` (None: all).

    Every statement meets the score rules; the first of each kind (verb and activity type) is
    checked against the whole xAPI schema too, and with `check_all` every one is (the schema
    check costs about 12 ms a statement). A statement that fails is a bug: it stops the export.
    """
    chosen = settings()
    key = config.xapi_key()
    learners: dict[int, xapi.Learner] = {}
    for user_id, username, email in db.execute(sa.select(User.id, User.username, User.email)):
        learners[user_id] = xapi.Learner(
            xapi.pseudonym(username, key), email if chosen.include_email else None
        )
    seen: set[tuple[str, str]] = set()
    for user_id, event in _events(db, since):
        body = xapi.statement(event, learners[user_id], chosen)
        kind = (body["verb"]["id"], body["object"].get("definition", {}).get("type", ""))
        if check_all or kind not in seen:
            problems = xapi.check_statement(body)
            seen.add(kind)
        else:
            problems = [p for _, score in xapi.scores(body) for p in xapi.score_problems(score)]
        if problems:
            raise ContentError("xAPI", 0, f"a statement failed its check: {problems[0]}")
        yield Built(event.at, body)


def _after(column: Any, since: datetime | None) -> sa.ColumnElement[bool]:
    found: sa.ColumnElement[bool] = column.is_not(None) if since is None else column >= since
    return found


def _events(db: Session, since: datetime | None) -> Iterator[tuple[int, xapi.Event]]:
    yield from _plays(db, since)
    yield from _choices(db, since)
    yield from _answers(db, since)
    yield from _results(db, since)
    tracks = catalogue().tracks
    for certificate in db.scalars(
        sa.select(Certificate).where(_after(Certificate.issued_at, since))
    ):
        title = tracks[certificate.track].title if certificate.track in tracks else ""
        yield (
            certificate.user_id,
            xapi.CertificateEarned(
                certificate.track,
                title or certificate.track,
                certificate.code,
                certificate.issued_at,
            ),
        )


def _plays(db: Session, since: datetime | None) -> Iterator[tuple[int, xapi.Event]]:
    for play in db.scalars(
        sa.select(ScenarioPlay).where(
            sa.or_(_after(ScenarioPlay.started_at, since), _after(ScenarioPlay.finished_at, since))
        )
    ):
        module = versions.module(db, play.module_hash, play.module_id)
        if since is None or play.started_at >= since:
            yield (
                play.user_id,
                xapi.ModuleEvent(
                    "experienced", module.id, module.title, play.play_no, play.started_at
                ),
            )
        if play.finished_at is not None and (since is None or play.finished_at >= since):
            yield (
                play.user_id,
                xapi.ModuleEvent(
                    "completed", module.id, module.title, play.play_no, play.finished_at
                ),
            )


def _choices(db: Session, since: datetime | None) -> Iterator[tuple[int, xapi.Event]]:
    for step, play in db.execute(
        sa.select(ScenarioStep, ScenarioPlay)
        .join(ScenarioPlay, ScenarioPlay.id == ScenarioStep.play_id)
        .where(_after(ScenarioStep.chosen_at, since))
    ):
        module = versions.module(db, play.module_hash, play.module_id)
        situation = module.scenario.situation(step.situation_id)
        yield (
            play.user_id,
            xapi.ScenarioChoice(
                module_id=module.id,
                play=play.play_no,
                step=step.step_no,
                situation_id=situation.id,
                situation_title=situation.title,
                options=tuple(xapi.Option(c.id, c.text) for c in situation.choices),
                choice_id=step.choice_id,
                grade=step.grade,
                at=step.chosen_at,
            ),
        )


def _answers(db: Session, since: datetime | None) -> Iterator[tuple[int, xapi.Event]]:
    # answers of finished attempts only: an open attempt's answers may still change
    for answer, attempt in db.execute(
        sa.select(Answer, Attempt)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.finished_at.is_not(None), _after(Answer.answered_at, since))
        .order_by(Answer.id)
    ):
        question = versions.question(db, answer.question_hash)
        yield (
            attempt.user_id,
            xapi.QuizAnswer(
                quiz_id=attempt.quiz_id,
                attempt=attempt.attempt_no,
                question_id=question.id,
                stem=question.stem,
                response=_response(question, answer.response),
                score=answer.score,
                correct=answer.score >= 1,
                at=answer.answered_at,
                interaction=xapi.interaction_for(question.type),
                options=_options(question),
            ),
        )


def _results(db: Session, since: datetime | None) -> Iterator[tuple[int, xapi.Event]]:
    totals = dict(
        db.execute(
            sa.select(Answer.attempt_id, sa.func.sum(Answer.score))
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .where(_after(Attempt.finished_at, since))
            .group_by(Answer.attempt_id)
        ).all()
    )
    for attempt in db.scalars(sa.select(Attempt).where(_after(Attempt.finished_at, since))):
        assert attempt.finished_at is not None  # (the query asks for finished attempts)
        quiz = versions.quiz(db, attempt.quiz_hash, attempt.quiz_id)
        scaled = attempt.score or 0.0
        yield (
            attempt.user_id,
            xapi.QuizResult(
                quiz_id=quiz.id,
                quiz_title=quiz.title,
                attempt=attempt.attempt_no,
                raw=round(float(totals.get(attempt.id) or 0.0), 4),
                min=0.0,
                max=float(max(len(attempt.layout), 1)),
                scaled=scaled,
                passed=scaled >= quiz.pass_mark if quiz.graded else None,
                started_at=attempt.started_at,
                finished_at=attempt.finished_at,
            ),
        )


def _options(question: Question) -> tuple[xapi.Option, ...]:
    if isinstance(question, SingleChoice | MultipleResponse):
        return tuple(xapi.Option(o.id, o.text) for o in question.options)
    if isinstance(question, Ordering):
        return tuple(xapi.Option(i.id, i.text) for i in question.items)
    return ()


def _response(question: Question, given: dict[str, Any]) -> str:
    """The learner's response as xAPI writes it for the question's interaction type."""
    if isinstance(question, SingleChoice):
        return xapi.choice_response([str(given.get("choice", ""))])
    if isinstance(question, MultipleResponse):
        return xapi.choice_response(sorted(str(c) for c in given.get("choices", [])))
    if isinstance(question, TrueFalse):
        return "true" if given.get("value") else "false"
    if isinstance(question, Matching):
        matches = given.get("matches") or {}
        return "[,]".join(f"{k}[.]{v}" for k, v in sorted(matches.items()))
    return xapi.choice_response([str(i) for i in given.get("order", [])])


# ---- export ----


def export(since: datetime | None = None, check_all: bool = False) -> list[dict[str, Any]]:
    """The statements as a list, oldest event first (the command line's `xapi export`)."""
    with reading() as db:
        built = sorted(statements(db, since, check_all), key=lambda b: b.at)
    return [b.body for b in built]


# ---- the outbox ----


def queue(since: datetime | None = None) -> int:
    """Put the statements of records at or after `since` (None: from a day before the newest
    already queued, or all) into the outbox; how many new rows. Built before the write
    transaction, which only inserts."""
    with reading() as db:
        if since is None:
            newest = db.scalar(sa.select(sa.func.max(XapiOutbox.event_at)))
            since = newest - timedelta(days=1) if newest is not None else None
        built = list(statements(db, since))
    now = clock.now()
    rows = [
        {
            "statement_id": b.body["id"],
            "body": b.body,
            "event_at": b.at,
            "queued_at": now,
            "tries": 0,
        }
        for b in built
    ]
    count = sa.select(sa.func.count()).select_from(XapiOutbox)
    with transaction() as db:
        before = db.scalar(count) or 0
        insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
        for at in range(0, len(rows), 1000):
            db.execute(
                insert(XapiOutbox)
                .values(rows[at : at + 1000])
                .on_conflict_do_nothing(index_elements=["statement_id"])
            )
        # (counted: a driver's row count for a multi-row insert is not always known)
        return (db.scalar(count) or 0) - before


@dataclass(frozen=True)
class Delivery:
    sent: int
    waiting: int
    error: str | None  # the LRS's refusal or the network's, when a batch failed


def deliver(post: Post | None = None, limit: int = 100_000) -> Delivery:
    """Send queued statements, a batch at a time, until none is due or one batch fails."""
    post = post or lrs_post()
    sent, error = 0, None
    while sent < limit:
        now = clock.now()
        with reading() as db:
            batch = db.execute(
                sa.select(XapiOutbox.id, XapiOutbox.body)
                .where(
                    XapiOutbox.sent_at.is_(None),
                    sa.or_(XapiOutbox.next_try_at.is_(None), XapiOutbox.next_try_at <= now),
                )
                .order_by(XapiOutbox.id)
                .limit(BATCH)
            ).all()
        if not batch:
            break
        ids = [row.id for row in batch]
        try:
            post([row.body for row in batch])  # outside any transaction: the network is slow
        except Exception as failure:  # whatever went wrong, the rows stay queued
            error = str(failure) or type(failure).__name__
            _failed(ids, error, now)
            break
        with transaction() as db:
            db.execute(sa.update(XapiOutbox).where(XapiOutbox.id.in_(ids)).values(sent_at=now))
        sent += len(ids)
    with reading() as db:
        waiting = db.scalar(
            sa.select(sa.func.count()).select_from(XapiOutbox).where(XapiOutbox.sent_at.is_(None))
        )
    return Delivery(sent, waiting or 0, error)


def _failed(ids: list[int], error: str, now: datetime) -> None:
    with transaction() as db:
        for row in db.scalars(sa.select(XapiOutbox).where(XapiOutbox.id.in_(ids))):
            row.tries += 1
            wait = min(timedelta(minutes=2 ** (row.tries - 1)), LONGEST_WAIT)
            row.next_try_at, row.last_error = now + wait, error[:500]


def lrs_post() -> Post:
    """A sender to the configured LRS (POST …/statements, xAPI 1.0.3, basic auth)."""
    endpoint = config.xapi_endpoint()
    if endpoint is None:
        raise Unavailable("No learning record store is configured (COURSE_XAPI_ENDPOINT).")
    url = endpoint.rstrip("/") + "/statements"
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"}
    if (credentials := config.xapi_credentials()) is not None:
        token = base64.b64encode(":".join(credentials).encode()).decode()
        headers["Authorization"] = f"Basic {token}"

    def post(batch: list[dict[str, Any]]) -> None:
        request = urllib.request.Request(
            url, json.dumps(batch).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status not in (200, 204):
                    raise Unavailable(f"the LRS answered {response.status}")
        except urllib.error.HTTPError as failure:
            raise Unavailable(f"the LRS answered {failure.code} {failure.reason}") from None
        except (urllib.error.URLError, TimeoutError) as failure:
            raise Unavailable(f"the LRS could not be reached: {failure}") from None

    return post
