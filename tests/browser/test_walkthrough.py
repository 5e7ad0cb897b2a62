"""In a real browser: sign in, play a scenario, reload mid-scenario, sign out; a trainer sees it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from course.services import accounts
from tests.browser.conftest import SHOTS, Server, settle, sign_in, wait_for_cookie
from tests.conftest import PASSWORD
from tests.helpers import play_through


def choose_last_and_confirm(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("radiogroup").get_by_role("radio").last.check(force=True)
    page.get_by_role("button", name="Confirm my choice").click()
    settle(page)
    expect(page.get_by_role("heading", name="What follows")).to_be_visible()


def test_learner_plays_resumes_after_reload_and_signs_out(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "learner_a1")
    expect(page.get_by_role("heading", name="My course")).to_be_visible()
    cookie = wait_for_cookie(context, page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    page.get_by_role("link", name=re.compile("^Start: Walking away")).first.click()
    settle(page)
    expect(page.get_by_text("Part 1 of 3: Reading")).to_be_visible()
    page.get_by_role("button", name="Begin the scenario").click()
    settle(page)
    choose_last_and_confirm(page)
    page.get_by_role("button", name="Continue").click()
    settle(page)
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text="Decision 2")).to_be_visible()
    expect(page.get_by_role("radiogroup")).to_be_visible()
    situation = page.get_by_role("heading", level=2).first.inner_text()

    page.reload()  # a reload (or a restart) comes back to the same step, still signed in
    settle(page)
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text="Decision 2")).to_be_visible()
    expect(page.get_by_role("heading", level=2).first).to_have_text(situation)
    assert "module?id=walk-away" in page.url

    debrief = page.get_by_role("button", name="See the debrief")
    for _ in range(12):  # choose until the path ends (every path is shorter than this)
        choose_last_and_confirm(page)
        expect(page.get_by_role("button", name="Continue").or_(debrief)).to_be_visible()
        if debrief.count():
            break
        page.get_by_role("button", name="Continue").click()
        settle(page)
        expect(page.get_by_role("heading", name="What follows")).to_have_count(0)
    debrief.click()
    settle(page)
    expect(page.get_by_role("heading", name="Your path")).to_be_visible()
    expect(page.get_by_role("heading", name="The strongest counter-argument")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/debrief.png", full_page=True)

    second = context.new_page()  # a second tab shares the sign-in
    second.goto(server.url)
    settle(second)
    expect(second.get_by_role("heading", name="My course")).to_be_visible()

    page.get_by_role("link", name="My account").click()
    settle(page)
    page.get_by_role("button", name="Sign out").click()
    settle(page)
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    second.reload()
    settle(second)
    expect(second.get_by_role("button", name="Sign in")).to_be_visible()
    context.close()


def test_trainer_sees_the_learners_completion(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    # its own learner's completion, so this test does not depend on the one above
    play_through(accounts.sign_in("learner_a2", PASSWORD).actor, "walk-away")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "trainer_a")
    expect(page.get_by_role("heading", name="Cohort progress")).to_be_visible()
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/trainer.png", full_page=True)
    open_record(page, "learner_a2", absent="learner_b1")  # section B is not trainer_a's
    modules = page.get_by_role("table", name=re.compile(r"^Modules: 1 of \d+ completed"))
    row = modules.get_by_role("row").filter(has_text="Walking away from the tirade")
    expect(row).to_contain_text("Completed")
    context.close()


def open_record(page, username: str, absent: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Open the Learners tab and one learner's record, as a trainer would."""
    page.get_by_role("tab", name="Learners").click()
    settle(page)
    picker = page.get_by_role("combobox", name=re.compile("Learner"))
    if absent is not None:  # typing filters the list, as a trainer searching would
        picker.click()
        picker.fill(absent)
        expect(page.get_by_role("option").filter(has_text=absent)).to_have_count(0)
    picker.click()
    picker.fill(username)
    page.get_by_role("option").filter(has_text=f"({username})").first.click()
    settle(page)
    expect(page.get_by_role("heading", name=re.compile(f"\\({username}\\)"))).to_be_visible()


def answer_shown_question(page) -> None:  # type: ignore[no-untyped-def]
    """Answer whatever type the drawn question is, the way a person would (no dragging)."""
    keep = page.get_by_role("button", name="Keep this order as my answer")
    step = page.locator(".st-key-sns-step")
    widgets = step.get_by_role("radio").or_(step.get_by_role("checkbox")).or_(keep)
    expect(widgets.first).to_be_visible()  # the heading can show a moment before the widgets
    groups = step.get_by_role("radiogroup")
    if groups.count() > 1:  # matching: one choice per row, each row its own rerun
        for row in range(groups.count()):
            step.get_by_role("radiogroup").nth(row).get_by_role("radio").first.check(force=True)
            settle(page)
    elif step.get_by_role("radio").count():  # single choice, true/false
        step.get_by_role("radio").first.check(force=True)
    elif step.get_by_role("checkbox").count():
        step.get_by_role("checkbox").first.check(force=True)
    else:
        keep.click()
    settle(page)


def test_learner_takes_a_quiz_resumes_after_reload_and_trainer_sees_the_grade(
    server: Server,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "learner_a3")
    wait_for_cookie(context, page)
    page.get_by_role("link", name="Open: Quiz: epistemic insularity").click()
    settle(page)
    page.get_by_role("button", name="Start an attempt").click()
    settle(page)
    expect(page.get_by_role("heading", name="Question 1 of 10")).to_be_visible()
    answer_shown_question(page)
    expect(page.get_by_text("1 of 10 questions answered")).to_be_visible()
    page.get_by_role("button", name="Next →").click()
    settle(page)
    expect(page.get_by_role("heading", name="Question 2 of 10")).to_be_visible()

    page.reload()  # the attempt, the answer and the place survive a reload
    settle(page)
    expect(page.get_by_role("heading", name="Question 2 of 10")).to_be_visible()
    expect(page.get_by_text("1 of 10 questions answered")).to_be_visible()

    page.get_by_role("button", name="Finish attempt…").click()
    settle(page)
    expect(page.get_by_text("9 question(s) are not fully answered")).to_be_visible()
    page.get_by_role("button", name="Yes, finish and submit").click()
    settle(page)
    expect(page.get_by_role("heading", name="Attempt 1: result")).to_be_visible()
    expect(page.get_by_text("You did not pass.")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/quiz-result.png", full_page=True)
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "trainer_a")
    open_record(page, "learner_a3")
    attempts = page.get_by_role("table", name=re.compile(r"^Quiz attempts \(1\)"))
    row = attempts.get_by_role("row").filter(has_text="Quiz: epistemic insularity")
    expect(row).to_contain_text("not passed")
    context.close()
