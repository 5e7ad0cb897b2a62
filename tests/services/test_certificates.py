"""Certificates, with the clock moved: completing the refresher cycle issues one; it expires
after twelve months; recompleting issues a new one and keeps the old; an administrator revokes
one with a reason in the audit log; the public check answers valid, expired, revoked and unknown
and is throttled; the PDF shows the right facts, read back as text and looked at as an image."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pypdf
import pytest

from course import clock
from course.content.current import catalogue
from course.errors import BadInput, NotAllowed
from course.services import accounts, audit, certificates, quizzes, users
from course.services.access import Actor
from tests.conftest import ADMIN, PASSWORD, make_academy
from tests.helpers import play_through, right_answer

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CHECK = "refresher-review"


def as_of(moment: datetime, username: str) -> Actor:
    clock.set_now(moment)
    return accounts.sign_in(username, PASSWORD).actor


def pass_the_check(username: str, at: datetime) -> None:
    actor = as_of(at, username)
    attempt = quizzes.start_attempt(actor, CHECK)
    for slot in quizzes.attempt_view(actor, attempt.id).slots:
        quizzes.record_answer(actor, attempt.id, slot.slot, right_answer(slot.question))
    quizzes.finish_attempt(actor, attempt.id)


def complete_the_cycle(username: str, at: datetime) -> None:
    actor = as_of(at, username)
    for module in catalogue().track_modules("refresher"):
        play_through(actor, module.id)
    pass_the_check(username, at + timedelta(minutes=30))


@pytest.fixture
def officer(database: str) -> str:
    clock.set_now(T0)
    make_academy()
    users.add(ADMIN, "head", "admin", full_name="Head Admin", password=PASSWORD)
    return "officer"


def admin(at: datetime) -> Actor:
    actor = as_of(at, "head")
    accounts.accept_notice(actor)
    return actor


def test_completing_the_refresher_cycle_issues_a_certificate(officer: str) -> None:
    actor = as_of(T0, officer)
    for module in catalogue().track_modules("refresher"):
        play_through(actor, module.id)
    assert certificates.mine(actor) == []  # the modules alone do not complete the cycle
    pass_the_check(officer, T0 + timedelta(hours=1))
    [issued] = certificates.mine(as_of(T0 + timedelta(hours=2), officer))
    assert issued.state == "valid"
    assert issued.track == "Officer refresher" and issued.name == "Officer R"
    assert issued.completed_at == T0 + timedelta(hours=1)
    assert issued.expires_at == datetime(2027, 1, 5, 10, 0, tzinfo=UTC)
    found = certificates.verify(issued.code.lower().replace("-", " "), "203.0.113.9")
    assert found.state == "valid" and found.track == "Officer refresher"
    assert found.sentence.startswith("Valid")
    assert "Officer R" not in repr(found)  # nothing about the person


def test_a_certificate_expires_and_recompleting_issues_a_new_one(officer: str) -> None:
    complete_the_cycle(officer, T0)
    [first] = certificates.mine(as_of(T0 + timedelta(days=1), officer))
    # a second pass in the same cycle issues nothing: the modules were done for the first
    pass_the_check(officer, T0 + timedelta(days=2))
    assert len(certificates.mine(as_of(T0 + timedelta(days=3), officer))) == 1

    later = T0 + timedelta(days=400)
    clock.set_now(later)
    assert certificates.verify(first.code, "client").state == "expired"
    complete_the_cycle(officer, later)
    newest, old = certificates.mine(as_of(later + timedelta(hours=1), officer))
    assert old.code == first.code and old.state == "expired"
    assert newest.code != first.code and newest.state == "valid"
    assert newest.completed_at.date() == later.date()
    assert certificates.verify(newest.code, "client").state == "valid"


def test_an_administrator_revokes_with_a_reason_in_the_audit_log(officer: str) -> None:
    complete_the_cycle(officer, T0)
    [issued] = certificates.mine(as_of(T0 + timedelta(hours=2), officer))
    head = admin(T0 + timedelta(days=3))
    with pytest.raises(BadInput):
        certificates.revoke(head, issued.code, "no")
    certificates.revoke(head, issued.code, "Issued in error: the check was taken by a proxy.")
    assert certificates.verify(issued.code, "client").state == "revoked"
    [entry] = [r for r in audit.recent(head) if r.action == "revoke certificate"]
    assert entry.target == f"certificate {issued.code}"
    assert "reason=Issued in error: the check was taken by a proxy." in entry.detail
    [shown] = certificates.mine(as_of(T0 + timedelta(days=4), officer))
    assert shown.state == "revoked"
    with pytest.raises(NotAllowed):
        certificates.pdf(as_of(T0 + timedelta(days=4), officer), shown.id)


def test_unknown_codes_say_so_and_guessing_is_throttled(officer: str) -> None:
    assert certificates.verify("0000-0000-0000-0000", "198.51.100.7").state == "unknown"
    assert certificates.verify("<script>", "198.51.100.7").state == "unknown"
    for _ in range(certificates.LOOKUPS_PER_WINDOW - 2):
        certificates.verify("AAAA-AAAA-AAAA-AAAA", "198.51.100.7")
    with pytest.raises(NotAllowed, match="Too many look-ups from here. Try again in 10 minutes"):
        certificates.verify("AAAA-AAAA-AAAA-AAAA", "198.51.100.7")
    assert certificates.verify("AAAA-AAAA-AAAA-AAAA", "192.0.2.1").state == "unknown"
    clock.advance(certificates.WINDOW)
    assert certificates.verify("AAAA-AAAA-AAAA-AAAA", "198.51.100.7").state == "unknown"


def test_the_pdf_shows_the_facts(officer: str) -> None:
    complete_the_cycle(officer, T0)
    actor = as_of(T0 + timedelta(hours=2), officer)
    [issued] = certificates.mine(actor)
    name, data = certificates.pdf(actor, issued.id)
    assert name == f"certificate-{issued.code}.pdf"
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    for fact in (
        "Certificate of completion",
        "Officer R",
        "Officer refresher",
        "Completed on 5 January 2026",
        "Valid until 5 January 2027",
        issued.code,
    ):
        assert fact in text


def test_many_addresses_together_are_throttled_too(
    officer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(certificates, "LOOKUPS_PER_WINDOW_IN_ALL", 3)
    for n in range(3):
        certificates.verify("AAAA-AAAA-AAAA-AAAA", f"192.0.2.{n}")
    with pytest.raises(NotAllowed, match="Too many look-ups just now"):
        certificates.verify("AAAA-AAAA-AAAA-AAAA", "192.0.2.99")
