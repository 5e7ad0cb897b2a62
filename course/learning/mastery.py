"""Mastery over time: an exponentially decaying average of item scores, week by week.

The rule, so a trainer can check it:
- every answer in a finished attempt at a graded quiz has an item score between 0 and 1;
- the mastery of a competency at week w is the weighted mean of every item score answered in
  week w or before, where an answer k weeks old weighs 0.5 ** (k / h), h being the half-life in
  weeks (4 by default): last month's answers count half as much as this week's, two months ago a
  quarter;
- computed in one pass: S(w) = d * S(w - 1) + sum of week w's scores, N(w) = d * N(w - 1) +
  week w's answers, mastery(w) = S(w) / N(w), with d = 0.5 ** (1 / h);
- a week without answers keeps the mastery it had (S and N shrink alike), and before the first
  answer there is none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HALF_LIFE_WEEKS = 4.0


@dataclass(frozen=True)
class WeekTotal:
    """What the database adds up for one week: the sum of its item scores and their number."""

    week: int  # whole weeks since a fixed Monday
    score: float
    answers: int


def decay_per_week(half_life_weeks: float) -> float:
    """How much an answer's weight shrinks in a week: 0.5 ** (1 / half-life)."""
    if half_life_weeks <= 0:
        raise ValueError("the half-life is a positive number of weeks")
    return float(0.5 ** (1 / half_life_weeks))


def decaying_mastery(
    totals: Iterable[WeekTotal],
    half_life_weeks: float = HALF_LIFE_WEEKS,
    span: tuple[int, int] | None = None,
) -> list[tuple[int, float | None]]:
    """(week, mastery) for every week from the first total to the last, or across `span`
    (first and last week, both included); None before any answer."""
    by_week: dict[int, WeekTotal] = {}
    for total in totals:
        if total.answers < 0 or not 0 <= total.score <= total.answers + 1e-9:
            raise ValueError(f"week {total.week}: a sum of item scores lies between 0 and answers")
        if total.week in by_week:
            raise ValueError(f"week {total.week} is given twice")
        by_week[total.week] = total
    if span is None:
        if not by_week:
            return []
        span = (min(by_week), max(by_week))
    first, last = span
    if by_week and (min(by_week) < first or max(by_week) > last):
        raise ValueError("a week with answers lies outside the span asked for")
    shrink = decay_per_week(half_life_weeks)
    score = weight = 0.0
    series: list[tuple[int, float | None]] = []
    for week in range(first, last + 1):
        this = by_week.get(week)
        score = score * shrink + (this.score if this else 0.0)
        weight = weight * shrink + (this.answers if this else 0)
        series.append((week, score / weight if weight > 0 else None))
    return series
