"""Trainer, viewer and administrator pages, and the refusals of everyone else."""

from __future__ import annotations

import html

from course.content.current import catalogue
from course.services import accounts, users
from tests.conftest import ADMIN, PASSWORD, Academy, make_academy
from tests.helpers import play_through
from tests.ui.conftest import page_as, tables


def admin_academy() -> Academy:
    academy = make_academy()
    users.add(ADMIN, "boss", "admin", full_name="The Boss", password=PASSWORD)
    accounts.accept_notice(accounts.sign_in("boss", PASSWORD).actor)
    return academy


def test_cohort_page_shows_a_trainer_their_section_completion(school: Academy) -> None:
    play_through(school.learners["learner_a1"], "walk-away")
    at = page_as(school, "trainer_a", "cohort")
    assert not at.exception
    table = tables(at)["Module completion per learner"]
    assert table["Learner"] == [
        "Learner A1 (learner_a1)",
        "Learner A2 (learner_a2)",
        "Learner A3 (learner_a3)",
    ]
    assert table["Walking away from the tirade"][0].startswith("Completed")
    assert table["Walking away from the tirade"][1] == "Not started"


def test_cohort_page_refuses_a_learner(school: Academy) -> None:
    at = page_as(school, "learner_a1", "cohort", direct=True)
    assert at.info[0].value == "You are not assigned to any cohort as a trainer or viewer."


def test_cohort_page_shows_a_viewer_completion_but_not_choices(school: Academy) -> None:
    at = page_as(school, "viewer", "cohort")
    assert len(tables(at)["Module completion per learner"]["Learner"]) == 6
    assert "shown to the cohort's trainers only" in at.info[0].value


def test_cohort_page_hides_points_reached_by_fewer_than_five(sqlite_database: str) -> None:
    academy = make_academy(learners_per_section=2)  # a section of two
    for name in ("learner_a1", "learner_a2"):
        play_through(academy.learners[name], "walk-away")
    at = page_as(academy, "trainer_a", "cohort")
    titles = [e.label for e in at.expander]
    assert titles and all(t.endswith("· fewer than 5 learners") for t in titles)
    assert not any(c for c in tables(at) if c.startswith("Choices at"))


def test_cohort_page_draws_choices_for_five_or_more(sqlite_database: str) -> None:
    academy = make_academy(learners_per_section=5)
    for n in range(1, 6):
        play_through(academy.learners[f"learner_a{n}"], "walk-away")
    at = page_as(academy, "trainer_a", "cohort")
    assert not at.exception
    first = next(c for c in tables(at) if c.startswith("Choices at"))
    assert sum(int(n) for n in tables(at)[first]["Learners"]) == 5
    assert at.get("plotly_chart")


def test_admin_page_refuses_a_trainer(school: Academy) -> None:
    at = page_as(school, "trainer_a", "admin", direct=True)
    assert at.error[0].value == "Only an administrator can do this."


def test_admin_page_creates_a_cohort(sqlite_database: str) -> None:
    academy = admin_academy()
    at = page_as(academy, "boss", "admin")
    assert not at.exception
    next(t for t in at.text_input if t.label == "Name").input("CTP 2028")
    at.button(key="FormSubmitter:new_cohort-Create cohort").click().run()
    assert not at.error
    at.run()
    assert "CTP 2028" in tables(at)["Cohorts"]["Cohort"]


def test_admin_page_names_an_over_long_field(sqlite_database: str) -> None:
    academy = admin_academy()
    at = page_as(academy, "boss", "admin")
    next(t for t in at.text_input if t.label == "Username of the new person").input("longname")
    next(t for t in at.text_input if t.label == "Full name").input("N" * 5000)
    at.button(key="FormSubmitter:add_person-Add and enrol").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("The full name is too long: at most 200 characters")


def test_grading_page_shows_staff_how_each_act_is_graded(school: Academy) -> None:
    at = page_as(school, "viewer", "grading")
    assert not at.exception
    assert at.title[0].value == "How the course grades recurring acts"
    # as a reader sees it: entities decoded, typographic quotes plain
    shown = html.unescape("".join(h.body for h in at.get("html"))).replace("’", "'")
    for act in catalogue().acts.values():
        assert act.title in shown
        assert f"Grade: {act.grade}." in shown


def test_grading_page_is_not_shown_to_learners(school: Academy) -> None:
    at = page_as(school, "learner_a1", "grading", direct=True)
    assert not at.exception
    assert at.info[0].value == (
        "How the course grades is shown to trainers, viewers and administrators."
    )
    assert not at.get("html") or all("Grade: breach" not in h.body for h in at.get("html"))
