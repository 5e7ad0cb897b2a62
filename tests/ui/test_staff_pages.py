"""Trainer, viewer and administrator pages, and the refusals of everyone else."""

from __future__ import annotations

import html

from streamlit.testing.v1 import AppTest

from course.content.current import catalogue
from course.services import accounts, users
from tests.conftest import ADMIN, PASSWORD, Academy, make_academy
from tests.helpers import play_through
from tests.ui.conftest import page_as, said, tables


def admin_academy() -> Academy:
    academy = make_academy()
    users.add(ADMIN, "boss", "admin", full_name="The Boss", password=PASSWORD)
    accounts.accept_notice(accounts.sign_in("boss", PASSWORD).actor)
    return academy


def test_cohort_page_shows_a_trainer_their_own_sections_learners_at_risk(school: Academy) -> None:
    play_through(school.learners["learner_a1"], "walk-away")
    at = page_as(school, "trainer_a", "cohort")
    assert not at.exception
    risky = next(t for caption, t in tables(at).items() if "learners at risk" in caption)
    # learner_a1 has just played a module; the others have not started; section B is not theirs
    assert risky["Learner"] == ["Learner A2 (learner_a2)", "Learner A3 (learner_a3)"]
    assert risky["Why"] == ["Has not started any module or quiz."] * 2
    # three learners in view: every count is hidden, never shown as a number
    assert "Fewer than 5 learners in view: the counts of who needs help are hidden." in said(at)
    assert not at.metric


def test_cohort_page_refuses_a_learner(school: Academy) -> None:
    at = page_as(school, "learner_a1", "cohort", direct=True)
    assert at.info[0].value == "You are not assigned to any cohort as a trainer or viewer."
    at = page_as(school, "learner_a1", "cohort", direct=True, cohort=str(school.ids["ctp"]))
    assert [e.value for e in at.error] == ["You are not this cohort's trainer or viewer."]
    assert not at.exception


def test_cohort_page_shows_a_viewer_totals_but_not_choices(school: Academy) -> None:
    at = page_as(school, "viewer", "cohort")
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Learners in view"] == "6"
    assert not any("learners at risk" in caption for caption in tables(at))
    assert "Scenarios" not in [t.label for t in at.tabs]
    assert not any("Learner A1" in line for line in said(at))


def test_cohort_page_never_counts_a_group_under_five(school: Academy) -> None:
    at = page_as(school, "trainer_a", "cohort")  # three learners in section A
    for tab, sentence in (
        ("Scores", "Fewer than 5 learners have a grade on this quiz, so its scores are hidden."),
        ("Progress", "Fewer than 5 learners are in view, so progress is not counted."),
    ):
        at.session_state["tab"] = tab
        at.run()
        assert not at.exception
        assert sentence in said(at), tab
    at.session_state["tab"] = "Compare"
    at.run()
    assert tables(at)["Sections in view"]["Learners"] == ["fewer than 5 learners"]
    assert set(tables(at)["Sections in view"]["Module completion"]) == {"—"}


def scenarios_tab(at: AppTest) -> AppTest:
    at.session_state["tab"] = "Scenarios"
    at.run()
    at.selectbox(key="scenario-module").set_value("walk-away").run()
    assert not at.exception
    return at


def test_cohort_page_hides_points_reached_by_fewer_than_five(sqlite_database: str) -> None:
    academy = make_academy(learners_per_section=2)  # a section of two
    for name in ("learner_a1", "learner_a2"):
        play_through(academy.learners[name], "walk-away")
    at = scenarios_tab(page_as(academy, "trainer_a", "cohort"))
    lines = said(at)
    assert "Fewer than 5 learners made choices in this module, so its paths are hidden." in lines
    assert any("reached by fewer than 5 learners and" in line for line in lines)
    assert not any(c for c in tables(at) if c.startswith("Choices at"))
    assert not at.get("plotly_chart")


def test_cohort_page_draws_choices_for_five_or_more(sqlite_database: str) -> None:
    academy = make_academy(learners_per_section=5)
    for n in range(1, 6):
        play_through(academy.learners[f"learner_a{n}"], "walk-away")
    at = scenarios_tab(page_as(academy, "trainer_a", "cohort"))
    first = next(c for c in tables(at) if c.startswith("Choices at"))
    assert sum(int(n) for n in tables(at)[first]["Learners"]) == 5
    assert at.get("plotly_chart")
    assert any(c.startswith("Paths through") for c in tables(at))


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


def test_admin_page_finds_and_revokes_a_certificate(sqlite_database: str) -> None:
    from course import clock
    from course.services import certificates
    from tests.services.test_certificates import complete_the_cycle

    academy = admin_academy()
    complete_the_cycle("officer", clock.now())
    [issued] = certificates.mine(accounts.sign_in("officer", PASSWORD).actor)
    at = page_as(academy, "boss", "admin")
    next(t for t in at.text_input if t.label == "Verification code").input(issued.code.lower())
    at.button(key="FormSubmitter:find_certificate-Find").click().run()
    shown = tables(at)["The certificate"]["Certificate"]
    assert shown[0] == "Officer R" and shown[4] == "valid"
    at.text_area[0].input("Issued in error: the officer was not enrolled.")
    at.button(key="FormSubmitter:revoke_certificate-Revoke the certificate").click().run()
    assert not at.exception and not at.error
    assert certificates.verify(issued.code, "test").state == "revoked"
    at.run()
    assert tables(at)["The certificate"]["Certificate"][4].startswith("revoked (Issued in error")


def test_admin_page_offers_question_import_and_export(sqlite_database: str) -> None:
    academy = admin_academy()
    at = page_as(academy, "boss", "admin")
    assert not at.exception
    assert "Download as GIFT" in [b.proto.label for b in at.get("download_button")]
    assert any(r.label == "Format" for r in at.radio)
