"""Learner pages: home and the module player, and their refusals."""

from __future__ import annotations

from course.content.current import catalogue
from tests.conftest import Academy
from tests.services.test_scenarios import play_through
from tests.ui.conftest import page_as


def test_home_lists_the_track_modules_with_status(school: Academy) -> None:
    play_through(school.learners["learner_a1"], "walk-away")
    at = page_as(school, "learner_a1", "home")
    assert not at.exception
    assert at.subheader[0].value == "Probationer course"
    table = at.table[0].value
    assert list(table["Status"]) == ["Completed", "Not started"]
    assert at.button(key="next").label == "Start module"


def test_home_tells_staff_they_are_not_enrolled(school: Academy) -> None:
    at = page_as(school, "trainer_a", "home", direct=True)
    assert "not enrolled in a course" in at.info[0].value


def test_module_page_walks_reading_choice_and_feedback(school: Academy) -> None:
    at = page_as(school, "learner_a1", "module", id="walk-away")
    assert not at.exception
    assert at.title[0].value == "Walking away from the tirade"
    at.button[0].click().run()  # Begin the scenario
    assert at.radio[0].label == "What do you do?"
    scenario = catalogue().module("walk-away").scenario
    best = next(c for c in scenario.situation(scenario.start).choices if c.grade == "best")
    at.radio[0].set_value(best.id)
    at.button[0].click().run()  # Confirm my choice
    assert not at.exception
    assert f"**You chose:** {best.text}" in [m.value for m in at.markdown]
    assert any("badge[Best]" in m.value for m in at.markdown)  # the grade says its word


def test_module_page_refuses_a_trainer(school: Academy) -> None:
    at = page_as(school, "trainer_a", "module", direct=True, id="walk-away")
    assert at.error[0].value == "This module is not part of a course you are enrolled in."


def test_module_page_refuses_an_unknown_module(school: Academy) -> None:
    at = page_as(school, "learner_a1", "module", id="no-such-module")
    assert at.error[0].value == "There is no module 'no-such-module'."


def test_pages_ask_nobody_to_sign_in(sqlite_database: str) -> None:
    for page in ("home", "module", "progress", "admin"):
        at = page_as(None, None, page, direct=True)
        assert at.info[0].value == "Please sign in to continue.", page
