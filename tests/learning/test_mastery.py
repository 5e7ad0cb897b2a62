"""Mastery over time: the one-pass decaying average against the weighted mean it stands for."""

from __future__ import annotations

import random

import pytest

from course.learning.mastery import HALF_LIFE_WEEKS, WeekTotal, decay_per_week, decaying_mastery

D = 0.5**0.25  # a week's decay at the default half-life of four weeks


def test_decaying_mastery_of_one_week_is_its_mean() -> None:
    assert decaying_mastery([WeekTotal(7, 6.0, 8)]) == [(7, 0.75)]


def test_decaying_mastery_by_hand() -> None:
    series = decaying_mastery([WeekTotal(0, 8.0, 10), WeekTotal(2, 10.0, 10)])
    assert [week for week, _ in series] == [0, 1, 2]
    assert series[0][1] == pytest.approx(0.8)
    assert series[1][1] == pytest.approx(0.8)  # a week without answers keeps the mastery
    assert series[2][1] == pytest.approx((8 * D**2 + 10) / (10 * D**2 + 10))


def test_an_answer_one_half_life_old_weighs_half() -> None:
    series = decaying_mastery([WeekTotal(0, 0.0, 1), WeekTotal(1, 1.0, 1)], half_life_weeks=1)
    assert series[-1][1] == pytest.approx(1 / (0.5 + 1))
    assert decay_per_week(HALF_LIFE_WEEKS) ** HALF_LIFE_WEEKS == pytest.approx(0.5)


def test_decaying_mastery_is_the_weighted_mean_of_every_answer() -> None:
    rng = random.Random(9)
    answers = [(rng.randrange(12), rng.random()) for _ in range(300)]  # (week, item score)
    totals: dict[int, list[float]] = {}
    for week, score in answers:
        totals.setdefault(week, []).append(score)
    series = dict(
        decaying_mastery(
            [WeekTotal(w, sum(s), len(s)) for w, s in totals.items()], half_life_weeks=3
        )
    )
    for now in range(12):
        seen = [(0.5 ** ((now - w) / 3), s) for w, s in answers if w <= now]
        expected = sum(weight * s for weight, s in seen) / sum(weight for weight, _ in seen)
        assert series[now] == pytest.approx(expected)


def test_decaying_mastery_spans_weeks_before_the_first_answer() -> None:
    series = decaying_mastery([WeekTotal(3, 1.0, 2)], span=(1, 4))
    assert series == [(1, None), (2, None), (3, 0.5), (4, 0.5)]
    assert decaying_mastery([], span=(0, 1)) == [(0, None), (1, None)]
    assert decaying_mastery([]) == []


def test_decaying_mastery_takes_weeks_in_any_order() -> None:
    weeks = [WeekTotal(0, 1.0, 2), WeekTotal(1, 3.0, 3), WeekTotal(4, 0.0, 1)]
    assert decaying_mastery(weeks[::-1]) == decaying_mastery(weeks)


@pytest.mark.parametrize(
    ("totals", "span", "half_life", "problem"),
    [
        ([WeekTotal(0, 1.0, 1), WeekTotal(0, 1.0, 1)], None, 4.0, "given twice"),
        ([WeekTotal(0, 3.0, 2)], None, 4.0, "between 0 and answers"),
        ([WeekTotal(0, -1.0, 2)], None, 4.0, "between 0 and answers"),
        ([WeekTotal(5, 1.0, 2)], (0, 4), 4.0, "outside the span"),
        ([WeekTotal(0, 1.0, 2)], None, 0.0, "positive number of weeks"),
    ],
)
def test_decaying_mastery_refuses_what_cannot_be(
    totals: list[WeekTotal], span: tuple[int, int] | None, half_life: float, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        decaying_mastery(totals, half_life, span)
