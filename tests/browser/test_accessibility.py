"""WCAG 2.2 AA in a real browser: axe-core on every page at laptop and phone widths, and a
keyboard-only learner who finishes a decision and a quiz."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from course.content.schema import QUESTION_TYPES
from course.services import accounts
from tests.browser.conftest import (
    EVERY_TYPE,
    LAPTOP,
    PHONE,
    SHOTS,
    Server,
    focus_becomes,
    focused,
    settle,
    sign_in,
)
from tests.conftest import PASSWORD
from tests.helpers import play_through

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_problems(page: Any, state: str) -> list[str]:
    """Serious and critical axe-core violations on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    settle(page)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [n["target"] for n in violation["nodes"]][:3]
            found.append(f"{state}: {violation['id']} ({violation['impact']}) at {targets}")
    return found


def learner_states(page: Any, base: str, width: str) -> list[str]:
    """Walk a learner through every kind of page, checking each state as it appears."""
    problems: list[str] = []

    def check(state: str) -> None:
        problems.extend(axe_problems(page, f"{width} {state}"))
        page.screenshot(path=f"{SHOTS}/a11y-{width}-{state}.png", full_page=True)

    check("home")
    page.goto(f"{base}/module?id=walk-away")
    settle(page)
    check("module-reading")
    page.get_by_role("button", name="Begin the scenario").click()
    settle(page)
    check("module-decision")
    page.get_by_role("radiogroup").get_by_role("radio").first.check(force=True)
    page.get_by_role("button", name="Confirm my choice").click()
    settle(page)
    check("module-consequence")
    page.goto(f"{base}/quiz?id={EVERY_TYPE}")
    settle(page)
    check("quiz-intro")
    page.get_by_role("button", name=re.compile("^Start")).click()
    settle(page)
    for number, kind in enumerate(QUESTION_TYPES, 1):
        page.goto(f"{base}/quiz?id={EVERY_TYPE}&attempt=1&q={number}")
        settle(page)
        check(f"question-{kind}")
    page.get_by_role("button", name="Finish attempt…").click()
    settle(page)
    check("finish-confirmation")
    page.get_by_role("button", name="Yes, finish and submit").click()
    settle(page)
    page.locator("details summary").first.click()
    check("result")
    page.goto(f"{base}/account")
    settle(page)
    check("account")
    page.goto(f"{base}/cohort")
    settle(page)
    check("refusal")
    return problems


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1280", "360"])
def test_every_page_has_no_serious_accessibility_violations(
    server: Server, browser, size: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    width = str(size["width"])
    learner = "learner_a2" if width == "1280" else "learner_b2"
    play_through(accounts.sign_in(learner, PASSWORD).actor, "clean-up")
    context = browser.new_context(viewport=size)
    page = context.new_page()
    page.goto(f"{server.url}/verify?code=0000-0000-0000-0000")  # public: nobody signed in
    settle(page)
    problems = axe_problems(page, f"{width} verify")
    page.goto(server.url)
    settle(page)
    problems += axe_problems(page, f"{width} sign-in")
    page.get_by_label("Username", exact=True).fill(learner)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    problems += axe_problems(page, f"{width} sign-in-error")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    settle(page)
    problems += learner_states(page, server.url, width)
    page.goto(f"{server.url}/module?id=clean-up")
    problems += axe_problems(page, f"{width} debrief")
    context.close()

    for staff, pages in (("trainer_a", ("cohort",)), ("head", ("cohort", "admin"))):
        context = browser.new_context(viewport=size)
        page = context.new_page()
        sign_in(page, server.url, staff)
        for path in pages:
            page.goto(f"{server.url}/{path}")
            settle(page)
            if path == "cohort" and page.get_by_role("button", name=re.compile("·")).count():
                page.get_by_role("button", name=re.compile("·")).first.click()
            problems += axe_problems(page, f"{width} {staff} {path}")
            if path == "admin":
                for tab in (
                    "Add a person",
                    "Import a roster",
                    "Questions",
                    "Certificates",
                    "Audit log",
                ):
                    page.get_by_role("tab", name=tab).click()
                    problems += axe_problems(page, f"{width} admin {tab}")
        context.close()
    assert problems == []


def tab_to(page: Any, wanted: re.Pattern[str], limit: int = 80) -> str:
    """Press Tab until focus lands on something whose tag and name match `wanted`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted.search(now):
            return now
    raise AssertionError(f"Tab never reached {wanted.pattern}; last: {focused(page)}")


def test_a_keyboard_alone_finishes_a_decision_and_a_quiz(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(server.url)
    settle(page)
    tab_to(page, re.compile(r"^INPUT"))  # the username field
    page.keyboard.type("learner_a3")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    settle(page)
    focus_becomes(page, "H1 My course")

    tab_to(page, re.compile(r"^A .*Start: Walking away"))  # (an icon may come first)
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, re.compile(r"^BUTTON Begin the scenario"))
    page.keyboard.press("Enter")
    settle(page)
    focus_becomes(page, "H2 ")  # the decision's own heading, announced
    tab_to(page, re.compile(r"^INPUT"))  # into the radio group
    page.keyboard.press("Space")
    tab_to(page, re.compile(r"^BUTTON Confirm my choice"))
    page.keyboard.press("Enter")
    settle(page)
    focus_becomes(page, "H2 What follows")

    page.goto(f"{server.url}/quiz?id={EVERY_TYPE}")
    settle(page)
    tab_to(page, re.compile(r"^BUTTON Start an attempt"))
    page.keyboard.press("Enter")
    settle(page)
    total = len(QUESTION_TYPES)
    for number, kind in enumerate(QUESTION_TYPES, 1):
        focus_becomes(page, f"H2 Question {number} of {total}")
        if kind == "ordering":
            tab_to(page, re.compile(r"^BUTTON Move down: "))
            page.keyboard.press("Enter")  # the first item goes down one place
            settle(page)
            focus_becomes(page, "BUTTON Move down: ")  # still on the moved item
        elif kind == "matching":
            prompts = page.locator(".st-key-sns-step").get_by_role("radiogroup").count()
            for _ in range(prompts):  # each prompt's group, first answer
                tab_to(page, re.compile(r"^INPUT"))
                page.keyboard.press("Space")
                settle(page)
        else:
            tab_to(page, re.compile(r"^INPUT"))
            page.keyboard.press("Space")
            settle(page)
        if number < total:
            tab_to(page, re.compile(r"^BUTTON Next"))
            page.keyboard.press("Enter")
            settle(page)
    tab_to(page, re.compile(r"^BUTTON Finish attempt"))
    page.keyboard.press("Enter")
    settle(page)
    focus_becomes(page, "H3 Finish this attempt?")
    tab_to(page, re.compile(r"^BUTTON Yes, finish and submit"))
    page.keyboard.press("Enter")
    settle(page)
    focus_becomes(page, "H2 Attempt 1: result")
    expect(page.get_by_text(re.compile(r"You (did not )?pass"))).to_be_visible()
    context.close()


def test_ordering_buttons_name_their_item_and_focus_follows_it(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, server.url, "learner_a1")
    page.goto(f"{server.url}/quiz?id={EVERY_TYPE}")
    settle(page)
    page.get_by_role("button", name=re.compile("^Start")).click()
    expect(page.get_by_role("heading", name=re.compile("^Question 1 of"))).to_be_visible()
    number = QUESTION_TYPES.index("ordering") + 1
    page.goto(f"{server.url}/quiz?id={EVERY_TYPE}&attempt=1&q={number}")
    expect(page.get_by_role("heading", name=re.compile(f"^Question {number} of"))).to_be_visible()
    settle(page)
    downs = page.get_by_role("button", name=re.compile("^Move down: "))
    expect(downs.first).to_be_visible()
    names = [downs.nth(i).get_attribute("aria-label") or "" for i in range(downs.count())]
    assert all(re.fullmatch(r"Move down: .+ \(now \d of \d\)", n) for n in names), names
    item = names[0].removeprefix("Move down: ").rsplit(" (now", 1)[0]
    downs.first.focus()
    page.keyboard.press("Enter")
    label = "document.activeElement.getAttribute('aria-label')"
    page.wait_for_function(f"{label} === {f'Move down: {item} (now 2 of {len(names)})'!r}")
    page.keyboard.press("Enter")  # again: the same item moves on, without chasing it
    page.wait_for_function(f"{label} === {f'Move down: {item} (now 3 of {len(names)})'!r}")
    context.close()
