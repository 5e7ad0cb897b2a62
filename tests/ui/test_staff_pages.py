"""Trainer, viewer and administrator pages, and the refusals of everyone else."""

from __future__ import annotations

from tests.conftest import PASSWORD, Academy
from tests.services.test_scenarios import play_through
from tests.ui.conftest import page_as


def test_progress_shows_a_trainer_their_section_completion(school: Academy) -> None:
    play_through(school.learners["learner_a1"], "walk-away")
    at = page_as(school, "trainer_a", "progress")
    assert not at.exception
    table = at.table[0].value
    assert list(table["Learner"]) == [
        "Learner A1 (learner_a1)",
        "Learner A2 (learner_a2)",
        "Learner A3 (learner_a3)",
    ]
    assert table["Walking away from the tirade"][0].startswith("Completed")
    assert table["Walking away from the tirade"][1] == "Not started"


def test_progress_refuses_a_learner(school: Academy) -> None:
    at = page_as(school, "learner_a1", "progress", direct=True)
    assert at.error[0].value == "You are not assigned to any cohort as a trainer or viewer."


def test_progress_shows_a_viewer_completion_but_not_choices(school: Academy) -> None:
    at = page_as(school, "viewer", "progress")
    assert len(at.table[0].value) == 6
    assert "You are not assigned" in at.info[0].value


def test_admin_page_refuses_a_trainer(school: Academy) -> None:
    at = page_as(school, "trainer_a", "admin", direct=True)
    assert at.error[0].value == "Only an administrator can do this."


def test_admin_page_creates_a_cohort(school: Academy) -> None:
    from course.services import accounts

    accounts.claim_setup(accounts.issue_setup_code() or "", "boss", "The Boss", PASSWORD)
    accounts.accept_notice(accounts.sign_in("boss", PASSWORD).actor)
    at = page_as(school, "boss", "admin")
    assert not at.exception
    form_inputs = [t for t in at.text_input if t.label == "Name"]
    form_inputs[0].input("CTP 2028")
    at.button(key="FormSubmitter:new_cohort-Create cohort").click().run()
    assert at.success[0].value == "Cohort 'CTP 2028' created."
    at.run()
    assert "CTP 2028" in list(at.table[0].value["Cohort"])
