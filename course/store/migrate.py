"""Schema changes: apply the alembic migrations that ship in this package."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config

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


def ensure_upgraded(url: str) -> None:
    """Upgrade once per process (the server's start and its first page share this)."""
    with _LOCK:
        if url in _DONE:
            return
    upgrade(url)
