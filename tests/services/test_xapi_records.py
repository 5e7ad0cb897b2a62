"""xAPI statements from the records: every kind of event, each valid against the xAPI schema
and the score rules; no email or name unless configured; stable ids; `since`; and an outbox that
loses nothing while the learning record store is down and sends each statement once when it
comes back."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from course import clock
from course.interop import xapi
from course.services import accounts, quizzes, xapi_records
from course.services.access import Actor
from tests.conftest import PASSWORD, Academy, make_academy
from tests.helpers import answer_all, play_through

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def as_of(moment: datetime, username: str) -> Actor:
    clock.set_now(moment)
    return accounts.sign_in(username, PASSWORD).actor


@pytest.fixture
def active(database: str, monkeypatch: pytest.MonkeyPatch) -> Academy:
    monkeypatch.setenv("COURSE_XAPI_KEY", "test-key")
    monkeypatch.setenv("COURSE_XAPI_BASE_IRI", "https://academy.example/sns")
    clock.set_now(T0)
    academy = make_academy()
    play_through(as_of(T0, "learner_a1"), "walk-away")
    actor = as_of(T0 + timedelta(hours=1), "learner_a1")
    attempt = quizzes.start_attempt(actor, "ei-quiz")
    answer_all(actor, attempt.id, right=8)
    quizzes.finish_attempt(actor, attempt.id)
    actor = as_of(T0 + timedelta(days=2), "learner_b1")
    attempt = quizzes.start_attempt(actor, "coi-quiz")
    answer_all(actor, attempt.id, right=3)
    quizzes.finish_attempt(actor, attempt.id)
    return academy


def verbs(statements: list[dict[str, Any]]) -> Counter[str]:
    return Counter(s["verb"]["id"].rsplit("/", 1)[1] for s in statements)


def test_every_kind_of_event_becomes_a_valid_statement(active: Academy) -> None:
    found = xapi_records.export(check_all=True)
    assert all(xapi.check_statement(s) == [] for s in found)
    counted = verbs(found)
    assert counted["experienced"] == 1 and counted["completed"] == 1  # walk-away, played through
    assert counted["passed"] == 1 and counted["failed"] == 1
    choices = [s for s in found if "/situation/" in s["object"]["id"]]
    answers = [s for s in found if "/question/" in s["object"]["id"]]
    assert choices and all(s["result"]["response"] for s in choices)
    assert len(answers) == 20
    passed = next(s for s in found if s["verb"]["id"].endswith("/passed"))
    assert passed["result"]["score"] == {"scaled": 0.8, "raw": 8.0, "min": 0.0, "max": 10.0}
    assert passed["result"]["duration"].startswith("PT")
    assert passed["object"]["id"] == "https://academy.example/sns/activities/quiz/ei-quiz"


def test_no_email_or_name_leaves_unless_configured(
    active: Academy, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = json.dumps(xapi_records.export())
    for leak in ("learner_a1", "Learner A1", "@", "mbox"):
        assert leak not in text
    monkeypatch.setenv("COURSE_XAPI_INCLUDE_EMAIL", "1")
    from course.store.db import transaction
    from course.store.models import User

    with transaction() as db:
        for user in db.query(User):
            user.email = f"{user.username}@academy.example"
    mine = [s for s in xapi_records.export() if "mbox" in s["actor"]]
    assert mine and {s["actor"]["mbox"] for s in mine} >= {"mailto:learner_a1@academy.example"}


def test_ids_are_stable_and_since_leaves_out_older_events(active: Academy) -> None:
    first = [s["id"] for s in xapi_records.export()]
    assert first == [s["id"] for s in xapi_records.export()]
    assert len(set(first)) == len(first)
    later = xapi_records.export(since=T0 + timedelta(days=1))
    assert later and verbs(later) == Counter({"answered": 10, "failed": 1})


class _Store:
    """A learning record store on a local port: down (503) until told otherwise."""

    def __init__(self) -> None:
        self.up = False
        self.received: list[str] = []
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not store.up:
                    self.send_response(503)
                    self.end_headers()
                    return
                assert self.headers["X-Experience-API-Version"] == "1.0.3"
                batch = json.loads(body)
                store.received += [s["id"] for s in batch]
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps([s["id"] for s in batch]).encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/xapi/"


@pytest.fixture
def store() -> Iterator[_Store]:
    found = _Store()
    yield found
    found.server.shutdown()


def test_a_store_that_is_down_loses_nothing_and_gets_each_statement_once(
    active: Academy, store: _Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_XAPI_ENDPOINT", store.endpoint)
    monkeypatch.setattr(xapi_records, "BATCH", 7)  # several batches
    queued = xapi_records.queue()
    assert queued == len(xapi_records.export())
    assert xapi_records.queue() == 0  # the same records: nothing new

    down = xapi_records.deliver()
    assert down.sent == 0 and down.waiting == queued
    assert down.error is not None and "503" in down.error
    assert xapi_records.deliver().sent == 0  # waiting a minute before the next try

    store.up = True
    clock.advance(timedelta(minutes=2))
    back = xapi_records.deliver()
    assert back.error is None and back.sent == queued and back.waiting == 0
    assert sorted(store.received) == sorted(s["id"] for s in xapi_records.export())
    assert len(set(store.received)) == len(store.received)
    assert xapi_records.deliver().sent == 0  # nothing twice


def test_no_store_configured_is_a_sentence(active: Academy) -> None:
    with pytest.raises(Exception, match="No learning record store is configured"):
        xapi_records.deliver()
