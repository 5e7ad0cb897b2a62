"""The unit of work: a busy or unreachable database becomes a sentence, and error messages never
carry the values written (a password hash, a token)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from course import clock
from course.errors import Unavailable
from course.store import db
from course.store.models import User


def _user(name: str, password_hash: str) -> User:
    return User(
        username=name,
        full_name=name,
        password_hash=password_hash,
        must_change_password=False,
        is_admin=False,
        is_demo=False,
        created_at=clock.now(),
    )


def test_an_error_message_never_shows_the_values_written(database: str) -> None:
    secret = "$argon2id$v=19$m=47104,t=1,p=1$SECRET-SALT$SECRET-HASH"
    with db.transaction() as session:
        session.add(_user("twin", secret))
    with pytest.raises(sa.exc.IntegrityError) as raised, db.transaction() as session:
        session.add(_user("twin", secret))
    assert "SECRET" not in str(raised.value)


def test_a_locked_sqlite_file_becomes_a_sentence(
    sqlite_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_SQLITE_BUSY_MS", "100")
    db.reset()
    holder = sqlite3.connect(sqlite_database.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with pytest.raises(Unavailable, match="busy or out of reach"), db.transaction() as session:
            session.add(_user("waiting", "x"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with db.reading() as session:  # nothing was written, and reading never waited
        assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_an_unreachable_database_becomes_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    db.reset()
    with pytest.raises(Unavailable), db.reading() as session:
        session.execute(sa.text("select 1"))
    monkeypatch.setenv("COURSE_DATABASE_URL", f"sqlite:///{tmp_path}/no/such/folder/course.db")
    db.reset()
    with pytest.raises(Unavailable), db.transaction() as session:
        session.execute(sa.text("select 1"))
    db.reset()
