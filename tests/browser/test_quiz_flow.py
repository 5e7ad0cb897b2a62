"""A quiz as a quick learner takes it: no click lost, a clock that counts down."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from course.content.schema import QUESTION_TYPES
from tests.browser.conftest import EVERY_TYPE, LAPTOP, Server, settle, sign_in


def test_answering_then_moving_on_at_once_loses_no_click(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, server.url, "learner_b1")
    page.goto(f"{server.url}/quiz?id={EVERY_TYPE}")
    settle(page)
    page.get_by_role("button", name="Start an attempt").click()
    settle(page)
    total = len(QUESTION_TYPES)
    for number in range(1, total + 1):
        step = page.locator(".st-key-sns-step")
        expect(step.get_by_role("heading", name=f"Question {number} of {total}")).to_be_visible()
        settle(page)  # the question is drawn whole (its heading comes before its answers)
        keep = page.get_by_role("button", name="Keep this order as my answer")
        widgets = step.get_by_role("radio").or_(step.get_by_role("checkbox")).or_(keep)
        expect(widgets.first).to_be_visible()
        if step.get_by_role("radio").count():
            step.get_by_role("radio").first.check(force=True)
        elif step.get_by_role("checkbox").count():
            step.get_by_role("checkbox").first.check(force=True)
        else:
            keep.click()
        if number < total:
            page.get_by_role("button", name="Next →").click()  # at once, not waiting
    settle(page)
    # every answer was kept, and every move landed (one prompt matched: partly answered)
    marks = [" ½" if kind == "matching" else " ✓" for kind in QUESTION_TYPES]
    for number, mark in enumerate(marks, 1):
        expect(page.get_by_role("button", name=f"{number}{mark}", exact=True)).to_be_visible()
    expect(page.get_by_text(f"{total - 1} of {total} questions answered, 1 partly")).to_be_visible()
    context.close()


def test_a_timed_attempt_counts_down_from_the_servers_deadline(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, server.url, "learner_b2")
    page.goto(f"{server.url}/quiz?id=final-assessment")
    settle(page)
    page.get_by_role("button", name="Start an attempt").click()
    settle(page)
    clock = page.locator(".countdown")  # inside the component's shadow root
    expect(clock).to_contain_text(re.compile(r"(59|60):\d\d"))  # 60 minutes, counting down
    first = clock.inner_text()
    page.wait_for_timeout(2100)
    assert clock.inner_text() != first
    context.close()
