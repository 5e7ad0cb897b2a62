"""Walking a scenario and grading the path taken, on small scenarios and the shipped one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from course.content.loader import Problems, read_module
from course.content.schema import Choice, Scenario, Situation
from course.learning.scenario import (
    Step,
    all_paths,
    choice_orders,
    grade_path,
    in_order,
    missed,
    replay,
    take,
)

PROJECT = Path(__file__).resolve().parents[2]


def choice(choice_id: str, grade: str, next_id: str) -> Choice:
    return Choice(
        id=choice_id,
        text=f"Choice {choice_id}",
        grade=grade,
        consequence="What follows.",
        why="Why it is graded so.",
        rules=("pk-cr-r22-statements",),
        next=next_id,
    )


def ending(situation_id: str) -> Situation:
    return Situation(id=situation_id, title="The end", text="It is over.", ending=True)


def decision(situation_id: str, *choices: Choice) -> Situation:
    return Situation(id=situation_id, title="A decision", text="What now?", choices=choices)


# call --a best / b breach--> report --a acceptable / b best--> end-good
# call --c risky--> end-bad
SCENARIO = Scenario(
    start="call",
    situations=(
        decision(
            "call",
            choice("a", "best", "report"),
            choice("b", "breach", "report"),
            choice("c", "risky", "end-bad"),
        ),
        decision("report", choice("a", "acceptable", "end-good"), choice("b", "best", "end-good")),
        ending("end-good"),
        ending("end-bad"),
    ),
)


# ---- walking ----


def test_take_returns_the_choice_and_where_it_leads() -> None:
    made, here = take(SCENARIO, "call", "b")

    assert (made.id, made.grade) == ("b", "breach")
    assert here.id == "report"


def test_take_unknown_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="situation 'call' has no choice 'z'"):
        take(SCENARIO, "call", "z")


def test_take_unknown_situation_is_refused() -> None:
    with pytest.raises(ValueError, match="no situation 'press' in this scenario"):
        take(SCENARIO, "press", "a")


def test_take_at_an_ending_is_refused() -> None:
    with pytest.raises(ValueError, match="'end-good' is an ending: there is nothing to choose"):
        take(SCENARIO, "end-good", "a")


def test_replay_of_no_steps_is_the_start() -> None:
    assert replay(SCENARIO, []).id == "call"


def test_replay_follows_the_steps_to_their_ending() -> None:
    here = replay(SCENARIO, [Step("call", "a"), Step("report", "b")])

    assert here.id == "end-good"
    assert here.ending


def test_replay_stops_part_way() -> None:
    assert replay(SCENARIO, [Step("call", "b")]).id == "report"


def test_replay_of_a_step_that_does_not_follow_is_refused() -> None:
    with pytest.raises(ValueError, match="step at 'report' does not follow from 'end-bad'"):
        replay(SCENARIO, [Step("call", "c"), Step("report", "a")])


def test_replay_that_skips_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="step at 'report' does not follow from 'call'"):
        replay(SCENARIO, [Step("report", "a")])


def test_replay_past_an_ending_is_refused() -> None:
    with pytest.raises(ValueError, match="'end-bad' is an ending"):
        replay(SCENARIO, [Step("call", "c"), Step("end-bad", "a")])


# ---- grading a path ----


def test_grade_path_of_best_choices_is_best_with_full_score() -> None:
    grade = grade_path(SCENARIO, [Step("call", "a"), Step("report", "b")])

    assert (grade.label, grade.score, grade.counts) == ("best", 1.0, {"best": 2})


def test_grade_path_label_is_the_worst_choice() -> None:
    # best (3) then acceptable (2): 5 of 6 points
    grade = grade_path(SCENARIO, [Step("call", "a"), Step("report", "a")])

    assert grade.label == "acceptable"
    assert grade.score == pytest.approx(5 / 6, abs=1e-4)
    assert grade.counts == {"best": 1, "acceptable": 1}


def test_grade_path_one_breach_is_not_averaged_away() -> None:
    # breach (0) then best (3): 3 of 6 points, but the label is the breach
    grade = grade_path(SCENARIO, [Step("call", "b"), Step("report", "b")])

    assert grade.label == "breach"
    assert grade.score == pytest.approx(0.5)
    assert grade.counts == {"best": 1, "breach": 1}


def test_grade_path_of_one_risky_choice_scores_a_third() -> None:
    grade = grade_path(SCENARIO, [Step("call", "c")])

    assert grade.label == "risky"
    assert grade.score == pytest.approx(1 / 3, abs=1e-4)


def test_grade_path_with_no_choices_is_refused() -> None:
    with pytest.raises(ValueError, match="a path with no choices has no grade"):
        grade_path(SCENARIO, [])


# ---- better choices missed ----


def test_missed_names_the_best_choice_at_each_weaker_step() -> None:
    found = missed(SCENARIO, [Step("call", "b"), Step("report", "a")])

    assert [(m.situation.id, m.chosen.id, m.better.id) for m in found] == [
        ("call", "b", "a"),
        ("report", "a", "b"),
    ]


def test_missed_is_empty_on_a_best_path() -> None:
    assert missed(SCENARIO, [Step("call", "a"), Step("report", "b")]) == []


def test_missed_is_empty_when_the_strongest_choice_on_offer_was_made() -> None:
    no_best = Scenario(
        start="dilemma",
        situations=(
            decision("dilemma", choice("a", "acceptable", "end"), choice("b", "risky", "end")),
            ending("end"),
        ),
    )

    assert missed(no_best, [Step("dilemma", "a")]) == []


def test_missed_offers_the_strongest_choice_when_none_is_best() -> None:
    no_best = Scenario(
        start="dilemma",
        situations=(
            decision("dilemma", choice("a", "risky", "end"), choice("b", "acceptable", "end")),
            ending("end"),
        ),
    )

    [one] = missed(no_best, [Step("dilemma", "a")])

    assert (one.chosen.id, one.better.id) == ("a", "b")


# ---- every path ----


def test_all_paths_lists_every_route_to_an_ending() -> None:
    paths = all_paths(SCENARIO)

    assert sorted([(s.situation_id, s.choice_id) for s in path] for path in paths) == [
        [("call", "a"), ("report", "a")],
        [("call", "a"), ("report", "b")],
        [("call", "b"), ("report", "a")],
        [("call", "b"), ("report", "b")],
        [("call", "c")],
    ]
    assert all(replay(SCENARIO, path).ending for path in paths)


def test_all_paths_of_the_walk_away_module_pass_three_decision_points() -> None:
    problems = Problems()
    loaded = read_module(PROJECT / "modules" / "walk-away" / "module.md", PROJECT, problems)
    assert loaded is not None, problems.items
    scenario = loaded[0].scenario

    paths = all_paths(scenario)

    assert paths
    assert min(len(path) for path in paths) >= 3
    assert all(replay(scenario, path).ending for path in paths)


def test_choice_orders_cover_every_decision_point_and_differ_between_plays() -> None:
    scenario = SCENARIO
    first = choice_orders(scenario, random.Random(1))
    others = [choice_orders(scenario, random.Random(seed)) for seed in range(2, 12)]

    points = [s for s in scenario.situations if s.choices]
    assert set(first) == {s.id for s in points}
    assert any(order != first for order in others)
    for situation in points:
        shown = in_order(situation, first)
        assert [c.id for c in shown] == first[situation.id]
        assert sorted(c.id for c in shown) == sorted(c.id for c in situation.choices)
        # a play made before orders were kept shows the file's order
        assert in_order(situation, None) == list(situation.choices)
