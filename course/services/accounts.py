"""Accounts: passwords, throttled sign-in, server-side sessions, first administrator.

Every password hash or check happens before a write transaction opens (see `passwords`): the
writes themselves only move counters and rows, so they never hold the database's lock for long.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock, config
from course.errors import BadInput, Conflict, NotAllowed, NotFound
from course.services import audit, limits, passwords
from course.services.access import Actor, acting, in_force, open_session, require_admin
from course.store.db import reading, transaction
from course.store.models import Enrolment, SetupCode, SignInSession, SignInThrottle, User

FREE_FAILURES = 5  # failures before the back-off starts
HANDOFF_SECONDS = 120
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
WRONG = "The username or password is not right."
CHANGED = "Your password changed while you were signing in. Sign in again."


@dataclass(frozen=True)
class SignIn:
    actor: Actor
    session_id: int  # kept server-side in the page's state; the cookie holds a separate token
    handoff: str  # single-use, short-lived: the browser trades it for the HttpOnly cookie
    must_change_password: bool
    notice_accepted: bool


@dataclass(frozen=True)
class Account:
    """The person behind an open sign-in, with what they may do now."""

    actor: Actor
    session_id: int
    must_change_password: bool
    notice_accepted: bool
    roles: frozenset[str]


@dataclass(frozen=True)
class NewAccount:
    """An account ready to be stored: checked and hashed before any transaction opens."""

    username: str
    full_name: str
    email: str | None
    password_hash: str
    one_time_password: str | None  # set when the account gets a password to change


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def one_time_password() -> str:
    """A password for a new account, readable aloud: four groups of four."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def check_new_password(username: str, password: str) -> None:
    if len(password) < 10:
        raise BadInput("Choose a password of at least 10 characters.")
    if len(password) > passwords.LONGEST:
        raise BadInput(f"Choose a password of at most {passwords.LONGEST} characters.")
    if username.lower() in password.lower():
        raise BadInput("Your password may not contain your username.")


def check_username(username: str) -> str:
    cleaned = username.strip().lower()
    if not USERNAME.match(cleaned):
        typed = username.strip()
        shown = typed if len(typed) <= 64 else typed[:61] + "..."
        raise BadInput(
            f"Username '{shown}' may use only lowercase letters, digits, '.', '_' and '-' "
            "(2 to 64 characters, starting with a letter or digit)."
        )
    return cleaned


def prepare_account(
    username: str, full_name: str, *, password: str | None = None, email: str | None = None
) -> NewAccount:
    """Check a new account's fields and hash its password (slow: call outside transactions).

    With no password, a one-time password is made, to be changed at first sign-in.
    """
    username = check_username(username)
    name = limits.fit("full name", full_name, User.full_name) or username
    mail = limits.fit("email address", email or "", User.email) or None
    if mail is not None and "@" not in mail:
        raise BadInput(f"The email address '{mail}' is not an address.")
    if password is None:
        issued = one_time_password()
        return NewAccount(username, name, mail, passwords.hash_one_time(issued), issued)
    check_new_password(username, password)
    return NewAccount(username, name, mail, passwords.hash_password(password), None)


def backoff(failures: int) -> timedelta:
    """Lock-out after a failed sign-in: none for the first few, then 30 s doubling to 15 min."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return timedelta(seconds=min(30 * 2 ** (failures - FREE_FAILURES), 900))


def actor_of(user: User, session_id: int | None) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        is_admin=user.is_admin,
        session_id=session_id,
    )


# ---- signing in ----


def _locked_for(throttle: SignInThrottle | None, now: datetime) -> int:
    """Seconds left of a lock-out, or 0."""
    if throttle is None or throttle.locked_until is None or throttle.locked_until <= now:
        return 0
    return math.ceil((throttle.locked_until - now).total_seconds())


def sign_in(username: str, password: str) -> SignIn:
    """Check a password, throttled per username; open a server-side session on success.

    An unknown username costs the same check and is throttled the same way as a real one, so
    neither the answer nor its timing tells whether an account exists.
    """
    name = username.strip().lower()
    if not USERNAME.match(name) or len(password) > passwords.LONGEST:
        passwords.verify(passwords.DUMMY_HASH, password[: passwords.LONGEST])
        raise NotAllowed(WRONG)
    now = clock.now()
    with reading() as db:
        throttle = db.get(SignInThrottle, name)
        wait = _locked_for(throttle, now)
        user = db.scalar(sa.select(User).where(User.username == name))
        stored = user.password_hash if user is not None and user.deactivated_at is None else None
        temporary = user is not None and user.must_change_password
    if wait:
        raise NotAllowed(f"Too many failed sign-ins. Try again in {wait} seconds.")
    right = passwords.verify(stored or passwords.DUMMY_HASH, password) and stored is not None
    # an old-style hash is upgraded now (not a one-time password, which is replaced anyway)
    upgrade = right and not temporary and stored is not None and passwords.needs_rehash(stored)
    rehashed = passwords.hash_password(password) if upgrade else None
    with transaction() as db:
        if not right:
            _count_failure(db, name, now)
            failed = True
        else:
            failed = False
            user = db.scalar(sa.select(User).where(User.username == name))
            if user is None or user.password_hash != stored or user.deactivated_at is not None:
                raise NotAllowed(CHANGED)
            db.execute(sa.delete(SignInThrottle).where(SignInThrottle.username == name))
            if rehashed:
                user.password_hash = rehashed
            session_id, handoff = _open_session(db, user, now)
            result = SignIn(
                actor=actor_of(user, session_id),
                session_id=session_id,
                handoff=handoff,
                must_change_password=user.must_change_password,
                notice_accepted=user.notice_accepted_at is not None,
            )
    if failed:  # raised after the commit, so the failure count is kept
        raise NotAllowed(WRONG)
    return result


def _count_failure(db: Session, username: str, now: datetime) -> None:
    throttle = db.get(SignInThrottle, username, with_for_update=True)
    if throttle is None:
        throttle = SignInThrottle(username=username, failures=0)
        db.add(throttle)
    throttle.failures += 1
    pause = backoff(throttle.failures)
    throttle.locked_until = now + pause if pause else None


def _open_session(db: Session, user: User, now: datetime) -> tuple[int, str]:
    handoff = secrets.token_urlsafe(24)
    row = SignInSession(
        user_id=user.id,
        token_hash=_digest(secrets.token_urlsafe(32)),  # replaced when the cookie is issued
        handoff_hash=_digest(handoff),
        handoff_expires_at=now + timedelta(seconds=HANDOFF_SECONDS),
        created_at=now,
        expires_at=now + timedelta(hours=config.SESSION_HOURS),
    )
    db.add(row)
    db.flush()
    return row.id, handoff


def redeem_handoff(handoff: str) -> str | None:
    """Trade a fresh handoff code for a new cookie token, once; None if unknown or stale."""
    now = clock.now()
    with transaction() as db:
        row = db.scalar(
            sa.select(SignInSession).where(SignInSession.handoff_hash == _digest(handoff))
        )
        if row is None or row.revoked_at is not None or row.handoff_expires_at is None:
            return None
        if row.handoff_expires_at < now:
            return None
        token = secrets.token_urlsafe(32)
        row.token_hash = _digest(token)
        row.handoff_hash = None
        row.handoff_expires_at = None
        return token


def account(token: str) -> Account | None:
    """The account behind a cookie's token, if its session is open and unexpired."""
    return _account(SignInSession.token_hash == _digest(token))


def session_account(session_id: int) -> Account | None:
    """The account behind a session the page already holds (checked on every rerun)."""
    return _account(SignInSession.id == session_id)


def _account(which: sa.ColumnElement[bool]) -> Account | None:
    # one query (plain columns, checked on every page run): the open session, its active
    # account, and the roles it holds now
    now = clock.now()
    with reading() as db:
        rows = db.execute(
            sa.select(
                SignInSession.id,
                User.id,
                User.username,
                User.full_name,
                User.is_admin,
                User.must_change_password,
                User.notice_accepted_at,
                Enrolment.role,
            )
            .join(User, User.id == SignInSession.user_id)
            .outerjoin(Enrolment, sa.and_(Enrolment.user_id == User.id, in_force(now)))
            .where(which, open_session(now), User.deactivated_at.is_(None))
        ).all()
    if not rows:
        return None
    first = rows[0]
    roles = {row.role for row in rows if row.role is not None}
    if first.is_admin:
        roles.add("admin")
    return Account(
        actor=Actor(first[1], first.username, first.full_name, first.is_admin, first[0]),
        session_id=first[0],
        must_change_password=first.must_change_password,
        notice_accepted=first.notice_accepted_at is not None,
        roles=frozenset(roles),
    )


def sign_out(session_id: int) -> None:
    """Revoke the session everywhere: every tab using it is signed out at its next step."""
    with transaction() as db:
        row = db.get(SignInSession, session_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at = clock.now()


def _revoke_sessions(db: Session, user_id: int, keep: int | None = None) -> None:
    condition = [SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None)]
    if keep is not None:
        condition.append(SignInSession.id != keep)
    db.execute(sa.update(SignInSession).where(*condition).values(revoked_at=clock.now()))


def change_password(actor: Actor, current: str, new: str) -> None:
    """Replace the actor's password; every other sign-in of theirs ends."""
    with reading() as db:
        me = acting(db, actor, ready=False)
        stored = db.scalar(sa.select(User.password_hash).where(User.id == me.user_id))
    if stored is None or not passwords.verify(stored, current):
        raise NotAllowed("Your current password is not right.")
    if current == new:
        raise BadInput("Choose a password different from the one you were given.")
    check_new_password(me.username, new)
    new_hash = passwords.hash_password(new)
    with transaction() as db:
        me = acting(db, actor, ready=False)
        user = db.get(User, me.user_id, with_for_update=True)
        if user is None or user.password_hash != stored:
            raise Conflict("Your password was changed elsewhere a moment ago. Try again.")
        user.password_hash = new_hash
        user.must_change_password = False
        _revoke_sessions(db, user.id, keep=actor.session_id)


def accept_notice(actor: Actor) -> None:
    with transaction() as db:
        me = acting(db, actor, ready=False)
        user = db.get(User, me.user_id)
        if user is not None and user.notice_accepted_at is None:
            user.notice_accepted_at = clock.now()


def add_user(
    db: Session,
    actor: Actor,
    new: NewAccount,
    *,
    is_admin: bool = False,
    is_demo: bool = False,
    via: str | None = None,
) -> User:
    """Store a prepared account in the caller's transaction (the caller checked the actor)."""
    if db.scalar(sa.select(User.id).where(User.username == new.username)) is not None:
        raise Conflict(f"The username '{new.username}' is already taken.")
    user = User(
        username=new.username,
        full_name=new.full_name,
        email=new.email,
        password_hash=new.password_hash,
        must_change_password=new.one_time_password is not None,
        is_admin=is_admin,
        is_demo=is_demo,
        created_at=clock.now(),
    )
    db.add(user)
    db.flush()
    audit.record(
        db, actor, "user.create", "user", user.id, via=via, username=new.username, admin=is_admin
    )
    return user


def reset_password(actor: Actor, username: str) -> str:
    """An administrator issues a new one-time password (the old sessions are revoked)."""
    issued = one_time_password()
    new_hash = passwords.hash_one_time(issued)
    with transaction() as db:
        admin = require_admin(db, actor)
        name = username.strip().lower()
        user = db.scalar(sa.select(User).where(User.username == name))
        if user is None:
            raise NotFound(f"There is no user '{name[:64]}'.")
        user.password_hash = new_hash
        user.must_change_password = True
        db.execute(sa.delete(SignInThrottle).where(SignInThrottle.username == name))
        _revoke_sessions(db, user.id)
        audit.record(db, admin, "user.reset_password", "user", user.id)
    return issued


# ---- the first administrator ----


def _has_admin(db: Session) -> bool:
    return bool(db.scalar(sa.select(sa.func.count()).select_from(User).where(User.is_admin)))


def needs_setup() -> bool:
    with reading() as db:
        return not _has_admin(db)


def issue_setup_code() -> str | None:
    """A fresh one-time setup code if no administrator exists yet (shown to the operator)."""
    if not needs_setup():
        return None
    code = "-".join(secrets.token_hex(3) for _ in range(3))
    code_hash = passwords.hash_password(code)
    now = clock.now()
    with transaction() as db:
        if _has_admin(db):
            return None
        db.execute(sa.update(SetupCode).where(SetupCode.used_at.is_(None)).values(used_at=now))
        db.add(SetupCode(code_hash=code_hash, created_at=now, expires_at=now + timedelta(hours=24)))
    return code


def claim_setup(code: str, username: str, full_name: str, password: str) -> None:
    """Make the first administrator with the operator's one-time setup code."""
    now = clock.now()
    with reading() as db:
        if _has_admin(db):
            raise Conflict("An administrator already exists: sign in instead.")
        live = db.execute(
            sa.select(SetupCode.id, SetupCode.code_hash).where(
                SetupCode.used_at.is_(None), SetupCode.expires_at > now
            )
        ).all()
    found = next((i for i, h in live if passwords.verify(h, code.strip()[:64])), None)
    if found is None:
        raise NotAllowed(
            "That setup code is not right, or has expired. Restart the server for a new one."
        )
    new = prepare_account(username, full_name, password=password)
    with transaction() as db:
        row = db.get(SetupCode, found, with_for_update=True)
        if _has_admin(db) or row is None or row.used_at is not None:
            raise Conflict("An administrator already exists: sign in instead.")
        row.used_at = now
        add_user(db, Actor.command_line(), new, is_admin=True, via="first-time setup page")
