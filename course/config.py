"""Settings read from the environment: where the records and the content live, and the time zone."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ACADEMY_NAME = os.environ.get("COURSE_ACADEMY_NAME", "Civil Services Academy")
COURSE_TITLE = "Service, Not Spectacle"


def database_url() -> str:
    """COURSE_DATABASE_URL, else the SQLite file under data/."""
    url = os.environ.get("COURSE_DATABASE_URL")
    if url:
        return url
    data = Path(os.environ.get("COURSE_DATA_DIR", PROJECT_ROOT / "data"))
    data.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data / 'course.db'}"


def content_dir() -> Path:
    """The folder holding modules/, quizzes/, rules/ and tracks.yaml."""
    return Path(os.environ.get("COURSE_CONTENT_DIR", PROJECT_ROOT))


def timezone() -> ZoneInfo:
    """The academy's time zone, used only for showing times."""
    return ZoneInfo(os.environ.get("COURSE_TIMEZONE", "Asia/Karachi"))


def auto_migrate() -> bool:
    """Apply migrations when the app starts (turn off when several processes share a database)."""
    return os.environ.get("COURSE_AUTO_MIGRATE", "1") != "0"


SESSION_HOURS = int(os.environ.get("COURSE_SESSION_HOURS", "12"))
COOKIE_NAME = "sns_session"
