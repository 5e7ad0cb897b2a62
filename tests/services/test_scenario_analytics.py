"""Scenario analytics: shares by the option's text, paths as Sankey links, choices beside quiz
scores; groups under five hidden, and trainers (and administrators) only."""

from __future__ import annotations

import pytest

from course.content.current import catalogue
from course.errors import NotAllowed, NotFound
from course.services import quizzes, scenario_analytics, scenarios
from course.services.access import Actor
from course.services.scenario_analytics import OTHER
from tests.conftest import ADMIN, Academy, make_academy
from tests.helpers import answer_all

MODULE = "walk-away"
# walk-away's best path; section B opens with breaches (a, c) that lead to s2-dc-call instead
BEST = {
    "s1-clip": "d",
    "s2-report": "a",
    "s2-dc-call": "a",
    "s3-accounts": "a",
    "s3-list": "c",
    "s4-anon": "a",
    "s5-offer": "b",
}
OPENING = {"learner_b1": "a", "learner_b2": "a", "learner_b3": "a", "learner_b4": "c"}
QUIZ_RIGHT = {  # right answers of ten on ei-quiz
    **{"learner_a1": 9, "learner_a2": 8, "learner_a3": 8, "learner_a4": 7, "learner_a5": 8},
    **{"learner_b1": 3, "learner_b2": 4, "learner_b3": 5, "learner_b4": 4, "learner_b5": 4},
}


def walk(actor: Actor, opening: str = "d") -> None:
    """Play walk-away: `opening` at the first decision point, then the best choice each time."""
    play = scenarios.begin(actor, MODULE)
    step = 0
    while play.stage != "debrief":
        situation = play.situation.id  # type: ignore[union-attr]
        choice = opening if step == 0 else BEST[situation]
        play = scenarios.choose(actor, play.id, step, choice)
        play = scenarios.carry_on(actor, play.id)
        step += 1


def quiz(actor: Actor, right: int) -> None:
    attempt = quizzes.start_attempt(actor, "ei-quiz").id
    answer_all(actor, attempt, right=right)
    quizzes.finish_attempt(actor, attempt)


@pytest.fixture
def played(database: str) -> Academy:
    academy = make_academy(learners_per_section=5)
    for name, learner in academy.learners.items():
        if name.startswith("learner_a"):
            walk(learner)
        elif name.startswith("learner_b"):
            walk(learner, OPENING.get(name, "c"))
    return academy


def test_shares_per_decision_point_by_the_options_text(played: Academy) -> None:
    points = scenario_analytics.decision_shares(ADMIN, played.ids["ctp"], MODULE)
    first = next(p for p in points if p.situation_id == "s1-clip")
    assert first.learners == 10 and first.choices is not None
    situation = catalogue().module(MODULE).scenario.situation("s1-clip")
    shares = {c.choice_id: (c.text, c.learners, c.share) for c in first.choices}
    assert shares == {
        "d": (situation.choice("d").text, 5, 0.5),
        "a": (situation.choice("a").text, 3, 0.3),
        "c": (situation.choice("c").text, 2, 0.2),
        "b": (situation.choice("b").text, 0, 0.0),
    }
    assert [c.grade for c in first.choices][0] == "best"  # best first
    assert {p.module_id for p in points} == {MODULE}
    # section A alone: five reached s1-clip, none of them s2-dc-call
    mine = scenario_analytics.decision_shares(played.trainers["trainer_a"], played.ids["ctp"])
    dc_call = next(p for p in mine if (p.module_id, p.situation_id) == (MODULE, "s2-dc-call"))
    assert (dc_call.learners, dc_call.choices) == (None, None)


def test_paths_are_sankey_links_with_small_ones_merged_into_other(played: Academy) -> None:
    paths = scenario_analytics.paths(ADMIN, played.ids["ctp"], MODULE)
    assert paths.learners == 10
    links = {(link.source, link.choice_id, link.target): link.learners for link in paths.links}
    assert links == {
        ("s1-clip", "d", "s2-report"): 5,
        ("s1-clip", None, OTHER): 5,  # a (3 learners) and c (2) merged
        ("s2-report", "a", "s3-accounts"): 5,
        ("s2-dc-call", "a", "s3-accounts"): 5,
        ("s3-accounts", "a", "s3-list"): 10,
        ("s3-list", "c", "s4-anon"): 10,
        ("s4-anon", "a", "s5-offer"): 10,
        ("s5-offer", "b", "end-permission"): 10,
    }
    assert all(link.learners >= 5 for link in paths.links)
    labels = {link.choice_id: link.label for link in paths.links if link.source == "s1-clip"}
    situation = catalogue().module(MODULE).scenario.situation("s1-clip")
    assert labels["d"] == situation.choice("d").text
    nodes = [n.id for n in paths.nodes]
    assert nodes[0] == "s1-clip" and nodes[-2:] == ["end-permission", OTHER]
    assert {link.source for link in paths.links} | {link.target for link in paths.links} == set(
        nodes
    )


def test_each_trainer_sees_their_sections_paths_and_small_groups_vanish(played: Academy) -> None:
    section_a = scenario_analytics.paths(played.trainers["trainer_a"], played.ids["ctp"], MODULE)
    assert section_a.learners == 5
    assert [(link.source, link.choice_id) for link in section_a.links] == list(
        {k: v for k, v in BEST.items() if k != "s2-dc-call"}.items()
    )
    section_b = scenario_analytics.paths(played.trainers["trainer_b"], played.ids["ctp"], MODULE)
    # at s1-clip: a (3) and c (2) are each under five: merged into one link of five
    assert [(link.source, link.target, link.learners) for link in section_b.links][0] == (
        "s1-clip",
        OTHER,
        5,
    )
    untouched = scenario_analytics.paths(
        played.trainers["trainer_a"], played.ids["ctp"], "insularity"
    )
    assert (untouched.learners, untouched.nodes, untouched.links) == (None, (), ())


def test_a_merged_link_still_under_five_is_dropped(database: str) -> None:
    academy = make_academy(learners_per_section=5)
    openings = {"learner_b2": "a", "learner_b3": "a", "learner_b4": "a", "learner_b5": "c"}
    for name, learner in academy.learners.items():
        if name != "officer":
            walk(learner, openings.get(name, "d"))  # d: 6 learners, a: 3, c: 1
    paths = scenario_analytics.paths(ADMIN, academy.ids["ctp"], MODULE)
    assert paths.learners == 10
    first = [(x.choice_id, x.target, x.learners) for x in paths.links if x.source == "s1-clip"]
    assert first == [("d", "s2-report", 6)]  # a and c merged are 4: dropped
    assert OTHER not in [n.id for n in paths.nodes]


def test_choices_that_go_with_low_quiz_scores(played: Academy) -> None:
    for name, right in QUIZ_RIGHT.items():
        quiz(played.learners[name], right)
    quiz(played.learners["learner_a1"], 2)  # a worse second attempt: the highest counts
    scores = scenario_analytics.choices_and_scores(ADMIN, played.ids["ctp"], MODULE)
    assert scores.learners == 10 and scores.baseline == pytest.approx(0.6)
    found = {(c.situation_id, c.choice_id): c for c in scores.choices}
    assert set(found) == {
        ("s1-clip", "d"),
        ("s2-report", "a"),
        ("s2-dc-call", "a"),
        ("s3-accounts", "a"),
        ("s3-list", "c"),
        ("s4-anon", "a"),
        ("s5-offer", "b"),
    }  # the breaches at s1-clip (3 and 2 learners) are left out
    dc_call = found[("s2-dc-call", "a")]
    assert (dc_call.learners, dc_call.mean_score) == (5, pytest.approx(0.4))
    assert dc_call.difference == pytest.approx(-0.2)
    assert found[("s1-clip", "d")].mean_score == pytest.approx(0.8)
    assert found[("s3-accounts", "a")].mean_score == pytest.approx(0.6)
    assert scores.choices[0].situation_id == "s2-dc-call"  # lowest first
    assert (
        dc_call.text == catalogue().module(MODULE).scenario.situation("s2-dc-call").choice("a").text
    )
    # section B alone: five learners with scores, baseline 0.4
    mine = scenario_analytics.choices_and_scores(played.trainers["trainer_b"], played.ids["ctp"])
    assert (mine.learners, mine.baseline) == (5, pytest.approx(0.4))
    assert all(c.learners == 5 for c in mine.choices)


def test_scores_of_fewer_than_five_learners_are_hidden(played: Academy) -> None:
    for name in ("learner_a1", "learner_a2", "learner_a3", "learner_a4"):
        quiz(played.learners[name], 8)
    scores = scenario_analytics.choices_and_scores(played.trainers["trainer_a"], played.ids["ctp"])
    assert (scores.learners, scores.baseline, scores.choices) == (None, None, ())


def test_viewers_learners_and_other_cohorts_are_refused(played: Academy) -> None:
    cohort = played.ids["ctp"]
    calls = [
        lambda actor: scenario_analytics.decision_shares(actor, cohort),
        lambda actor: scenario_analytics.paths(actor, cohort, MODULE),
        lambda actor: scenario_analytics.choices_and_scores(actor, cohort),
    ]
    for call in calls:
        with pytest.raises(NotAllowed, match="trainers only"):
            call(played.trainers["viewer"])
        for actor in (
            played.learners["learner_a1"],
            played.trainers["trainer_r"],
            Actor(user_id=played.trainers["trainer_a"].user_id, username="x", full_name="x"),
        ):
            with pytest.raises(NotAllowed):
                call(actor)
    with pytest.raises(NotFound):
        scenario_analytics.paths(ADMIN, cohort, "no-such-module")
