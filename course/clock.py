"""The one clock: everything that depends on time asks here, so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)
_fixed: datetime | None = None


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    if _fixed is not None:
        return _fixed
    return datetime.now(UTC) + _offset


def set_now(moment: datetime | None) -> None:
    """Pin the clock to a moment (tests), or release it with None."""
    global _fixed
    if moment is not None and moment.tzinfo is None:
        raise ValueError("the clock takes timezone-aware times only")
    _fixed = moment


def advance(delta: timedelta) -> None:
    """Move the clock forward (tests)."""
    global _offset, _fixed
    if _fixed is not None:
        _fixed = _fixed + delta
    else:
        _offset += delta


def as_utc(moment: datetime) -> datetime:
    """Times read back from SQLite come without a zone; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
