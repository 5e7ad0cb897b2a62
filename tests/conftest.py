"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when it answers), an academy."""

from __future__ import annotations

import os

# Accounts are made by the hundred here: hash them cheaply (the cost is a server setting; the
# production default is checked in tests/services/test_accounts.py).
os.environ.setdefault("COURSE_ARGON2_MEMORY_KIB", "1024")
import shutil
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from course import clock
from course.content import current
from course.services import accounts, cohorts
from course.services.access import Actor
from course.store import db, migrate

PROJECT = Path(__file__).resolve().parents[1]
SHIPPED_CONTENT = ("modules", "quizzes", "rules", "tracks.yaml")
PG_ADMIN_URL = os.environ.get(
    "COURSE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_available() -> bool:
    if "COURSE_TEST_POSTGRES_URL" in os.environ:
        return True
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def need(available: bool, reason: str) -> None:
    """Skip with a one-line reason on a developer's machine; fail in CI, where it must run."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI must run these tests)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shipped_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the content the project ships (which must load without problems)."""
    root = tmp_path_factory.mktemp("shipped")
    for name in SHIPPED_CONTENT:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    return root


@pytest.fixture
def content(shipped_content: Path, tmp_path: Path) -> Path:
    """A private copy of the shipped content, for one test to change or break."""
    root = tmp_path / "content"
    shutil.copytree(shipped_content, root)
    return root


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "course.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    need(postgres_available(), "PostgreSQL not reachable on 127.0.0.1:5432")
    name = f"sns_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate.upgrade(url)
    yield url
    db.reset()
    sa.create_engine(url).dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _truncate(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        tables = [
            t
            for (t,) in conn.exec_driver_sql(
                "select tablename from pg_tables where schemaname = 'public'"
            )
            if t != "alembic_version"
        ]
        conn.exec_driver_sql(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """An empty, migrated database (on each backend), made the configured one."""
    if request.param == "sqlite":
        path = tmp_path / "course.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        _truncate(url)
    monkeypatch.setenv("COURSE_DATABASE_URL", url)
    db.reset()
    yield url
    db.reset()


@pytest.fixture
def sqlite_database(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A migrated SQLite file (AppTest runs pages on another thread, so not in memory)."""
    path = tmp_path / "course.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("COURSE_DATABASE_URL", url)
    db.reset()
    yield url
    db.reset()


@pytest.fixture(autouse=True)
def _real_clock_and_content() -> Iterator[None]:
    clock.set_now(None)
    current.forget()
    yield
    clock.set_now(None)


PASSWORD = "correct-horse-battery"
ADMIN = Actor.command_line()


@dataclass
class Academy:
    """Two cohorts: CTP (sections A and B, a trainer each, learners) and a refresher cohort."""

    learners: dict[str, Actor] = field(default_factory=dict)
    trainers: dict[str, Actor] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def actor(self, username: str) -> Actor:
        return {**self.learners, **self.trainers}[username]

    def session_id(self, username: str) -> int:
        return accounts.sign_in(username, PASSWORD).session_id


def _person(username: str, name: str, cohort: str, role: str, section: str | None) -> Actor:
    from course.services import users

    users.add(
        ADMIN, username, role, full_name=name, cohort=cohort, section=section, password=PASSWORD
    )
    return accounts.sign_in(username, PASSWORD).actor


def make_academy(learners_per_section: int = 3) -> Academy:
    academy = Academy()
    academy.ids["ctp"] = cohorts.create_cohort(ADMIN, "CTP 2027", "probationer", ["A", "B"])
    academy.ids["refresher"] = cohorts.create_cohort(ADMIN, "Refresher 2027", "refresher")
    academy.trainers["trainer_a"] = _person("trainer_a", "Trainer A", "CTP 2027", "trainer", "A")
    academy.trainers["trainer_b"] = _person("trainer_b", "Trainer B", "CTP 2027", "trainer", "B")
    academy.trainers["trainer_r"] = _person(
        "trainer_r", "Trainer R", "Refresher 2027", "trainer", None
    )
    academy.trainers["viewer"] = _person("viewer", "Viewer V", "CTP 2027", "viewer", None)
    for section in ("A", "B"):
        for n in range(1, learners_per_section + 1):
            name = f"learner_{section.lower()}{n}"
            academy.learners[name] = _person(
                name, f"Learner {section}{n}", "CTP 2027", "learner", section
            )
    academy.learners["officer"] = _person("officer", "Officer R", "Refresher 2027", "learner", None)
    for actor in [*academy.learners.values(), *academy.trainers.values()]:
        accounts.accept_notice(actor)
    return academy


@pytest.fixture
def academy(database: str) -> Academy:
    return make_academy()
