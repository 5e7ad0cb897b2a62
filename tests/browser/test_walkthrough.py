"""In a real browser: sign in, play a scenario, reload mid-scenario, sign out; a trainer sees it."""

from __future__ import annotations

from playwright.sync_api import expect

from course.services import accounts
from tests.browser.conftest import Server, settle, sign_in
from tests.conftest import PASSWORD
from tests.helpers import play_through

SHOTS = "test-artifacts"


def wait_for_cookie(context, page):  # type: ignore[no-untyped-def]
    """The browser fetches the HttpOnly cookie just after sign-in; JS cannot see it, so poll."""
    for _ in range(100):
        found = [c for c in context.cookies() if c["name"] == "sns_session"]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError("the sign-in cookie never arrived")


def choose_first_and_continue(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("radiogroup").get_by_role("radio").last.check(force=True)
    page.get_by_role("button", name="Confirm my choice").click()
    settle(page)
    expect(page.get_by_text("What follows")).to_be_visible()


def test_learner_plays_resumes_after_reload_and_signs_out(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "learner_a1")
    expect(page.get_by_role("heading", name="My course")).to_be_visible()
    cookie = wait_for_cookie(context, page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    page.get_by_role("button", name="Start module").click()
    settle(page)
    expect(page.get_by_text("Part 1 of 3: Reading")).to_be_visible()
    page.get_by_role("button", name="Begin the scenario").click()
    settle(page)
    choose_first_and_continue(page)
    page.get_by_role("button", name="Continue").click()
    settle(page)
    expect(page.get_by_text("Decision 2")).to_be_visible()
    expect(page.get_by_role("radiogroup")).to_be_visible()
    situation = page.locator("h3").first.inner_text()

    page.reload()  # a reload (or a restart) comes back to the same step, still signed in
    settle(page)
    expect(page.get_by_text("Decision 2")).to_be_visible()
    assert page.locator("h3").first.inner_text() == situation
    assert "module?id=walk-away" in page.url

    debrief = page.get_by_role("button", name="See the debrief")
    for _ in range(12):  # choose until the path ends (every path is shorter than this)
        choose_first_and_continue(page)
        expect(page.get_by_role("button", name="Continue").or_(debrief)).to_be_visible()
        if debrief.is_visible():
            break
        page.get_by_role("button", name="Continue").click()
        settle(page)
        expect(page.get_by_text("What follows")).to_have_count(0)
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
    # the completion table comes first; the quiz-grades table has a row per learner too
    row = page.get_by_role("row").filter(has_text="learner_a2").first
    expect(row).to_contain_text("Completed")
    expect(page.get_by_role("row").filter(has_text="learner_b1")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/trainer.png", full_page=True)
    context.close()


def answer_shown_question(page) -> None:  # type: ignore[no-untyped-def]
    """Answer whatever type the drawn question is, the way a person would (no dragging)."""
    keep = page.get_by_role("button", name="Keep this order as my answer")
    widgets = (
        page.get_by_role("radio")
        .or_(page.get_by_role("checkbox"))
        .or_(keep)
        .or_(page.get_by_role("combobox").nth(1))
    )
    expect(widgets.first).to_be_visible()  # the heading can show a moment before the widgets
    if page.get_by_role("radio").count():
        page.get_by_role("radio").first.check(force=True)
    elif page.get_by_role("checkbox").count():
        page.get_by_role("checkbox").first.check(force=True)
    elif keep.count():
        keep.click()
    else:  # matching: the first combobox is "Go to question"; the next is the first prompt
        page.get_by_role("combobox").nth(1).click()
        page.get_by_role("option").first.click()
    settle(page)


def test_learner_takes_a_quiz_resumes_after_reload_and_trainer_sees_the_grade(
    server: Server,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "learner_a3")
    wait_for_cookie(context, page)
    page.get_by_role("button", name="Open: Quiz: epistemic insularity").click()
    settle(page)
    page.get_by_role("button", name="Start an attempt").click()
    settle(page)
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()
    answer_shown_question(page)
    expect(page.get_by_text("1 of 10 questions answered")).to_be_visible()
    page.get_by_role("button", name="Next →").click()
    settle(page)
    expect(page.get_by_text("Question 2 of 10")).to_be_visible()

    page.reload()  # the attempt, the answer and the place survive a reload
    settle(page)
    expect(page.get_by_text("Question 2 of 10")).to_be_visible()
    expect(page.get_by_text("1 of 10 questions answered")).to_be_visible()

    page.get_by_role("button", name="Finish attempt…").click()
    settle(page)
    expect(page.get_by_text("9 question(s) are not answered")).to_be_visible()
    page.get_by_role("button", name="Yes, finish and submit").click()
    settle(page)
    expect(page.get_by_text("Attempt 1: result")).to_be_visible()
    expect(page.get_by_text("You did not pass.")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/quiz-result.png", full_page=True)
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "trainer_a")
    row = page.get_by_role("row").filter(has_text="learner_a3").filter(has_text="attempt")
    expect(row).to_contain_text("(1 attempt)")
    context.close()
