"""The router: sign-in gate, first-time password, data notice, pages by role."""

from __future__ import annotations

from course.services import accounts, cohorts
from course.services.access import Actor
from tests.conftest import Academy
from tests.ui.conftest import page_as


def test_router_shows_sign_in_to_nobody(sqlite_database: str) -> None:
    at = page_as(None, None, "router")
    assert not at.exception
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"]
    assert at.button(key="FormSubmitter:sign_in-Sign in").label == "Sign in"
    assert not at.sidebar.children  # no page files listed, ever


def test_router_signs_in_and_asks_a_new_learner_to_choose_a_password(school: Academy) -> None:
    added = cohorts.add_member(
        Actor.command_line(), "CTP 2027", "fresh", "Fresh Learner", "learner", "A"
    )
    at = page_as(None, None, "router")
    at.text_input[0].input("fresh")
    at.text_input[1].input(added.one_time_password or "")
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert not at.exception
    assert at.title[0].value == "Choose your password"
    assert "handoff" not in at.session_state  # handed to the cookie component once


def test_router_refuses_a_wrong_password_with_a_sentence(school: Academy) -> None:
    at = page_as(None, None, "router")
    at.text_input[0].input("learner_a1")
    at.text_input[1].input("nope-nope-nope")
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert at.error[0].value == accounts.WRONG


def test_router_shows_the_data_notice_before_the_course(school: Academy) -> None:
    cohorts.add_member(Actor.command_line(), "CTP 2027", "noticer", "Noticer", "learner", "A")
    issued = accounts.reset_password(Actor.command_line(), "noticer")
    accounts.change_password(accounts.sign_in("noticer", issued).actor, issued, "my-own-password")
    at = page_as(school, None, "router")
    at.session_state["session_id"] = accounts.sign_in("noticer", "my-own-password").session_id
    at.run()
    assert at.title[0].value == "Before you start"
    assert "Trainers see scenario choices only as" in at.markdown[0].value
    at.button[0].click().run()
    assert at.title[0].value == "My course"


def test_router_signs_out_a_revoked_session(school: Academy) -> None:
    at = page_as(school, "learner_a1", "router")
    assert at.title[0].value == "My course"
    accounts.sign_out(at.session_state["session_id"])  # signed out in another tab
    at.run()
    assert "session_id" not in at.session_state
    assert at.title[0].value == "Service, Not Spectacle"
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"]


def test_router_sends_each_role_to_its_start_page(school: Academy) -> None:
    assert page_as(school, "learner_a1", "router").title[0].value == "My course"
    assert page_as(school, "trainer_a", "router").title[0].value == "Cohort progress"
    links = [link.label for link in page_as(school, "viewer", "router").get("page_link")]
    assert links == ["Cohort progress", "How the course grades", "My account"]
