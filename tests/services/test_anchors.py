"""Learning over time, with the clock moved: a probationer cohort's gain from the anchor check
before and after the course, hidden for a trainer who sees fewer than five; a refresher cohort's
retention by years since training; the home page's prompts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from course import clock
from course.services import accounts, anchors, learner_home, quizzes, users
from course.services.access import Actor
from course.store.db import transaction
from course.store.models import Certificate
from tests.conftest import ADMIN, PASSWORD, Academy, _person, make_academy
from tests.helpers import answer_all

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ANCHOR = "anchor-check"


def as_of(moment: datetime, username: str) -> Actor:
    clock.set_now(moment)
    return accounts.sign_in(username, PASSWORD).actor


def sit(username: str, at: datetime, quiz_id: str, right: int) -> None:
    actor = as_of(at, username)
    attempt = quizzes.start_attempt(actor, quiz_id)
    answer_all(actor, attempt.id, right)
    quizzes.finish_attempt(actor, attempt.id)


@pytest.fixture
def academy(database: str) -> Academy:
    clock.set_now(T0)
    found = make_academy()
    users.add(ADMIN, "head", "admin", full_name="Head Admin", password=PASSWORD)
    accounts.accept_notice(accounts.sign_in("head", PASSWORD).actor)
    return found


def test_a_probationer_cohort_sees_its_gain_and_a_small_section_sees_nothing(
    academy: Academy,
) -> None:
    probationers = [n for n in academy.learners if n.startswith("learner_")]
    assert len(probationers) == 6
    for n, name in enumerate(probationers):
        sit(name, T0, ANCHOR, 2)  # 2 of 6 before
        sit(name, T0 + timedelta(days=50), "final-assessment", 24)
        sit(name, T0 + timedelta(days=51), ANCHOR, 5 if n % 2 else 4)
    later = T0 + timedelta(days=52)
    found = anchors.learning_over_time(as_of(later, "head"), academy.ids["ctp"])
    assert found.measures == "gain" and found.gain is not None
    assert found.gain.learners == 6
    assert found.gain.pre == pytest.approx(2 / 6, abs=1e-3)
    assert found.gain.post == pytest.approx(4.5 / 6, abs=1e-3)
    assert found.gain.normalised == pytest.approx(
        ((2 / 6) / (4 / 6) + (3 / 6) / (4 / 6)) / 2, abs=1e-3
    )
    # trainer_a sees section A: three learners, so no figure (and no count)
    mine = anchors.learning_over_time(as_of(later, "trainer_a"), academy.ids["ctp"])
    assert mine.gain is None


def test_a_refresher_cohort_sees_retention_by_years_since_training(academy: Academy) -> None:
    # five more officers, trained 3 to 4 years ago (their probationer certificates)
    officers = [
        _person(f"officer{n}", f"Officer {n}", "Refresher 2027", "learner", None) for n in range(5)
    ]
    for officer in officers:
        accounts.accept_notice(officer)
    with transaction() as db:
        for n, officer in enumerate(officers):
            user_id = officer.user_id
            trained = T0 - timedelta(days=365 * 3 + 30 * n)
            db.add(
                Certificate(
                    code=f"AAAA-AAAA-AAAA-AAA{n}",
                    user_id=user_id,
                    track="probationer",
                    name=f"Officer {n}",
                    completed_at=trained,
                    issued_at=trained,
                    expires_at=trained + timedelta(days=365),
                )
            )
    for n in range(5):
        sit(f"officer{n}", T0 + timedelta(days=1), ANCHOR, 3)
    sit("officer", T0 + timedelta(days=1), ANCHOR, 6)  # no training date: left out
    found = anchors.learning_over_time(
        as_of(T0 + timedelta(days=2), "head"), academy.ids["refresher"]
    )
    assert found.measures == "retention" and found.officers_shown
    by_label = {b.label: b for b in found.bands}
    assert by_label["3 to 5 years"].officers == 5
    assert by_label["3 to 5 years"].mean == pytest.approx(0.5, abs=1e-3)
    assert by_label["Under a year"].officers is None and by_label["Under a year"].mean is None


def test_the_home_page_asks_for_the_anchor_check_before_and_after(academy: Academy) -> None:
    home = learner_home.home(as_of(T0, "learner_a1"))
    assert home.anchor is not None and home.anchor_prompt is not None
    assert home.anchor_prompt.startswith("Take it before your first module")
    sit("learner_a1", T0, ANCHOR, 3)
    assert learner_home.home(as_of(T0, "learner_a1")).anchor_prompt is None
    sit("learner_a1", T0 + timedelta(days=40), "final-assessment", 20)
    again = learner_home.home(as_of(T0 + timedelta(days=41), "learner_a1")).anchor_prompt
    assert again == "Take it again now that you have finished the final assessment."
    officer = learner_home.home(as_of(T0, "officer"))
    assert officer.anchor_prompt is not None and "once in this refresher" in officer.anchor_prompt
