"""Learner pages: home and the module player, and their refusals."""

from __future__ import annotations

from course import clock
from course.content.current import catalogue
from course.services import accounts
from tests.conftest import Academy
from tests.helpers import play_through
from tests.ui.conftest import page_as, said, shown_html, tables


def test_home_lists_the_track_modules_with_status(school: Academy) -> None:
    play_through(school.learners["learner_a1"], "walk-away")
    at = page_as(school, "learner_a1", "home")
    assert not at.exception
    assert [h.value for h in at.header][0] == "Probationer course"
    shown = shown_html(at)
    # listed in the track's order: the insularity module (not started) comes before walk-away
    assert shown.index("Not started · about 25 minutes") < shown.index(
        "Completed · about 25 minutes"
    )
    links = [link.label for link in at.get("page_link")]
    assert "Start: The clean-up drive: whose cameras, whose credit?" in links
    assert "Review or replay: Walking away from the tirade" in links


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
    assert [h.value for h in at.header][0] == "What follows"
    assert any("badge[Grade: Best]" in m.value for m in at.markdown)  # the grade says its word


def test_module_page_asks_for_a_choice_before_confirming(school: Academy) -> None:
    at = page_as(school, "learner_a1", "module", id="walk-away")
    at.button[0].click().run()
    at.button[0].click().run()  # Confirm with nothing chosen
    assert at.error[0].value == "Choose one of the options first."


def test_module_page_refuses_a_trainer(school: Academy) -> None:
    at = page_as(school, "trainer_a", "module", direct=True, id="walk-away")
    assert at.error[0].value == "This module is not part of a course you are enrolled in."


def test_module_page_refuses_an_unknown_module(school: Academy) -> None:
    at = page_as(school, "learner_a1", "module", id="no-such-module")
    assert at.error[0].value == "There is no module 'no-such-module'."


def test_debrief_grades_the_path_and_keeps_the_reflection(school: Academy) -> None:
    play_through(school.learners["learner_a1"], "walk-away")
    at = page_as(school, "learner_a1", "module", id="walk-away")
    assert "Grade of your path: **Best** · 100% of the best possible" in [
        m.value for m in at.markdown
    ]
    steps = tables(at)["Your choices, step by step"]
    assert set(steps["Grade"]) == {"Best"}
    at.text_area[0].input("I would ask first.")
    at.button[0].click().run()  # Save reflection
    assert at.success[0].value == "Your reflection is saved."
    assert at.text_area[0].value == "I would ask first."


def test_a_failed_reflection_save_does_not_say_saved(school: Academy) -> None:
    play_through(school.learners["learner_a1"], "walk-away")
    at = page_as(school, "learner_a1", "module", id="walk-away")
    at.text_area[0].input("x" * 10)
    accounts.sign_out(at.session_state["session_id"])  # signed out in another tab meanwhile
    at.button[0].click().run()
    assert not at.success
    assert at.text_input[0].label == "Username"  # the sign-in form, nothing saved


def test_pages_ask_nobody_to_sign_in(sqlite_database: str) -> None:
    for page in ("home", "module", "quiz", "cohort", "admin", "account"):
        at = page_as(None, None, page, direct=True)
        assert at.info[0].value == "Please sign in to continue.", page


def test_a_name_is_shown_as_text_never_as_markdown(school: Academy) -> None:
    from course.services import cohorts
    from course.services.access import Actor
    from tests.conftest import PASSWORD

    name = "[Reset here](http://evil.example) ![i](http://evil.example/p.png) **B** :red[x]"
    added = cohorts.add_member(Actor.command_line(), "CTP 2027", "markdowner", name, "learner", "A")
    issued = added.one_time_password or ""
    actor = accounts.sign_in("markdowner", issued).actor
    accounts.change_password(actor, issued, PASSWORD)
    accounts.accept_notice(accounts.sign_in("markdowner", PASSWORD).actor)
    at = page_as(school, "markdowner", "home")
    assert f"Signed in as {name} (markdowner)" in said(at)
    assert "evil.example" not in "".join(m.value for m in at.markdown)
    assert "<a " not in shown_html(at) and "<img" not in shown_html(at)


def test_an_officers_home_opens_on_what_is_due(school: Academy) -> None:
    at = page_as(school, "officer", "home")
    assert not at.exception
    headers = [h.value for h in at.header]
    assert headers[:2] == ["Officer refresher", "Due now"]
    shown = shown_html(at)
    assert "Never reviewed: due now." in shown
    assert "Not finished yet." in shown
    links = [link.label for link in at.get("page_link")]
    assert "Review now: 10 questions, 15 min" in links
    probationer = page_as(school, "learner_a1", "home")
    assert "Due now" not in [h.value for h in probationer.header]


def test_an_officer_can_put_the_next_review_in_their_calendar(school: Academy) -> None:
    from tests.services.test_due import review

    review("officer", clock.now())
    at = page_as(school, "officer", "home")
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Add my next review to my calendar (.ics)"]
    assert "Next review on " in shown_html(at)


def test_an_officer_starts_a_review_session_that_says_why_each_question(school: Academy) -> None:
    at = page_as(school, "officer", "quiz", id="spaced-review")
    assert not at.exception
    assert "up to 10" in str(tables(at)["About this quiz"]["This quiz"])
    at.button[0].click().run()
    at = page_as(school, "officer", "quiz", id="spaced-review", attempt="1", q="1")
    assert not at.exception
    assert any(c.value.startswith("Why this question: ") for c in at.caption)


def test_an_officer_downloads_their_certificate_and_sees_its_history(school: Academy) -> None:
    from tests.services.test_certificates import complete_the_cycle

    complete_the_cycle("officer", clock.now())
    at = page_as(school, "officer", "home")
    assert not at.exception
    assert "Your certificates" in [h.value for h in at.header]
    shown = shown_html(at)
    assert "Officer refresher · Valid" in shown and "code " in shown
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the certificate (PDF)" in labels
