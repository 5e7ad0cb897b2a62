"""Accounts: passwords, throttled sign-in, server-side sessions, first administrator."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy.orm import Session

from course import clock, config
from course.clock import as_utc
from course.errors import BadInput, Conflict, NotAllowed, NotFound
from course.services import audit
from course.services.access import Actor
from course.store.db import reading, transaction
from course.store.models import SetupCode, SignInSession, User

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("timing-equaliser")
FREE_FAILURES = 5  # failures before the back-off starts
HANDOFF_SECONDS = 120
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
WRONG = "The username or password is not right."


@dataclass(frozen=True)
class SignIn:
    actor: Actor
    session_id: int  # kept server-side in the page's state; the cookie holds a separate token
    handoff: str  # single-use, short-lived: the browser trades it for the HttpOnly cookie
    must_change_password: bool
    notice_accepted: bool


@dataclass(frozen=True)
class Account:
    actor: Actor
    session_id: int
    must_change_password: bool
    notice_accepted: bool


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def one_time_password() -> str:
    """A password for a new account, readable aloud: four groups of four."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def check_new_password(username: str, password: str) -> None:
    if len(password) < 10:
        raise BadInput("Choose a password of at least 10 characters.")
    if username.lower() in password.lower():
        raise BadInput("Your password may not contain your username.")


def check_username(username: str) -> str:
    cleaned = username.strip().lower()
    if not USERNAME.match(cleaned):
        raise BadInput(
            f"Username '{username}' may use only lowercase letters, digits, '.', '_' and '-' "
            "(2 to 64 characters, starting with a letter or digit)."
        )
    return cleaned


def backoff(failures: int) -> timedelta:
    """Lock-out after a failed sign-in: none for the first few, then 30 s doubling to 15 min."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return timedelta(seconds=min(30 * 2 ** (failures - FREE_FAILURES), 900))


def actor_of(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        is_admin=user.is_admin,
    )


def sign_in(username: str, password: str) -> SignIn:
    """Check a password, throttled per account; open a server-side session on success."""
    now = clock.now()
    with transaction() as db:
        user = db.scalar(sa.select(User).where(User.username == username.strip().lower()))
        if user is None or user.deactivated_at is not None:
            _verify(_DUMMY_HASH, password)  # same cost as a real check: no username probing
            raise NotAllowed(WRONG)
        if user.locked_until is not None and as_utc(user.locked_until) > now:
            wait = math.ceil((as_utc(user.locked_until) - now).total_seconds())
            raise NotAllowed(f"Too many failed sign-ins. Try again in {wait} seconds.")
        if not _verify(user.password_hash, password):
            user.failed_signins += 1
            pause = backoff(user.failed_signins)
            user.locked_until = now + pause if pause else None
            failed = True
        else:
            failed = False
            user.failed_signins = 0
            user.locked_until = None
            if _HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            session_id, handoff = _open_session(db, user)
            result = SignIn(
                actor=actor_of(user),
                session_id=session_id,
                handoff=handoff,
                must_change_password=user.must_change_password,
                notice_accepted=user.notice_accepted_at is not None,
            )
    if failed:  # raised after the commit, so the failure count is kept
        raise NotAllowed(WRONG)
    return result


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def _open_session(db: Session, user: User) -> tuple[int, str]:
    now = clock.now()
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
        if as_utc(row.handoff_expires_at) < now:
            return None
        token = secrets.token_urlsafe(32)
        row.token_hash = _digest(token)
        row.handoff_hash = None
        row.handoff_expires_at = None
        return token


def account(token: str) -> Account | None:
    """The account behind a cookie's token, if its session is open and unexpired."""
    with reading() as db:
        row = db.scalar(sa.select(SignInSession).where(SignInSession.token_hash == _digest(token)))
        return _account(db, row)


def session_account(session_id: int) -> Account | None:
    """The account behind a session the page already holds (checked on every rerun)."""
    with reading() as db:
        return _account(db, db.get(SignInSession, session_id))


def _account(db: Session, row: SignInSession | None) -> Account | None:
    if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= clock.now():
        return None
    user = db.get(User, row.user_id)
    if user is None or user.deactivated_at is not None:
        return None
    return Account(
        actor=actor_of(user),
        session_id=row.id,
        must_change_password=user.must_change_password,
        notice_accepted=user.notice_accepted_at is not None,
    )


def sign_out(session_id: int) -> None:
    """Revoke the session everywhere: every tab using it is signed out at its next step."""
    with transaction() as db:
        row = db.get(SignInSession, session_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at = clock.now()


def change_password(actor: Actor, current: str, new: str) -> None:
    with transaction() as db:
        user = db.get(User, actor.user_id)
        if user is None:
            raise NotFound("Your account no longer exists.")
        if not _verify(user.password_hash, current):
            raise NotAllowed("Your current password is not right.")
        if current == new:
            raise BadInput("Choose a password different from the one you were given.")
        check_new_password(user.username, new)
        user.password_hash = hash_password(new)
        user.must_change_password = False


def accept_notice(actor: Actor) -> None:
    with transaction() as db:
        user = db.get(User, actor.user_id)
        if user is not None and user.notice_accepted_at is None:
            user.notice_accepted_at = clock.now()


def add_user(
    db: Session,
    actor: Actor,
    username: str,
    full_name: str,
    *,
    password: str | None = None,
    is_admin: bool = False,
    email: str | None = None,
    is_demo: bool = False,
) -> tuple[User, str | None]:
    """Create an account in the caller's transaction; with no password, a one-time one is made."""
    username = check_username(username)
    if db.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"The username '{username}' is already taken.")
    issued = None
    if password is None:
        issued = one_time_password()
        password = issued
    else:
        check_new_password(username, password)
    user = User(
        username=username,
        full_name=full_name.strip() or username,
        email=email,
        password_hash=hash_password(password),
        must_change_password=issued is not None,
        is_admin=is_admin,
        is_demo=is_demo,
        created_at=clock.now(),
    )
    db.add(user)
    db.flush()
    audit.record(db, actor, "user.create", "user", user.id, username=username, admin=is_admin)
    return user, issued


def reset_password(actor: Actor, username: str) -> str:
    """An administrator issues a new one-time password (the old sessions are revoked)."""
    with transaction() as db:
        if not actor.is_admin:
            raise NotAllowed("Only an administrator can reset passwords.")
        user = db.scalar(sa.select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"There is no user '{username}'.")
        issued = one_time_password()
        user.password_hash = hash_password(issued)
        user.must_change_password = True
        user.failed_signins = 0
        user.locked_until = None
        db.execute(
            sa.update(SignInSession)
            .where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
            .values(revoked_at=clock.now())
        )
        audit.record(db, actor, "user.reset_password", "user", user.id)
        return issued


# ---- the first administrator ----


def _has_admin(db: Session) -> bool:
    return bool(db.scalar(sa.select(sa.func.count()).select_from(User).where(User.is_admin)))


def needs_setup() -> bool:
    with reading() as db:
        return not _has_admin(db)


def issue_setup_code() -> str | None:
    """A fresh one-time setup code if no administrator exists yet (printed on the console)."""
    now = clock.now()
    with transaction() as db:
        if _has_admin(db):
            return None
        code = "-".join(secrets.token_hex(3) for _ in range(3))
        db.execute(sa.update(SetupCode).where(SetupCode.used_at.is_(None)).values(used_at=now))
        db.add(
            SetupCode(
                code_hash=hash_password(code),
                created_at=now,
                expires_at=now + timedelta(hours=24),
            )
        )
        return code


def claim_setup(code: str, username: str, full_name: str, password: str) -> None:
    """Make the first administrator with the console's setup code."""
    now = clock.now()
    with transaction() as db:
        if _has_admin(db):
            raise Conflict("An administrator already exists: sign in instead.")
        live = db.scalars(
            sa.select(SetupCode).where(SetupCode.used_at.is_(None), SetupCode.expires_at > now)
        ).all()
        row = next((r for r in live if _verify(r.code_hash, code.strip())), None)
        if row is None:
            raise NotAllowed(
                "That setup code is not right, or has expired. Restart the server for a new one."
            )
        row.used_at = now
        add_user(
            db,
            Actor.command_line(),
            username,
            full_name,
            password=password,
            is_admin=True,
        )
