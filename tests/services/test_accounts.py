"""Accounts: argon2 hashes, per-account throttling, revocable sessions, the first administrator."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from course import clock
from course.errors import BadInput, Conflict, NotAllowed
from course.services import accounts
from course.store.db import reading
from course.store.models import AuditEntry, SignInSession, User
from tests.conftest import PASSWORD, Academy


def test_passwords_are_stored_as_argon2_hashes(academy: Academy) -> None:
    with reading() as db:
        stored = db.scalar(sa.select(User.password_hash).where(User.username == "learner_a1"))
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_sign_in_with_wrong_password_says_so_without_naming_the_problem(academy: Academy) -> None:
    with pytest.raises(NotAllowed, match="username or password is not right"):
        accounts.sign_in("learner_a1", "wrong-password")
    with pytest.raises(NotAllowed, match="username or password is not right"):
        accounts.sign_in("nobody-here", "wrong-password")


def test_repeated_failures_lock_the_account_with_growing_back_off(academy: Academy) -> None:
    clock.set_now(datetime(2027, 1, 10, 9, 0, tzinfo=UTC))
    for _ in range(accounts.FREE_FAILURES):
        with pytest.raises(NotAllowed):
            accounts.sign_in("learner_a1", "wrong-password")
    # locked now: even the right password waits 30 seconds
    with pytest.raises(NotAllowed, match="Try again in 30 seconds"):
        accounts.sign_in("learner_a1", PASSWORD)
    clock.advance(timedelta(seconds=31))
    with pytest.raises(NotAllowed, match="not right"):
        accounts.sign_in("learner_a1", "wrong-again")
    with pytest.raises(NotAllowed, match="Try again in 60 seconds"):
        accounts.sign_in("learner_a1", PASSWORD)
    clock.advance(timedelta(seconds=61))
    assert accounts.sign_in("learner_a1", PASSWORD).actor.username == "learner_a1"
    # other accounts (the rest of the lab) were never affected
    assert accounts.sign_in("learner_a2", PASSWORD).actor.username == "learner_a2"


def test_back_off_doubles_up_to_fifteen_minutes() -> None:
    assert accounts.backoff(4) == timedelta(0)
    assert accounts.backoff(5) == timedelta(seconds=30)
    assert accounts.backoff(7) == timedelta(seconds=120)
    assert accounts.backoff(30) == timedelta(minutes=15)


def test_handoff_gives_one_cookie_token_once(academy: Academy) -> None:
    signed = accounts.sign_in("learner_a1", PASSWORD)
    token = accounts.redeem_handoff(signed.handoff)
    assert token is not None
    assert accounts.redeem_handoff(signed.handoff) is None
    found = accounts.account(token)
    assert found is not None and found.session_id == signed.session_id


def test_stale_handoff_is_refused(academy: Academy) -> None:
    signed = accounts.sign_in("learner_a1", PASSWORD)
    clock.set_now(clock.now() + timedelta(seconds=accounts.HANDOFF_SECONDS + 1))
    assert accounts.redeem_handoff(signed.handoff) is None


def test_sign_out_revokes_the_session_for_every_tab(academy: Academy) -> None:
    signed = accounts.sign_in("learner_a1", PASSWORD)
    token = accounts.redeem_handoff(signed.handoff)
    assert token is not None
    accounts.sign_out(signed.session_id)
    assert accounts.session_account(signed.session_id) is None
    assert accounts.account(token) is None
    with reading() as db:
        row = db.get(SignInSession, signed.session_id)
        assert row is not None and row.revoked_at is not None


def test_sessions_expire(academy: Academy) -> None:
    signed = accounts.sign_in("learner_a1", PASSWORD)
    clock.set_now(clock.now() + timedelta(hours=13))
    assert accounts.session_account(signed.session_id) is None


def test_new_password_rules(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    with pytest.raises(BadInput, match="at least 10"):
        accounts.change_password(learner, PASSWORD, "short")
    with pytest.raises(BadInput, match="username"):
        accounts.change_password(learner, PASSWORD, "learner_a1-is-me")
    with pytest.raises(NotAllowed):
        accounts.change_password(learner, "not-my-password", "a-much-better-one")
    accounts.change_password(learner, PASSWORD, "a-much-better-one")
    assert accounts.sign_in("learner_a1", "a-much-better-one").actor.username == "learner_a1"


def test_setup_code_makes_the_first_administrator_once(database: str) -> None:
    code = accounts.issue_setup_code()
    assert code is not None
    with pytest.raises(NotAllowed):
        accounts.claim_setup("000-000-000", "head", "Head of IT", "a-strong-password")
    accounts.claim_setup(code, "head", "Head of IT", "a-strong-password")
    assert accounts.sign_in("head", "a-strong-password").actor.is_admin
    assert accounts.issue_setup_code() is None
    with pytest.raises(Conflict):
        accounts.claim_setup(code, "second", "Second", "a-strong-password")
    with reading() as db:
        assert db.scalar(sa.select(AuditEntry.action)) == "user.create"


def test_reset_password_revokes_sessions_and_forces_a_change(academy: Academy) -> None:
    signed = accounts.sign_in("learner_a1", PASSWORD)
    issued = accounts.reset_password(accounts.Actor.command_line(), "learner_a1")
    assert accounts.session_account(signed.session_id) is None
    again = accounts.sign_in("learner_a1", issued)
    assert again.must_change_password
    with pytest.raises(NotAllowed):
        accounts.reset_password(academy.trainers["trainer_a"], "learner_a2")


def test_a_locked_account_and_an_unknown_name_answer_alike(academy: Academy) -> None:
    answers = {}
    for name in ("learner_a1", "nobody-at-all"):
        for _ in range(accounts.FREE_FAILURES):
            with pytest.raises(NotAllowed, match="not right"):
                accounts.sign_in(name, "wrong-password")
        with pytest.raises(NotAllowed) as raised:
            accounts.sign_in(name, "wrong-password")
        answers[name] = str(raised.value)
    assert answers["learner_a1"] == answers["nobody-at-all"]
    assert answers["learner_a1"].startswith("Too many failed sign-ins. Try again in")


def test_changing_a_password_ends_the_accounts_other_sign_ins(academy: Academy) -> None:
    here = accounts.sign_in("learner_a1", PASSWORD)
    elsewhere = accounts.sign_in("learner_a1", PASSWORD)
    accounts.change_password(here.actor, PASSWORD, "a-much-better-one")
    assert accounts.session_account(here.session_id) is not None
    assert accounts.session_account(elsewhere.session_id) is None
    with pytest.raises(NotAllowed, match="sign-in has ended"):
        accounts.accept_notice(elsewhere.actor)


def test_a_revoked_sign_in_can_no_longer_act(academy: Academy) -> None:
    from course.services import quizzes, scenarios

    signed = accounts.sign_in("learner_a1", PASSWORD)
    accounts.sign_out(signed.session_id)
    with pytest.raises(NotAllowed, match="sign-in has ended"):
        scenarios.begin(signed.actor, "walk-away")
    with pytest.raises(NotAllowed, match="sign-in has ended"):
        quizzes.start_attempt(signed.actor, "ei-quiz")


def test_an_actor_cannot_make_itself_administrator(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    forged = accounts.Actor(learner.user_id, "learner_a1", "x", True, learner.session_id)
    with pytest.raises(NotAllowed, match="Only an administrator"):
        accounts.reset_password(forged, "learner_a2")
    borrowed = accounts.Actor(learner.user_id, "admin", "x", True, None)
    with pytest.raises(NotAllowed):
        accounts.reset_password(borrowed, "learner_a2")


def _writer_is_free(url: str) -> bool:
    """Whether another connection could take SQLite's write lock this instant."""
    import sqlite3

    other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_passwords_are_hashed_and_checked_outside_write_transactions(
    sqlite_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from course.services import cohorts, passwords, users

    seen: list[bool] = []
    for name in ("hash_password", "hash_one_time", "verify"):
        real = getattr(passwords, name)

        def spy(*args: str, _real=real) -> object:  # type: ignore[no-untyped-def]
            seen.append(_writer_is_free(sqlite_database))
            return _real(*args)

        monkeypatch.setattr(passwords, name, spy)
    admin = accounts.Actor.command_line()
    cohorts.create_cohort(admin, "Lock 2027", "probationer", ["A"])
    users.add(admin, "lock.one", "learner", full_name="L", cohort="Lock 2027", password=PASSWORD)
    accounts.sign_in("lock.one", PASSWORD)
    with pytest.raises(NotAllowed):
        accounts.sign_in("lock.one", "a-wrong-password")
    cohorts.import_roster(admin, "Lock 2027", "username,full_name\nr.one,R One\nr.two,R Two\n")
    issued = accounts.reset_password(admin, "lock.one")
    changer = accounts.sign_in("lock.one", issued).actor
    accounts.change_password(changer, issued, "another-good-password")
    assert accounts.issue_setup_code() is not None  # no administrator yet: the code is hashed
    assert len(seen) >= 9 and all(seen), seen


def test_first_administrator_made_on_the_setup_page_is_logged_as_such(database: str) -> None:
    code = accounts.issue_setup_code()
    assert code is not None
    accounts.claim_setup(code, "head", "Head of IT", "a-strong-password")
    with reading() as db:
        detail = db.scalar(sa.select(AuditEntry.detail))
    assert detail is not None and detail["via"] == "first-time setup page"


def test_production_hash_cost_meets_owasp_minimum() -> None:
    """Without the test suite's setting, hashes are argon2id at OWASP's minimum or above."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "COURSE_ARGON2_MEMORY_KIB"}
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "from course.services import passwords; print(passwords.hash_password('x'))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert made.startswith("$argon2id$v=19$m=47104,t=1,p=1$")
