"""Values from the page's address: whatever someone types there gets a sentence, never a crash."""

from __future__ import annotations

import streamlit as st

LONGEST = 100  # no id in this course is longer; anything longer is not one of ours


def text(name: str) -> str | None:
    """A query value as given (None when absent, empty, or longer than any id)."""
    value = st.query_params.get(name)
    if not value or len(value) > LONGEST:
        return None
    return value.strip() or None


def whole_number(name: str, what: str, lowest: int, highest: int) -> tuple[int | None, str | None]:
    """A whole number in [lowest, highest] from the address (`name`, a `what` to the reader),
    and a sentence if it was not one.

    Absent: (None, None). Not a number: (None, sentence). Out of range: the nearest allowed
    number, with a sentence saying so.
    """
    raw = st.query_params.get(name)
    if raw is None or raw == "":
        return None, None
    cleaned = raw.strip()
    if len(cleaned) > 12 or not cleaned.lstrip("-").isdigit():
        shown = cleaned[:20] + ("…" if len(cleaned) > 20 else "")
        return None, f"The address asks for {what} '{shown}', which is not a whole number."
    value = int(cleaned)
    if value < lowest or value > highest:
        near = min(max(value, lowest), highest)
        return near, f"There is no {what} {value} here; showing {what} {near} instead."
    return value, None
