"""Learning gain and retention from the anchor check: pre and post pairs, Hake's normalised
gain, bands by time since training hidden under five, and what the home page asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from course.learning import anchors
from course.learning.anchors import Sitting

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def at(days: int) -> datetime:
    return T0 + timedelta(days=days)


def test_pre_is_the_first_sitting_and_post_the_last_after_the_final() -> None:
    sittings = [
        Sitting("a", at(0), 0.5),
        Sitting("a", at(10), 0.6),  # before the final: neither
        Sitting("a", at(60), 0.8),
        Sitting("a", at(61), 0.9),
        Sitting("b", at(0), 0.4),  # never after the final
        Sitting("c", at(70), 0.7),  # only one sitting, after the final
    ]
    finished = {"a": at(50), "b": at(50), "c": at(50)}
    assert anchors.pre_post(sittings, finished) == {"a": (0.5, 0.9)}


def test_gain_is_hidden_under_five_and_normalised_by_room_to_learn() -> None:
    four = {n: (0.5, 0.75) for n in range(4)}
    assert anchors.gain(four, 5) is None
    pairs = {**four, 4: (1.0, 1.0)}
    found = anchors.gain(pairs, 5)
    assert found is not None
    assert found.learners == 5
    assert found.pre == pytest.approx(0.6) and found.post == pytest.approx(0.8)
    assert found.normalised == pytest.approx(0.5)  # the one at 100 % has no room: left out


def test_months_between_counts_whole_months() -> None:
    assert anchors.months_between(T0, T0 + timedelta(days=30)) == 0
    assert anchors.months_between(T0, datetime(2026, 2, 5, 9, 0, tzinfo=UTC)) == 1
    assert anchors.months_between(T0, datetime(2028, 1, 4, 9, 0, tzinfo=UTC)) == 23


def test_retention_bands_show_a_mean_only_for_five_or_more() -> None:
    points = [(3, 0.9)] * 5 + [(14, 0.7)] * 4 + [(70, 0.5)] * 6
    bands = anchors.retention(points, 5)
    assert [b.label for b in bands] == [
        "Under a year",
        "1 to 2 years",
        "2 to 3 years",
        "3 to 5 years",
        "5 years or more",
    ]
    assert [b.officers for b in bands] == [5, None, None, None, 6]
    assert bands[0].mean == pytest.approx(0.9) and bands[1].mean is None
    assert bands[4].mean == pytest.approx(0.5)


def test_the_home_page_asks_before_after_and_once_a_cycle() -> None:
    assert anchors.prompt([], None, at(0), None) is not None
    assert anchors.prompt([at(0)], None, at(5), None) is None
    assert "again" in (anchors.prompt([at(0)], at(50), at(51), None) or "")
    assert anchors.prompt([at(0), at(52)], at(50), at(53), None) is None
    assert anchors.prompt([at(0)], None, at(100), 12) is None
    assert anchors.prompt([at(0)], None, at(400), 12) is not None
