"""Settings read from the environment: where the records and the content live, and the time zone."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ACADEMY_NAME = os.environ.get("COURSE_ACADEMY_NAME", "Civil Services Academy")
COURSE_TITLE = "Service, Not Spectacle"


def data_dir() -> Path:
    """COURSE_DATA_DIR, else data/ in the project: the SQLite file and the setup code live here."""
    data = Path(os.environ.get("COURSE_DATA_DIR", PROJECT_ROOT / "data"))
    data.mkdir(parents=True, exist_ok=True)
    return data


def database_url() -> str:
    """COURSE_DATABASE_URL, else the SQLite file under data/."""
    return os.environ.get("COURSE_DATABASE_URL") or f"sqlite:///{data_dir() / 'course.db'}"


def content_dir() -> Path:
    """The folder holding modules/, quizzes/, rules/ and tracks.yaml."""
    return Path(os.environ.get("COURSE_CONTENT_DIR", PROJECT_ROOT))


def timezone() -> ZoneInfo:
    """The academy's time zone, used only for showing times."""
    return ZoneInfo(os.environ.get("COURSE_TIMEZONE", "Asia/Karachi"))


def auto_migrate() -> bool:
    """Apply migrations when the app starts (turn off when several processes share a database)."""
    return os.environ.get("COURSE_AUTO_MIGRATE", "1") != "0"


def sqlite_busy_ms() -> int:
    """How long a SQLite writer waits for the lock before the user is told to try again."""
    return int(os.environ.get("COURSE_SQLITE_BUSY_MS", "15000"))


def argon2_memory_kib() -> int:
    """Memory cost of a password hash (KiB); OWASP's minimum for one pass is 47104 (46 MiB)."""
    return int(os.environ.get("COURSE_ARGON2_MEMORY_KIB", "47104"))


SESSION_HOURS = int(os.environ.get("COURSE_SESSION_HOURS", "12"))
COOKIE_NAME = "sns_session"


# ---- xAPI (course/services/xapi_records.py) ----


def xapi_base_iri() -> str:
    """The root of the course's activity ids: set it to the deployment's public address."""
    return os.environ.get("COURSE_XAPI_BASE_IRI", "https://service-not-spectacle.invalid")


def xapi_endpoint() -> str | None:
    """The learning record store's xAPI endpoint (…/xapi/); unset: statements are only exported."""
    return os.environ.get("COURSE_XAPI_ENDPOINT") or None


def xapi_credentials() -> tuple[str, str] | None:
    """The LRS's basic-auth key and secret, when it wants them."""
    key, secret = os.environ.get("COURSE_XAPI_USERNAME"), os.environ.get("COURSE_XAPI_PASSWORD")
    return (key, secret) if key and secret else None


def xapi_include_email() -> bool:
    """Identify learners by email in statements (off: a keyed pseudonym of the username)."""
    return os.environ.get("COURSE_XAPI_INCLUDE_EMAIL", "0") == "1"


def xapi_key() -> bytes:
    """The secret the learners' pseudonyms are keyed with: COURSE_XAPI_KEY, else one made once
    and kept in the data folder (the same learner keeps the same name in the LRS)."""
    if key := os.environ.get("COURSE_XAPI_KEY"):
        return key.encode()
    path = data_dir() / "xapi-key"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()
