"""Schema changes: apply the alembic migrations that ship in this package."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config

from course import config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# alembic keeps its context in module globals: two upgrades at once in one process collide
_LOCK = threading.Lock()
_DONE: set[str] = set()


def alembic_config(url: str) -> Config:
    """An alembic configuration for the given database, independent of the working directory."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the database at url to the newest schema."""
    with _LOCK:
        command.upgrade(alembic_config(url), "head")
        _DONE.add(url)


def upgrade_on_start(url: str) -> None:
    """Upgrade once per process, unless COURSE_AUTO_MIGRATE=0 (the server's start and its
    first page both call this)."""
    if not config.auto_migrate():
        return
    with _LOCK:
        if url in _DONE:
            return
    upgrade(url)
