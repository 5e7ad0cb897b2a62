"""Every page has an address that works: signed out, signed in, after a restart, by bookmark."""

from __future__ import annotations

from playwright.sync_api import expect

from course.services import accounts, quizzes
from tests.browser.conftest import LAPTOP, Server, settle, sign_in
from tests.conftest import PASSWORD


def test_a_fresh_server_never_lists_page_files_and_deep_links_wait_for_sign_in(
    server: Server, browser
) -> None:  # type: ignore[no-untyped-def]
    server.restart()  # nobody has opened a page since the start
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{server.url}/quiz?id=ei-quiz")
    settle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.locator("[data-testid='stSidebarNav']")).to_have_count(0)
    for name in ("router", "admin", "quiz", "module", "cohort"):
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    page.get_by_label("Username", exact=True).fill("learner_b3")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    settle(page)
    # signed in, on the page that was asked for, with the course's own header
    expect(page.get_by_role("heading", name="Quiz: epistemic insularity", level=1)).to_be_visible()
    expect(page.get_by_text("Signed in as Learner B3 (learner_b3)")).to_be_visible()
    assert "/quiz?id=ei-quiz" in page.url
    assert page.title() == "Quiz: epistemic insularity · Service, Not Spectacle"
    context.close()


def test_every_address_works_and_survives_a_restart(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    learner = accounts.sign_in("learner_b2", PASSWORD).actor
    started = quizzes.start_attempt(learner, "coi-quiz")
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, server.url, "learner_b2")
    visits = {
        "": "My course",
        "home": "My course",
        "account": "My account",
        "module?id=clean-up": "The clean-up drive: whose cameras, whose credit?",
        "quiz?id=coi-quiz": "Quiz: conflict of interest",
        f"quiz?id=coi-quiz&attempt={started.attempt_no}&q=2": "Quiz: conflict of interest",
        "cohort": "Cohort progress",  # not theirs: a sentence, not a dialog
        "admin": "Cohorts and people",
    }
    for restarted in (False, True):
        if restarted:
            server.restart()  # a bookmark opened after a deploy or a crash
        for path, heading in visits.items():
            page.goto(f"{server.url}/{path}")
            settle(page)
            expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
            expect(page.get_by_text("Page not found")).to_have_count(0)
            expect(page.get_by_text("Signed in as Learner B2 (learner_b2)")).to_be_visible()
    page.goto(f"{server.url}/admin")
    settle(page)
    expect(page.get_by_text("This page is for administrators.")).to_be_visible()
    page.goto(f"{server.url}/quiz?id=coi-quiz&attempt={started.attempt_no}&q=2")
    settle(page)
    expect(page.get_by_role("heading", name="Question 2 of 10")).to_be_visible()
    context.close()


def test_a_trainers_bookmark_of_their_start_page_works(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, server.url, "trainer_a", path="cohort")
    expect(page.get_by_role("heading", name="Cohort progress", level=1)).to_be_visible()
    page.goto(f"{server.url}/home")
    settle(page)
    expect(page.get_by_text("This page is for learners.")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    context.close()
