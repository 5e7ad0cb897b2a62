"""The one engine per process and the unit of work: every record is read and written here."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from course import config
from course.errors import Unavailable

log = logging.getLogger(__name__)
BUSY = (
    "The course's records are busy or out of reach just now, so nothing was saved. "
    "Try again in a moment."
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself, so writes can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={config.sqlite_busy_ms()}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # Writers take the lock at BEGIN: two writers then queue instead of failing mid-transaction.
    mode = "DEFERRED" if conn.get_execution_options().get("course_readonly") else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> sa.Engine:
    """An engine with the course's settings for SQLite or PostgreSQL."""
    # hide_parameters: an error message must never carry a password hash or a token
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"timeout": config.sqlite_busy_ms() / 1000, "check_same_thread": False},
            hide_parameters=True,
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
    )


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
def _unit(factory: sessionmaker[Session]) -> Iterator[Session]:
    # A locked SQLite file or a dropped PostgreSQL connection becomes a sentence the page can
    # show (and the caller can offer to try again); the details go to the server's log only.
    try:
        with factory.begin() as db:
            yield db
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as problem:
        cause = str(problem.orig or problem).splitlines()[0][:200]
        log.warning("database unavailable: %s", cause)
        raise Unavailable(BUSY) from None


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work that may write: commit on success, roll back on any exception."""
    with _unit(_factories(config.database_url())[0]) as db:
        yield db


@contextmanager
def reading() -> Iterator[Session]:
    """A unit of work that only reads (SQLite does not take the write lock for it)."""
    with _unit(_factories(config.database_url())[1]) as db:
        yield db


def reset() -> None:
    """Forget the cached engines (tests that switch databases call this)."""
    _engine_for.cache_clear()
    _factories.cache_clear()
