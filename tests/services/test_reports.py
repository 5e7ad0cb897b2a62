"""Trainers see completion for their own sections, and choices only for groups of five or more."""

from __future__ import annotations

import pytest

from course.errors import NotAllowed
from course.services import reports
from course.services.access import Actor
from tests.conftest import Academy, make_academy
from tests.helpers import play_through


def test_trainer_sees_completion_of_their_section_only(academy: Academy) -> None:
    play_through(academy.learners["learner_a1"], "walk-away")
    play_through(academy.learners["learner_b1"], "walk-away")
    table = reports.completion(academy.trainers["trainer_a"], academy.ids["ctp"])
    assert [r.username for r in table.learners] == ["learner_a1", "learner_a2", "learner_a3"]
    assert table.sections == ("A",)
    done = {r.username: r.modules["walk-away"] for r in table.learners}
    assert done["learner_a1"] is not None and done["learner_a2"] is None


def test_viewer_sees_the_whole_cohort(academy: Academy) -> None:
    table = reports.completion(academy.trainers["viewer"], academy.ids["ctp"])
    assert len(table.learners) == 6 and table.sections is None


def test_trainer_of_another_cohort_and_learners_are_refused(academy: Academy) -> None:
    with pytest.raises(NotAllowed):
        reports.completion(academy.trainers["trainer_r"], academy.ids["ctp"])
    with pytest.raises(NotAllowed):
        reports.completion(academy.learners["learner_a1"], academy.ids["ctp"])
    with pytest.raises(NotAllowed):
        reports.choice_distribution(academy.trainers["viewer"], academy.ids["ctp"])


def first_point(trainer: Actor, cohort_id: int, module_id: str) -> reports.DecisionPoint:
    """The first decision point of one module in the cohort's choice report."""
    return next(
        p for p in reports.choice_distribution(trainer, cohort_id) if p.module_id == module_id
    )


def test_choice_distribution_hides_groups_under_five(database: str) -> None:
    academy = make_academy(learners_per_section=5)
    for name in ("learner_a1", "learner_a2", "learner_a3", "learner_a4"):
        play_through(academy.learners[name], "walk-away")
    trainer = academy.trainers["trainer_a"]
    first = first_point(trainer, academy.ids["ctp"], "walk-away")
    assert (first.learners, first.choices) == (None, None)  # the count is hidden too
    play_through(academy.learners["learner_a5"], "walk-away")
    play_through(academy.learners["learner_b1"], "walk-away")  # outside trainer_a's section
    first = first_point(trainer, academy.ids["ctp"], "walk-away")
    assert first.learners == 5
    assert first.choices is not None
    by_grade = {c.grade: c.learners for c in first.choices}
    assert by_grade["best"] == 5 and sum(c.learners for c in first.choices) == 5
