"""Migrations: an empty database upgrades to head, and the models and migrations agree."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from course.store.models import Base


def test_migrations_build_the_schema_the_models_describe(database: str) -> None:
    engine = sa.create_engine(database)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert differences == []
    assert {
        "app_user",
        "cohort",
        "section",
        "enrolment",
        "attempt",
        "answer",
        "scenario_play",
        "scenario_step",
        "audit_log",
        "question_version",
        "signin_session",
    } <= tables


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(sqlite_database: str) -> None:
    from course.store.db import engine

    with engine().connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
