"""When a track is completed, how long its certificate runs, what a verification code looks
like, and what state a certificate is in. Pure functions; course/services/certificates.py reads
the records and stores the certificates.

Completion: every requirement of the track (each approved module finished, each graded quiz
passed) met by an event after `after`, the completion of the learner's last certificate for the
track, so that a new certificate needs a new cycle. A track with a certificate period also
needs each event within that period (the refresher: "within the last twelve months").
"""

from __future__ import annotations

import calendar
import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

State = Literal["valid", "expired", "revoked", "unknown"]
DEFAULT_MONTHS = 12
# Crockford's base32: no I, L, O or U, so a code read aloud or off paper is not mistyped
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP = 4, 4  # 16 characters: 80 random bits
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def completed_at(
    events: Mapping[str, Sequence[datetime]],
    required: Sequence[str],
    after: datetime | None,
) -> datetime | None:
    """The moment the last requirement was met by an event after `after` (None: any event), or
    None while some requirement has no such event. Each requirement counts its first such
    event: completing is reaching all of them, not repeating them."""
    if not required:
        return None
    firsts = []
    for requirement in required:
        times = [t for t in events.get(requirement, ()) if after is None or t > after]
        if not times:
            return None
        firsts.append(min(times))
    return max(firsts)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it has fewer days)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def state(expires_at: datetime, revoked_at: datetime | None, now: datetime) -> State:
    if revoked_at is not None and revoked_at <= now:
        return "revoked"
    return "valid" if now < expires_at else "expired"


def new_code() -> str:
    """A fresh verification code, e.g. 7KQ4-M2XD-9F0B-TR6W."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP))
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise_code(text: str) -> str | None:
    """A code as typed (any case, spaces or dashes, O for 0, I or L for 1) in its stored form,
    or None when it cannot be a code."""
    compact = re.sub(r"[\s-]", "", text.upper()).translate(_MISREAD)
    if len(compact) != GROUPS * GROUP or any(c not in ALPHABET for c in compact):
        return None
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))
