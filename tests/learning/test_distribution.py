"""Summaries of counted values: the same quartiles as the standard library, bins that hold
their lower bound."""

from __future__ import annotations

import random
import statistics

import pytest

from course.learning.distribution import histogram, quantile, summarise


def expand(counted: list[tuple[float, int]]) -> list[float]:
    return [value for value, count in counted for _ in range(count)]


def test_summary_by_hand() -> None:
    summary = summarise([(0.9, 2), (0.6, 1), (1.0, 1), (0.7, 1)])
    assert summary is not None
    assert (summary.count, summary.minimum, summary.maximum) == (5, 0.6, 1.0)
    assert (summary.q1, summary.median, summary.q3) == pytest.approx((0.7, 0.9, 0.9))
    assert summary.mean == pytest.approx(4.1 / 5)


def test_quartiles_match_the_standard_librarys_inclusive_method() -> None:
    rng = random.Random(4)
    for _ in range(50):
        counted = [
            (round(rng.random(), 4), rng.randrange(0, 6)) for _ in range(rng.randrange(1, 9))
        ]
        values = expand(counted)
        if len(values) < 2:
            continue
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        summary = summarise(counted)
        assert summary is not None
        assert (summary.q1, summary.median, summary.q3) == pytest.approx((q1, median, q3))
        assert summary.mean == pytest.approx(statistics.fmean(values))


def test_median_of_an_even_count_is_halfway() -> None:
    assert quantile([(10.0, 1), (20.0, 1), (12.0, 1), (14.0, 1)], 0.5) == 13.0
    assert quantile([(7.0, 1)], 0.5) == 7.0


def test_nothing_to_count() -> None:
    assert summarise([]) is None
    assert summarise([(0.5, 0)]) is None
    assert quantile([], 0.5) is None


def test_histogram_bins_hold_their_lower_bound_and_the_last_holds_a_full_score() -> None:
    counted = [(0.0, 1), (0.7, 2), (0.6999, 1), (0.3, 1), (0.99, 1), (1.0, 3)]
    assert histogram(counted) == [1, 0, 0, 1, 0, 0, 1, 2, 0, 4]
    assert histogram(counted, bins=2) == [2, 7]


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda: histogram([(1.5, 1)]), "between 0 and 1"),
        (lambda: histogram([(0.5, 1)], bins=0), "at least one bin"),
        (lambda: summarise([(0.5, -1)]), "never negative"),
        (lambda: quantile([(0.5, 1)], 1.5), "between 0 and 1"),
    ],
)
def test_distribution_refuses_what_cannot_be(call: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        call()  # type: ignore[operator]
