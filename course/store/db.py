"""The one engine per process and the unit of work: every record is read and written here."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from course import config


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself, so writes can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # Writers take the lock at BEGIN: two writers then queue instead of failing mid-transaction.
    mode = "DEFERRED" if conn.get_execution_options().get("course_readonly") else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> sa.Engine:
    """An engine with the course's settings for SQLite or PostgreSQL."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@functools.cache
def _engine_for(url: str) -> sa.Engine:
    return make_engine(url)


def engine() -> sa.Engine:
    """The process's engine for the configured database (one per URL)."""
    return _engine_for(config.database_url())


@functools.cache
def _factories(url: str) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    eng = _engine_for(url)
    writer = sessionmaker(eng, expire_on_commit=False)
    reader = sessionmaker(eng.execution_options(course_readonly=True), expire_on_commit=False)
    return writer, reader


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work that may write: commit on success, roll back on any exception."""
    with _factories(config.database_url())[0].begin() as db:
        yield db


@contextmanager
def reading() -> Iterator[Session]:
    """A unit of work that only reads (SQLite does not take the write lock for it)."""
    with _factories(config.database_url())[1].begin() as db:
        yield db


def reset() -> None:
    """Forget the cached engines (tests that switch databases call this)."""
    _engine_for.cache_clear()
    _factories.cache_clear()
