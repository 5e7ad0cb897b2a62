"""What is due for a serving officer, with the clock moved: a year after training everything is
due and says why; a lapse brings a competency back in a week; modules come due again after the
certificate period; the calendar file holds the next due date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from course import clock
from course.content.current import catalogue
from course.errors import NotAllowed
from course.services import accounts, due, quizzes
from course.services.access import Actor
from tests.conftest import ADMIN, PASSWORD, make_academy
from tests.helpers import play_through, right_answer, wrong_answer

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
REVIEW = "refresher-review"


@pytest.fixture
def officer(database: str) -> str:
    clock.set_now(T0)
    make_academy()
    return "officer"


def as_of(moment: datetime, username: str) -> Actor:
    clock.set_now(moment)
    return accounts.sign_in(username, PASSWORD).actor


def review(username: str, at: datetime, wrong_on: str | None = None) -> None:
    """One refresher review: every answer right but on the competency `wrong_on`."""
    actor = as_of(at, username)
    attempt = quizzes.start_attempt(actor, REVIEW)
    view = quizzes.attempt_view(actor, attempt.id)
    competency_of = catalogue().competency_of
    for slot in view.slots:
        wrong = competency_of[slot.question.id] == wrong_on
        answer = wrong_answer if wrong else right_answer
        quizzes.record_answer(actor, attempt.id, slot.slot, answer(slot.question))
    clock.advance(timedelta(minutes=20))
    quizzes.finish_attempt(actor, attempt.id)


def test_a_new_officer_has_everything_due_and_never_reviewed(officer: str) -> None:
    found = due.what_is_due(as_of(T0, officer))
    assert found is not None
    assert [c.schedule.why for c in found.competencies] == ["Never reviewed: due now."] * 3
    assert len(found.due_now) == 3
    assert found.items_due == 0
    assert [m.module.id for m in found.modules] == list(catalogue().track("refresher").modules)
    assert {m.why for m in found.modules} == {"Not finished yet."}
    assert found.next_due is None and due.calendar_file(found) is None


def test_an_officer_trained_a_year_ago_sees_every_competency_due_with_why(officer: str) -> None:
    review(officer, T0)
    soon = due.what_is_due(as_of(T0 + timedelta(days=1), officer))
    assert soon is not None and soon.due_now == ()
    assert soon.next_due is not None
    assert (soon.next_due - T0).days == 30  # the lowest rung after a first success

    found = due.what_is_due(as_of(T0 + timedelta(days=365), officer))
    assert found is not None
    assert len(found.due_now) == 3
    for one in found.competencies:
        assert one.schedule.why.startswith("Last review on 05 Jan 2026 scored 100%: rung 1 of 4")
    assert found.items_due == 15  # every question of that review, each due after 30 days
    assert len(found.items) == due.ITEMS_SHOWN


def test_a_lapse_brings_a_competency_back_in_a_week(officer: str) -> None:
    review(officer, T0)
    review(officer, T0 + timedelta(days=31), wrong_on="conflict-of-interest")
    found = due.what_is_due(as_of(T0 + timedelta(days=32), officer))
    assert found is not None
    by_id = {c.competency: c.schedule for c in found.competencies}
    lapsed = by_id["conflict-of-interest"]
    assert lapsed.relearning
    assert lapsed.due_at is not None and (lapsed.due_at - T0).days == 31 + 7
    assert "under the pass mark of 70%" in lapsed.why
    kept = by_id["ethical-engagement"]
    assert kept.rung == 1 and kept.due_at is not None  # on time: climbed to 91 days
    assert (kept.due_at - T0 - timedelta(days=31)).days == 91
    # the soonest due date goes first, and into the calendar
    assert found.competencies[0].competency == "conflict-of-interest"
    assert found.next_due == lapsed.due_at


def test_a_module_is_due_again_after_the_certificate_period(officer: str) -> None:
    module_id = catalogue().track("refresher").modules[0]
    play_through(as_of(T0, officer), module_id)
    found = due.what_is_due(as_of(T0 + timedelta(days=30), officer))
    assert found is not None and module_id not in [m.module.id for m in found.modules]
    found = due.what_is_due(as_of(T0 + timedelta(days=400), officer))
    assert found is not None
    again = next(m for m in found.modules if m.module.id == module_id)
    assert again.why == "Last finished on 05 Jan 2026, more than 12 months ago."


def test_the_calendar_file_holds_the_next_due_review(officer: str) -> None:
    review(officer, T0)
    found = due.what_is_due(as_of(T0 + timedelta(days=2), officer))
    assert found is not None
    made = due.calendar_file(found)
    assert made is not None
    name, data = made
    assert name == "refresher-review-2026-02-04.ics"
    parsed = icalendar.Calendar.from_ical(data)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 1
    assert events[0].decoded("dtstart") == (T0 + timedelta(days=30)).date()
    assert str(events[0]["summary"]).startswith("Refresher review due: ")
    assert data.count(b"\r\n") >= 10  # the RFC's line ends


def test_probationers_follow_their_course_and_strangers_are_refused(officer: str) -> None:
    assert due.what_is_due(as_of(T0, "learner_a1")) is None
    stranger = as_of(T0, officer)
    forged = Actor(user_id=stranger.user_id, username="x", full_name="x")
    with pytest.raises(Exception, match="sign in|signed"):
        due.what_is_due(forged)


def test_the_trainer_sees_officers_whose_reviews_are_due(officer: str) -> None:
    from course.services import dashboard

    review(officer, T0)
    play_through(as_of(T0, officer), catalogue().track("refresher").modules[0])
    cohort = cohorts_by_name()["Refresher 2027"]
    trainer = as_of(T0 + timedelta(days=10), "trainer_r")
    early = dashboard.attention(trainer, cohort, inactive_days=28)
    assert early.at_risk is not None
    assert all(c.kind != "review due" for r in early.at_risk.items for c in r.concerns)

    late = dashboard.attention(as_of(T0 + timedelta(days=365), "trainer_r"), cohort)
    assert late.at_risk is not None
    mine = next(r for r in late.at_risk.items if r.username == officer)
    concerns = {c.kind: c.text for c in mine.concerns}
    due_on = (T0 + timedelta(days=30)).strftime("%d %b %Y")
    assert concerns["review due"] == (
        f"Review due: Epistemic insularity (due since {due_on}), Conflict of interest (due "
        f"since {due_on}), Ethical engagement (due since {due_on})."
    )


def cohorts_by_name() -> dict[str, int]:
    from course.services import cohorts

    return {c.name: c.id for c in cohorts.list_cohorts(ADMIN)}


SESSION = "spaced-review"


def test_a_year_on_the_review_session_asks_the_due_items_in_fifteen_minutes(officer: str) -> None:
    review(officer, T0)
    answered = {
        s.question.id
        for s in quizzes.attempt_view(as_of(T0, officer), ("refresher-review", 1)).slots
    }
    actor = as_of(T0 + timedelta(days=365), officer)
    started = quizzes.start_attempt(actor, SESSION)
    view = quizzes.attempt_view(actor, started.id)
    assert len(view.slots) == 10
    assert {s.question.id for s in view.slots} <= answered  # 15 are due: ten of them
    assert all(s.why and "due again since 04 Feb 2026" in s.why for s in view.slots)
    assert view.quiz.time_limit_minutes == 15
    assert all(s.question.use == "graded" for s in view.slots)


def test_a_new_officer_gets_unseen_questions_on_every_competency(officer: str) -> None:
    actor = as_of(T0, officer)
    view = quizzes.attempt_view(actor, quizzes.start_attempt(actor, SESSION).id)
    competency_of = catalogue().competency_of
    assert len(view.slots) == 10
    assert {competency_of[s.question.id] for s in view.slots} == set(competency_of.values())
    assert all(s.why and " is due: Never reviewed" in s.why for s in view.slots)


def test_a_review_session_moves_the_schedule_but_not_the_course(officer: str) -> None:
    review(officer, T0)
    later = T0 + timedelta(days=40)
    actor = as_of(later, officer)
    attempt = quizzes.start_attempt(actor, SESSION)
    for slot in quizzes.attempt_view(actor, attempt.id).slots:
        quizzes.record_answer(actor, attempt.id, slot.slot, wrong_answer(slot.question))
    quizzes.finish_attempt(actor, attempt.id)
    found = due.what_is_due(as_of(later + timedelta(days=1), officer))
    assert found is not None
    assert all(c.schedule.relearning for c in found.competencies)  # every one lapsed
    assert found.next_due is not None and (found.next_due - later).days == 7
    standing = quizzes.status(as_of(later + timedelta(days=1), officer), "refresher-review")
    assert standing.used == 1  # the check's attempts are untouched


def test_a_probationer_cannot_take_the_officers_review_session(database: str) -> None:
    clock.set_now(T0)
    make_academy()
    with pytest.raises(NotAllowed):
        quizzes.start_attempt(as_of(T0, "learner_a1"), SESSION)
