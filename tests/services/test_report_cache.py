"""Kept reports: worked out once per state of the records, never served stale, never served
round the access check, and each scope kept apart. On the dashboard tests' pinned clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from course import clock
from course.errors import NotAllowed
from course.services import dashboard, item_analysis, quizzes, report_cache
from course.services.access import Actor
from course.store.db import reading
from tests.conftest import ADMIN, make_academy
from tests.helpers import right_answer
from tests.services.test_dashboard import T0, Town, as_of, take


@pytest.fixture
def town(database: str) -> Town:
    clock.set_now(T0)
    return Town(make_academy(learners_per_section=5).ids)


def fingerprint(cohort_id: int) -> tuple[object, ...]:
    with reading() as db:
        return report_cache.fingerprint(db, cohort_id, None)


def five_take(town: Town) -> None:
    for n in range(1, 6):
        take(f"learner_a{n}", "ei-quiz", 3, T0)


def test_a_kept_report_is_read_again_until_the_records_change(town: Town) -> None:
    five_take(town)
    first = item_analysis.quiz_analysis(ADMIN, town.ctp, "ei-quiz")
    assert first.learners == 5
    assert item_analysis.quiz_analysis(ADMIN, town.ctp, "ei-quiz") is first  # kept

    take("learner_b1", "ei-quiz", 10, T0 + timedelta(hours=1))  # a sixth learner finishes
    after = item_analysis.quiz_analysis(ADMIN, town.ctp, "ei-quiz")
    assert after is not first
    assert after.learners == 6
    assert after.test is not None and first.test is not None
    assert after.test.mean > first.test.mean  # the new attempt's full marks count


def test_an_open_attempt_does_not_change_a_kept_analysis(town: Town) -> None:
    five_take(town)
    first = item_analysis.quiz_analysis(ADMIN, town.ctp, "ei-quiz")
    learner = as_of(T0 + timedelta(hours=2), "learner_b2")
    quizzes.start_attempt(learner, "ei-quiz")  # started, not finished: not in the analysis
    again = item_analysis.quiz_analysis(ADMIN, town.ctp, "ei-quiz")
    assert again == first


def test_each_scope_has_its_own_kept_result_and_the_access_check_comes_first(
    town: Town,
) -> None:
    five_take(town)
    take("learner_b1", "ei-quiz", 10, T0)
    whole = item_analysis.quiz_analysis(ADMIN, town.ctp, "ei-quiz")
    assert whole.learners == 6
    section_a = item_analysis.quiz_analysis(as_of(T0, "trainer_a"), town.ctp, "ei-quiz")
    assert section_a.learners == 5  # trainer A's own section, not the admin's kept whole
    for outsider in ("trainer_r", "learner_a1"):
        with pytest.raises(NotAllowed):
            item_analysis.quiz_analysis(as_of(T0, outsider), town.ctp, "ei-quiz")
    signed_out = as_of(T0, "learner_a1")
    with pytest.raises(NotAllowed):  # a session that is not theirs
        item_analysis.quiz_analysis(
            Actor(user_id=signed_out.user_id, username="x", full_name="x"), town.ctp, "ei-quiz"
        )


def test_an_answer_in_an_open_attempt_counts_as_activity_at_once(town: Town) -> None:
    learner = as_of(T0, "learner_a1")
    started = quizzes.start_attempt(learner, "ei-quiz")
    view = quizzes.attempt_view(learner, started.id)
    quizzes.record_answer(learner, started.id, 0, right_answer(view.slots[0].question))

    later = T0 + timedelta(days=20)
    clock.set_now(later)
    found = dashboard.attention(ADMIN, town.ctp, inactive_days=14, limit=50)
    assert found.at_risk is not None
    mine = next(r for r in found.at_risk.items if r.username == "learner_a1")
    assert [c.kind for c in mine.concerns] == ["inactive"]

    before = fingerprint(town.ctp)
    learner = as_of(later, "learner_a1")
    quizzes.record_answer(learner, started.id, 1, right_answer(view.slots[1].question))
    assert fingerprint(town.ctp) == before  # so the kept figures stay, and this is read live
    found = dashboard.attention(ADMIN, town.ctp, inactive_days=14, limit=50)
    assert found.at_risk is not None
    # active today, so no longer at risk (the answer was read live, not from kept figures)
    assert "learner_a1" not in [r.username for r in found.at_risk.items]
