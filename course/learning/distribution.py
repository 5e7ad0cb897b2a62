"""Summaries of counted values (scores, minutes) that the database has already grouped.

Each input is a list of (value, how many) pairs, so a distribution over thousands of learners
arrives as a few dozen rows. The rules, so a trainer can check them:
- quartiles and the median are "inclusive" (as numpy's default and a spreadsheet's
  QUARTILE.INC): the value at position p * (n - 1) in the sorted list, interpolated between its
  two neighbours;
- a score histogram has equal bins from 0 to 1, each holding its lower bound; the last also
  holds 1 (a full score).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Counted = tuple[float, int]  # (value, how many have it)


@dataclass(frozen=True)
class Summary:
    count: int
    mean: float
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


def _sorted(counted: Iterable[Counted]) -> list[Counted]:
    kept = []
    for value, count in counted:
        if count < 0:
            raise ValueError("a count is never negative")
        if count:
            kept.append((value, count))
    return sorted(kept)


def _at(values: list[Counted], rank: int) -> float:
    """The value at 0-based `rank` in the expanded sorted list."""
    seen = 0
    for value, count in values:
        seen += count
        if rank < seen:
            return value
    raise IndexError(rank)


def quantile(counted: Iterable[Counted], p: float) -> float | None:
    """The inclusive p-quantile (0 <= p <= 1); None when there is nothing to count."""
    if not 0 <= p <= 1:
        raise ValueError("a quantile lies between 0 and 1")
    values = _sorted(counted)
    n = sum(count for _, count in values)
    if n == 0:
        return None
    position = p * (n - 1)
    below = math.floor(position)
    low = _at(values, below)
    high = _at(values, min(below + 1, n - 1))
    return low + (high - low) * (position - below)


def summarise(counted: Iterable[Counted]) -> Summary | None:
    """Count, mean and five-number summary; None when there is nothing to count."""
    values = _sorted(counted)
    n = sum(count for _, count in values)
    if n == 0:
        return None
    q1, median, q3 = (quantile(values, p) for p in (0.25, 0.5, 0.75))
    assert q1 is not None and median is not None and q3 is not None  # n > 0
    return Summary(
        count=n,
        mean=sum(value * count for value, count in values) / n,
        minimum=values[0][0],
        q1=q1,
        median=median,
        q3=q3,
        maximum=values[-1][0],
    )


def histogram(counted: Iterable[Counted], bins: int = 10) -> list[int]:
    """How many scores (0 to 1) fall in each of `bins` equal bins."""
    if bins < 1:
        raise ValueError("a histogram has at least one bin")
    counts = [0] * bins
    for value, count in _sorted(counted):
        if not -1e-9 <= value <= 1 + 1e-9:
            raise ValueError(f"a score lies between 0 and 1, not {value}")
        # scores are kept to 4 decimals: 0.7 * 10 must land in bin 7, not 6
        counts[min(max(math.floor(value * bins + 1e-6), 0), bins - 1)] += count
    return counts
