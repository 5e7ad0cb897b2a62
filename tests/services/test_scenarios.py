"""Playing a scenario through the service layer: progress saved at each step, nothing doubled."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from course.errors import Conflict, NotAllowed, NotFound
from course.services import learner_home, scenarios
from course.store.db import reading
from course.store.models import ScenarioPlay, ScenarioStep
from tests.conftest import Academy
from tests.helpers import best_path, play_through


def test_start_play_twice_returns_the_same_unfinished_play(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    first = scenarios.start_play(learner, "walk-away")
    again = scenarios.start_play(learner, "walk-away")
    assert again.id == first.id
    assert again.stage == "reading"


def test_play_through_best_path_reaches_debrief_and_completes_module(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    play = play_through(learner, "walk-away")
    assert play.stage == "debrief"
    assert play.finished
    assert play.situation.ending
    assert play.debrief is not None
    assert (play.debrief.grade.label, play.debrief.grade.score) == ("best", 1.0)
    home = learner_home.home(learner)
    status = {m.module.id: m.status for m in home.modules}
    assert status.pop("walk-away") == "completed"
    assert set(status.values()) == {"not started"}
    # the next module is the track's first one not yet started
    first_open = next(m.module.id for m in home.modules if m.module.id != "walk-away")
    assert home.next_module is not None and home.next_module.module.id == first_open


def test_each_play_shows_its_choices_in_its_own_order_and_keeps_it(academy: Academy) -> None:
    one, other = academy.learners["learner_a1"], academy.learners["learner_a2"]
    first = scenarios.begin(one, "walk-away")
    second = scenarios.begin(other, "walk-away")
    with reading() as db:
        orders = {
            play.user_id: play.choice_order
            for play in db.scalars(
                sa.select(ScenarioPlay).where(ScenarioPlay.module_id == "walk-away")
            )
        }
    module = first.module
    points = [s for s in module.scenario.situations if s.choices]
    # every decision point has an order of its own choices, drawn for each play
    for order in orders.values():
        assert set(order) == {s.id for s in points}
        assert all(sorted(order[s.id]) == sorted(c.id for c in s.choices) for s in points)
    assert orders[one.user_id] != orders[other.user_id]  # the same for all: 1 in 24^n
    # a reload, a second tab or a new sign-in shows the same order
    again = scenarios.latest_play(one, "walk-away")
    assert again is not None
    assert [c.id for c in again.choices] == [c.id for c in first.choices]
    assert [c.id for c in first.choices] == orders[one.user_id][module.scenario.start]
    assert [c.id for c in second.choices] == orders[other.user_id][module.scenario.start]
    # and so does every later decision point, whichever choice leads there
    step = best_path("walk-away")[0]
    after = scenarios.carry_on(one, scenarios.choose(one, first.id, 0, step.choice_id).id)
    assert [c.id for c in after.choices] == orders[one.user_id][after.situation.id]


def test_choose_twice_for_the_same_step_stores_one_row(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    play = scenarios.start_play(learner, "walk-away")
    scenarios.begin_scenario(learner, play.id)
    first_choice = play.situation.choices[0].id
    other_choice = play.situation.choices[1].id
    after = scenarios.choose(learner, play.id, 0, first_choice)
    repeat = scenarios.choose(learner, play.id, 0, other_choice)  # a second tab, a double click
    assert repeat.steps == after.steps
    assert repeat.last_choice is not None and repeat.last_choice.id == first_choice
    with reading() as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(ScenarioStep)) == 1


def test_choose_ahead_of_the_current_step_is_refused(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    play = scenarios.start_play(learner, "walk-away")
    scenarios.begin_scenario(learner, play.id)
    with pytest.raises(Conflict):
        scenarios.choose(learner, play.id, 3, "a")


def test_another_learners_play_is_not_found(academy: Academy) -> None:
    mine = scenarios.start_play(academy.learners["learner_a1"], "walk-away")
    with pytest.raises(NotFound):
        scenarios.choose(academy.learners["learner_a2"], mine.id, 0, "a")
    with pytest.raises(NotFound):
        scenarios.save_reflection(academy.learners["learner_b1"], mine.id, "peeking")


def test_module_outside_the_learners_track_is_refused(academy: Academy) -> None:
    trainer = academy.trainers["trainer_a"]
    with pytest.raises(NotAllowed):
        scenarios.start_play(trainer, "walk-away")


def test_progress_survives_a_new_session(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    play = scenarios.start_play(learner, "clean-up")
    scenarios.begin_scenario(learner, play.id)
    step = best_path("clean-up")[0]
    scenarios.choose(learner, play.id, 0, step.choice_id)
    resumed = scenarios.latest_play(learner, "clean-up")  # as a reload or a restart would
    assert resumed is not None
    assert (resumed.id, resumed.stage, resumed.step_no) == (play.id, "feedback", 1)


def test_reflection_is_saved_and_kept_private(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    play = play_through(learner, "walk-away")
    scenarios.save_reflection(learner, play.id, "  I would have posted. Now I see why not.  ")
    again = scenarios.latest_play(learner, "walk-away")
    assert again is not None and again.reflection == "I would have posted. Now I see why not."
    # nobody else reads it: another learner has no play to read, staff are refused
    assert scenarios.latest_play(academy.learners["learner_a2"], "walk-away") is None
    with pytest.raises(NotFound):
        scenarios.save_reflection(academy.learners["learner_a2"], play.id, "overwrite")
    with pytest.raises(NotAllowed):
        scenarios.latest_play(academy.trainers["trainer_a"], "walk-away")


def test_concurrent_choices_for_one_step_store_exactly_one(academy: Academy) -> None:
    learner = academy.learners["learner_a1"]
    play = scenarios.start_play(learner, "walk-away")
    scenarios.begin_scenario(learner, play.id)
    choice_ids = [c.id for c in play.situation.choices]

    def submit(n: int) -> str:
        try:
            result = scenarios.choose(learner, play.id, 0, choice_ids[n % len(choice_ids)])
            return result.steps[0].choice_id
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(submit, range(16)))
    with reading() as db:
        rows = db.scalars(sa.select(ScenarioStep.choice_id)).all()
    assert len(rows) == 1
    assert {o for o in outcomes if o != "conflict"} == {rows[0]}
