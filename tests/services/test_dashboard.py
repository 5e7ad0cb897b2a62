"""The trainer's dashboard: real numbers against hand-computed ones, groups under five hidden,
each trainer kept to their own sections, viewers kept to totals, and every look at one
learner's record in the audit log.

Every test runs on a clock pinned to Monday 1 March 2027, 09:00 UTC (14:00 in Karachi, the
start of a dashboard week). Answers are all right or all wrong (`answer_all`), so an item scores
1 or 0 and an attempt's score is the share answered rightly.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from course import clock
from course.content import current
from course.content.current import catalogue
from course.content.schema import SingleChoice
from course.errors import BadInput, NotAllowed, NotFound
from course.services import accounts, audit, dashboard, quizzes, scenarios, users
from course.services.access import Actor
from tests.conftest import ADMIN, PASSWORD, make_academy
from tests.helpers import add_quiz, answer_all, best_path, edit_yaml

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
EI, COI = "epistemic-insularity", "conflict-of-interest"


@dataclass
class Town:
    """CTP 2027 with five learners in each of sections A and B, on the pinned clock."""

    ids: dict[str, int]

    @property
    def ctp(self) -> int:
        return self.ids["ctp"]

    def user_id(self, username: str) -> int:
        actor = as_of(clock.now(), username)
        assert actor.user_id is not None
        return actor.user_id


@pytest.fixture
def town(database: str) -> Town:
    clock.set_now(T0)
    academy = make_academy(learners_per_section=5)
    return Town(academy.ids)


def as_of(moment: datetime, username: str) -> Actor:
    """Sign in afresh at `moment` (a sign-in lasts hours; these tests span weeks)."""
    clock.set_now(moment)
    return accounts.sign_in(username, PASSWORD).actor


def take(username: str, quiz_id: str, right: int, at: datetime, minutes: int = 5) -> None:
    """One attempt, answered at `at` (first `right` slots rightly), finished `minutes` later."""
    learner = as_of(at, username)
    started = quizzes.start_attempt(learner, quiz_id)
    answer_all(learner, started.id, right)
    clock.advance(timedelta(minutes=minutes))
    quizzes.finish_attempt(learner, started.id)


def play(username: str, module_id: str, at: datetime, minutes: int | None = 10) -> None:
    """Start a module's scenario at `at` and, unless `minutes` is None, finish it that much
    later along the best path."""
    learner = as_of(at, username)
    started = scenarios.begin(learner, module_id)
    if minutes is None:
        return
    clock.advance(timedelta(minutes=minutes))
    for number, step in enumerate(best_path(module_id)):
        scenarios.choose(learner, started.id, number, step.choice_id)
        scenarios.carry_on(learner, started.id)


def trainer(name: str = "trainer_a", at: datetime = T0) -> Actor:
    return as_of(at, name)


A = [f"learner_a{n}" for n in range(1, 6)]
B = [f"learner_b{n}" for n in range(1, 6)]


# ---- attention ----


def test_attention_names_each_learner_at_risk_and_why(town: Town) -> None:
    later = T0 + timedelta(days=19)
    take("learner_a1", "ei-quiz", 5, later)
    take("learner_a1", "ei-quiz", 6, later)  # best 60%: under the 70% pass mark
    take("learner_a2", "ei-quiz", 8, later)
    play("learner_a4", "walk-away", T0, minutes=None)  # started, then nothing for 20 days
    take("learner_a5", "ei-quiz", 9, later)
    # learner_a3 does nothing; section B is not trainer_a's
    take("learner_b1", "ei-quiz", 1, later)

    now = T0 + timedelta(days=20)
    seen = dashboard.attention(trainer(at=now), town.ctp, worst=0)

    assert seen.at_risk is not None
    rows = {r.username: r for r in seen.at_risk.items}
    assert [r.username for r in seen.at_risk.items] == ["learner_a3", "learner_a4", "learner_a1"]
    assert seen.at_risk.total == 3
    assert [c.kind for c in rows["learner_a1"].concerns] == ["below pass mark"]
    assert rows["learner_a1"].concerns[0].quiz_id == "ei-quiz"
    assert rows["learner_a1"].concerns[0].text == (
        "Quiz: epistemic insularity: best score 60%, under the pass mark of 70% "
        "(2 of 3 attempts used)."
    )
    assert [c.text for c in rows["learner_a3"].concerns] == ["Has not started any module or quiz."]
    assert rows["learner_a3"].last_active is None
    assert [c.text for c in rows["learner_a4"].concerns] == ["Nothing done for 20 days."]
    assert rows["learner_a4"].last_active == T0
    # the last thing learner_a1 did was finish an attempt, five minutes after starting it
    assert rows["learner_a1"].last_active == later + timedelta(minutes=5)
    assert seen.counts == dashboard.RiskCounts(1, 1, 1, 3)
    assert seen.learners == 5 and seen.inactive_days == 14

    # a day later, a one-day window finds a1, a2 and a5 inactive too (a3 stays "not started")
    strict = dashboard.attention(
        trainer(at=now + timedelta(days=1)), town.ctp, inactive_days=1, worst=0
    )
    assert strict.counts == dashboard.RiskCounts(1, 1, 4, 5)

    # paginated: the same order, a page at a time
    page = dashboard.attention(trainer(at=now), town.ctp, offset=1, limit=1, worst=0)
    assert page.at_risk is not None
    assert [r.username for r in page.at_risk.items] == ["learner_a4"]
    assert page.at_risk.total == 3


def test_attention_last_activity_counts_an_answer_in_an_open_attempt(town: Town) -> None:
    learner = as_of(T0, "learner_a1")
    started = quizzes.start_attempt(learner, "ei-quiz")
    learner = as_of(T0 + timedelta(days=10), "learner_a1")
    answer_all(learner, started.id, 1)  # still open: its answers are the latest activity
    now = T0 + timedelta(days=20)
    assert dashboard.attention(trainer(at=now), town.ctp, worst=0).counts == (
        dashboard.RiskCounts(0, 4, 0, 4)  # 10 days idle: not yet inactive at 14
    )
    seen = dashboard.attention(trainer(at=now), town.ctp, inactive_days=10, worst=0)
    assert seen.at_risk is not None
    row = next(r for r in seen.at_risk.items if r.username == "learner_a1")
    assert row.last_active == T0 + timedelta(days=10)
    assert [c.text for c in row.concerns] == ["Nothing done for 10 days."]


def test_a_learner_who_has_done_everything_is_not_inactive(town: Town) -> None:
    for module in catalogue().track_modules("probationer"):
        play("learner_a1", module.id, T0, minutes=1)
    for quiz_id in ("ei-quiz", "coi-quiz", "ee-quiz", "final-assessment"):
        take("learner_a1", quiz_id, 30, T0)
    take("learner_a2", "ei-quiz", 10, T0)  # passed one quiz, idle since: inactive
    seen = dashboard.attention(trainer(at=T0 + timedelta(days=30)), town.ctp, worst=0)
    assert seen.at_risk is not None
    at_risk = {r.username: [c.kind for c in r.concerns] for r in seen.at_risk.items}
    assert "learner_a1" not in at_risk
    assert at_risk["learner_a2"] == ["inactive"]
    # and in the comparison, learner_a1 is the one learner of five who finished every module
    compared = dashboard.comparison(trainer(at=T0 + timedelta(days=30)), town.ctp)
    (section_a,) = compared.sections
    assert section_a.completed_all == pytest.approx(1 / 5)
    assert section_a.completion == pytest.approx(11 / 55)


def test_weakest_competency_is_the_lowest_mean_item_score(town: Town) -> None:
    for name, ei, coi in zip(A, [8, 7, 9, 6, 10], [5, 6, 4, 7, 3], strict=True):
        take(name, "ei-quiz", ei, T0)
        take(name, "coi-quiz", coi, T0)
    seen = dashboard.attention(trainer(), town.ctp, worst=0)
    assert seen.weakest is not None
    assert (seen.weakest.competency, seen.weakest.answers, seen.weakest.learners) == (COI, 50, 5)
    assert seen.weakest.mean == pytest.approx(25 / 50)
    assert [(c.competency, round(c.mean, 4)) for c in seen.competencies] == [
        (COI, 0.5),
        (EI, 0.8),
    ]
    # section B has no answers: nothing to rank
    other = dashboard.attention(trainer("trainer_b"), town.ctp, worst=0)
    assert other.weakest is None and other.competencies == ()


def test_weakest_competency_needs_five_learners(town: Town) -> None:
    for name in A[:4]:
        take(name, "ei-quiz", 3, T0)
    assert dashboard.attention(trainer(), town.ctp, worst=0).weakest is None
    take(A[4], "ei-quiz", 3, T0)
    weakest = dashboard.attention(trainer(), town.ctp, worst=0).weakest
    assert weakest is not None and weakest.competency == EI


def test_viewers_get_the_counts_but_not_the_names(town: Town) -> None:
    take("learner_a1", "ei-quiz", 2, T0)
    seen = dashboard.attention(as_of(T0, "viewer"), town.ctp, worst=0)
    assert seen.at_risk is None
    assert seen.learners == 10
    # nine have not started; learner_a1 is below the pass mark
    assert seen.counts == dashboard.RiskCounts(1, 9, 0, 10)


def test_attention_counts_are_hidden_for_fewer_than_five_learners(database: str) -> None:
    clock.set_now(T0)
    academy = make_academy(learners_per_section=3)
    seen = dashboard.attention(as_of(T0, "trainer_a"), academy.ids["ctp"], worst=0)
    assert seen.learners is None and seen.counts is None
    assert seen.at_risk is not None and seen.at_risk.total == 3  # their own learners, by name


def test_attention_hands_the_worst_items_over_from_item_analysis(
    town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[Any, ...]] = []

    def worst_items(actor: Actor, cohort_id: int, count: int = 3) -> list[str]:
        asked.append((actor.username, cohort_id, count))
        return ["item one", "item two", "item three"]

    fake = types.ModuleType("course.services.item_analysis")
    fake.worst_items = worst_items  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "course.services.item_analysis", fake)
    monkeypatch.setattr("course.services.item_analysis", fake, raising=False)
    seen = dashboard.attention(trainer(), town.ctp)
    assert seen.worst_items == ("item one", "item two", "item three")
    assert asked == [("trainer_a", town.ctp, 3)]


def test_attention_with_the_real_item_analysis(town: Town) -> None:
    for name, right in zip(A, [2, 4, 6, 8, 10], strict=True):
        take(name, "ei-quiz", right, T0)
    seen = dashboard.attention(trainer(), town.ctp, worst=3)
    assert len(seen.worst_items) <= 3
    assert all(item.quiz_id == "ei-quiz" for item in seen.worst_items)


def test_attention_refuses_bad_numbers(town: Town) -> None:
    with pytest.raises(BadInput):
        dashboard.attention(trainer(), town.ctp, inactive_days=0, worst=0)
    with pytest.raises(BadInput):
        dashboard.attention(trainer(), town.ctp, limit=0, worst=0)
    with pytest.raises(BadInput):
        dashboard.mastery_matrix(trainer(), town.ctp, limit=501)


# ---- scores ----


def test_score_distribution_is_each_learners_best_score(town: Town) -> None:
    for name, right in zip(A, [8, 7, 9, 6, 10], strict=True):
        take(name, "ei-quiz", right, T0)
    take("learner_a1", "ei-quiz", 9, T0)  # a1's best is now 90%
    take("learner_b1", "ei-quiz", 1, T0)  # not in section A
    by_quiz = {q.quiz_id: q for q in dashboard.scores(trainer(), town.ctp)}
    assert list(by_quiz) == ["ei-quiz", "coi-quiz", "ee-quiz", "final-assessment"]
    ei = by_quiz["ei-quiz"]
    assert (ei.pass_mark, ei.grading) == (0.7, "highest")
    assert ei.scores is not None
    # grades 0.6, 0.7, 0.9, 0.9, 1.0
    assert ei.scores.learners == 5 and ei.scores.passed == 4
    assert ei.scores.mean == pytest.approx(4.1 / 5)
    assert (ei.scores.minimum, ei.scores.maximum) == (0.6, 1.0)
    assert (ei.scores.q1, ei.scores.median, ei.scores.q3) == pytest.approx((0.7, 0.9, 0.9))
    assert [b.learners for b in ei.scores.bins] == [0, 0, 0, 0, 0, 0, 1, 1, 0, 3]
    assert (ei.scores.bins[7].low, ei.scores.bins[7].high) == (0.7, 0.8)
    assert ei.attempts == (0, 4, 1, 0)  # learners with 0, 1, 2, 3 finished attempts
    assert by_quiz["coi-quiz"].scores is None
    assert by_quiz["coi-quiz"].attempts == (5, 0, 0, 0)
    # the viewer sees the whole cohort: one more grade (10%) and five more learners
    whole = {q.quiz_id: q for q in dashboard.scores(as_of(T0, "viewer"), town.ctp)}
    assert whole["ei-quiz"].scores is not None and whole["ei-quiz"].scores.learners == 6
    assert whole["ei-quiz"].attempts == (4, 5, 1, 0)


def test_score_distribution_is_hidden_under_five_graded_learners(town: Town) -> None:
    for name in A[:4]:
        take(name, "ei-quiz", 10, T0)
    ei = dashboard.scores(trainer(), town.ctp)[0]
    assert ei.scores is None
    assert ei.attempts == (1, 4, 0, 0)  # the group here is the five learners in view


def test_grades_follow_each_quizs_grading_method(
    database: str, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    current.forget()
    draws = [{"competency": EI, "count": 10}]
    for method in ("last", "average", "first"):
        add_quiz(
            content,
            {"id": f"{method}-quiz", "title": f"By {method}", "draws": draws, "grading": method},
        )  # pass mark 0.5
    clock.set_now(T0)
    academy = make_academy(learners_per_section=5)
    for name in A:
        for method in ("last", "average", "first"):
            take(name, f"{method}-quiz", 8, T0)
            take(name, f"{method}-quiz", 1, T0)  # 80% then 10%
    by_quiz = {q.quiz_id: q.scores for q in dashboard.scores(trainer(), academy.ids["ctp"])}
    medians = {q: s.median if s else None for q, s in by_quiz.items() if q.endswith("-quiz")}
    assert medians == {
        "ei-quiz": None,
        "coi-quiz": None,
        "ee-quiz": None,
        "last-quiz": pytest.approx(0.1),
        "average-quiz": pytest.approx(0.45),
        "first-quiz": pytest.approx(0.8),
    }
    seen = dashboard.attention(trainer(), academy.ids["ctp"], worst=0)
    assert seen.at_risk is not None
    concerns = {c.quiz_id: c.text for c in seen.at_risk.items[0].concerns}
    assert concerns == {
        "last-quiz": "By last: grade 10%, under the pass mark of 50% (2 attempts used).",
        "average-quiz": "By average: grade 45%, under the pass mark of 50% (2 attempts used).",
    }


# ---- progress ----


def test_funnel_and_median_minutes(town: Town) -> None:
    for name, minutes in zip(A, [20, 25, 30, 35, 90], strict=True):
        play(name, "walk-away", T0, minutes=minutes)
    play("learner_a1", "walk-away", T0 + timedelta(hours=3), minutes=1)  # a replay: not timed
    play("learner_a2", "insularity", T0, minutes=None)  # started only
    for name, minutes in zip(A, [10, 12, 14, 16, 18], strict=True):
        take(name, "ei-quiz", 10, T0, minutes=minutes)
    take("learner_a1", "ei-quiz", 10, T0, minutes=50)  # a second attempt: not timed
    seen = dashboard.progress(trainer(), town.ctp)
    assert seen.learners == 5
    modules = {m.module_id: m for m in seen.modules}
    assert [m.module_id for m in seen.modules] == [
        m.id for m in catalogue().track_modules("probationer")
    ]
    walk = modules["walk-away"]
    assert (walk.started, walk.finished, walk.median_minutes) == (5, 5, 30.0)
    insular = modules["insularity"]
    assert (insular.started, insular.finished, insular.median_minutes) == (1, 0, None)
    times = {q.quiz_id: q.median_minutes for q in seen.quizzes}
    assert times == {"ei-quiz": 14.0, "coi-quiz": None, "ee-quiz": None, "final-assessment": None}


def test_progress_is_hidden_for_a_group_under_five(database: str) -> None:
    clock.set_now(T0)
    academy = make_academy(learners_per_section=3)
    play("learner_a1", "walk-away", T0)
    seen = dashboard.progress(as_of(T0, "trainer_a"), academy.ids["ctp"])
    assert seen.learners is None
    assert all(m.started is None and m.finished is None for m in seen.modules)


# ---- mastery ----


def test_mastery_over_time_decays_by_a_four_week_half_life(town: Town) -> None:
    for name, right in zip(A[:4], [8, 7, 9, 6], strict=True):
        take(name, "ei-quiz", right, T0)  # week 0: 30 of 40, four learners
    take("learner_a5", "ei-quiz", 10, T0 + timedelta(days=7))  # week 1: 10 of 10, the fifth
    take("learner_a1", "ei-quiz", 10, T0 + timedelta(days=15))  # week 2: 10 of 10
    seen = dashboard.mastery(trainer(at=T0 + timedelta(days=20)), town.ctp)
    assert seen.half_life_weeks == 4
    trends = {t.competency: t for t in seen.competencies}
    ei = trends[EI]
    d = 0.5**0.25  # a week's decay
    assert [p.week_start for p in ei.weeks] == [
        date(2027, 3, 1),
        date(2027, 3, 8),
        date(2027, 3, 15),
    ]
    assert ei.weeks[0].mastery is None  # four learners so far
    assert ei.weeks[1].mastery == pytest.approx((30 * d + 10) / (40 * d + 10))
    assert ei.weeks[2].mastery == pytest.approx(
        (30 * d**2 + 10 * d + 10) / (40 * d**2 + 10 * d + 10)
    )
    assert ei.mean == pytest.approx(50 / 60) and ei.learners == 5
    coi = trends[COI]
    assert coi.mean is None and coi.learners is None
    assert [p.mastery for p in coi.weeks] == [None, None, None]  # the same weeks, no answers


def test_mastery_weeks_begin_on_monday_in_the_academy_time_zone(town: Town) -> None:
    # answered on Sunday 23:50 in Karachi, finished on Monday 00:10: the week of the finish
    sunday_night = datetime(2027, 3, 7, 18, 50, tzinfo=UTC)
    for name in A:
        take(name, "ei-quiz", 5, sunday_night, minutes=20)
    seen = dashboard.mastery(trainer(at=sunday_night), town.ctp)
    ei = next(t for t in seen.competencies if t.competency == EI)
    assert [(p.week_start, p.mastery) for p in ei.weeks] == [(date(2027, 3, 8), 0.5)]


def test_mastery_matrix_is_each_learners_mean_item_score_a_page_at_a_time(town: Town) -> None:
    for name, right in zip(A, [8, 7, 9, 6, 10], strict=True):
        take(name, "ei-quiz", right, T0)
    take("learner_a1", "coi-quiz", 5, T0)
    take("learner_a1", "ei-quiz", 4, T0)  # every answer counts: (8 + 4) / 20
    matrix = dashboard.mastery_matrix(trainer(), town.ctp, offset=0, limit=2)
    assert list(matrix.competencies) == [EI, COI, "ethical-engagement"]
    assert matrix.learners.total == 5
    first, second = matrix.learners.items
    assert (first.username, second.username) == ("learner_a1", "learner_a2")
    assert first.scores == {EI: pytest.approx(0.6), COI: 0.5, "ethical-engagement": None}
    assert first.answers == {EI: 20, COI: 10, "ethical-engagement": 0}
    assert second.scores[EI] == pytest.approx(0.7)
    last = dashboard.mastery_matrix(trainer(), town.ctp, offset=4, limit=2)
    assert [r.username for r in last.learners.items] == ["learner_a5"]
    other = dashboard.mastery_matrix(trainer("trainer_b"), town.ctp, limit=500)
    assert {r.username for r in other.learners.items} == set(B)
    with pytest.raises(NotAllowed, match="Viewers see the cohort's totals"):
        dashboard.mastery_matrix(as_of(T0, "viewer"), town.ctp)


# ---- one learner's record ----


def test_learner_record_shows_each_answer_with_its_feedback(town: Town) -> None:
    take("learner_a1", "ei-quiz", 7, T0)
    play("learner_a1", "walk-away", T0)
    learner = as_of(T0, "learner_a1")
    finished = scenarios.latest_play(learner, "walk-away")
    assert finished is not None
    scenarios.save_reflection(learner, finished.id, "my private thought")
    user_id = town.user_id("learner_a1")

    record = dashboard.learner_record(trainer(), town.ctp, user_id)

    assert (record.username, record.section) == ("learner_a1", "A")
    (attempt,) = record.attempts
    assert (attempt.quiz_id, attempt.attempt_no) == ("ei-quiz", 1)
    assert attempt.verdict is not None and attempt.verdict.shown == "70%"
    assert attempt.verdict.passed
    assert [a.score for a in attempt.answers] == [1.0] * 7 + [0.0] * 3
    assert [a.correctness for a in attempt.answers][6:8] == ["Correct", "Incorrect"]
    for answer in attempt.answers:
        question = catalogue().questions[answer.question_id]
        assert answer.competency == EI and answer.stem == question.stem
        if isinstance(question, SingleChoice):
            options = [o for o in question.options if o.text in answer.given]
            assert answer.feedback == tuple(o.feedback for o in options)
            assert answer.key == tuple(o.text for o in question.options if o.correct)
            wrong = answer.score == 0.0
            assert bool(answer.misconceptions) == wrong
    modules = {m.module_id: m.status for m in record.modules}
    assert modules["walk-away"] == "completed" and modules["insularity"] == "not started"
    # nothing of the scenario but its completion: not the choices, not the reflection
    text = repr(record)
    assert "my private thought" not in text
    for step in best_path("walk-away"):
        situation = catalogue().module("walk-away").scenario.situation(step.situation_id)
        assert situation.choice(step.choice_id).text not in text

    rows = [r for r in audit.recent(ADMIN) if r.action == "view learner record"]
    assert [(r.who, r.target) for r in rows] == [("trainer_a", f"user {user_id}")]


def test_learner_record_keeps_the_wording_the_learner_answered(
    town: Town, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    current.forget()
    take("learner_a1", "ei-quiz", 0, T0)  # every answer wrong
    user_id = town.user_id("learner_a1")
    before = dashboard.learner_record(trainer(), town.ctp, user_id).attempts[0].answers

    def reword(banks: Any) -> None:
        for question in banks["questions"]:
            for option in question.get("options", []):
                option["feedback"] = "(Rewritten) " + option["feedback"]

    for bank in sorted((content / "quizzes" / "banks").glob("*.yaml")):
        edit_yaml(bank, reword)
    assert any(
        o.feedback.startswith("(Rewritten)")
        for q in catalogue().questions.values()
        if isinstance(q, SingleChoice)
        for o in q.options
    )
    after = dashboard.learner_record(trainer(), town.ctp, user_id).attempts[0].answers
    assert after == before
    assert not any(f.startswith("(Rewritten)") for a in after for f in a.feedback)


def test_learner_record_is_kept_to_the_learners_own_trainers(town: Town) -> None:
    take("learner_a1", "ei-quiz", 7, T0)
    user_id = town.user_id("learner_a1")
    with pytest.raises(NotFound):
        dashboard.learner_record(trainer("trainer_b"), town.ctp, user_id)
    with pytest.raises(NotAllowed, match="Viewers see the cohort's totals"):
        dashboard.learner_record(as_of(T0, "viewer"), town.ctp, user_id)
    with pytest.raises(NotAllowed):
        dashboard.learner_record(trainer("trainer_r"), town.ctp, user_id)
    with pytest.raises(NotAllowed):
        dashboard.learner_record(as_of(T0, "learner_a1"), town.ctp, user_id)
    with pytest.raises(NotFound):  # a trainer, not a learner
        dashboard.learner_record(trainer(), town.ctp, town.user_id("trainer_a"))
    assert [r for r in audit.recent(ADMIN) if r.action == "view learner record"] == []


# ---- sections and cohorts ----


@pytest.fixture
def uneven(database: str) -> Town:
    """Section A with five learners, section B with four."""
    clock.set_now(T0)
    academy = make_academy(learners_per_section=4)
    users.add(
        ADMIN,
        "learner_a5",
        "learner",
        full_name="Learner A5",
        cohort="CTP 2027",
        section="A",
        password=PASSWORD,
    )
    accounts.accept_notice(as_of(T0, "learner_a5"))
    return Town(academy.ids)


def test_comparison_shows_totals_and_hides_groups_under_five(uneven: Town) -> None:
    for name, right in zip(A[:4], [8, 7, 9, 6], strict=True):
        take(name, "ei-quiz", right, T0)
    play("learner_a1", "walk-away", T0)
    play("learner_a2", "walk-away", T0)
    take("learner_b1", "ei-quiz", 5, T0)
    admin = dashboard.comparison(ADMIN, uneven.ctp)
    assert list(admin.quizzes)[:4] == ["ei-quiz", "coi-quiz", "ee-quiz", "final-assessment"]
    section_a, section_b = admin.sections
    assert (section_a.section, section_a.learners) == ("A", 5)
    assert section_a.completion == pytest.approx(2 / 55)
    assert section_a.completed_all == 0.0
    # four grades in A: a mean of four learners is hidden too
    assert section_a.mean_grade["ei-quiz"] is None
    assert section_b.section == "B"
    assert (section_b.learners, section_b.completion, section_b.completed_all) == (None,) * 3
    assert set(section_b.mean_grade.values()) == {None}
    ctp, refresher = admin.cohorts
    assert (ctp.cohort, ctp.section, ctp.learners) == ("CTP 2027", None, 9)
    assert ctp.completion == pytest.approx(2 / 99)
    assert ctp.mean_grade["ei-quiz"] == pytest.approx((0.8 + 0.7 + 0.9 + 0.6 + 0.5) / 5)
    assert (refresher.cohort, refresher.learners) == ("Refresher 2027", None)


def test_comparison_keeps_each_trainer_to_their_sections(uneven: Town) -> None:
    for name in A:
        take(name, "ei-quiz", 10, T0)
    take("learner_b1", "ei-quiz", 5, T0)
    mine = dashboard.comparison(trainer(), uneven.ctp)
    assert [s.section for s in mine.sections] == ["A"]
    assert mine.sections[0].mean_grade["ei-quiz"] == 1.0
    assert [(c.cohort, c.learners) for c in mine.cohorts] == [("CTP 2027", 5)]
    assert mine.cohorts[0].mean_grade["ei-quiz"] == 1.0  # section B's 50% is not in it
    theirs = dashboard.comparison(trainer("trainer_b"), uneven.ctp)
    assert [s.section for s in theirs.sections] == ["B"]
    assert "'A'" not in repr(theirs) and theirs.cohorts[0].learners is None
    viewer = dashboard.comparison(as_of(T0, "viewer"), uneven.ctp)
    assert [s.section for s in viewer.sections] == ["A", "B"]
    assert [c.cohort for c in viewer.cohorts] == ["CTP 2027"]
    with pytest.raises(NotAllowed):
        dashboard.comparison(trainer("trainer_r"), uneven.ctp)


# ---- who may call what ----


@pytest.mark.parametrize(
    "call",
    [
        lambda a, c: dashboard.attention(a, c, worst=0),
        dashboard.scores,
        dashboard.progress,
        dashboard.mastery,
        dashboard.mastery_matrix,
        dashboard.comparison,
        lambda a, c: dashboard.learner_record(a, c, 1),
    ],
)
def test_learners_and_other_cohorts_trainers_are_refused(town: Town, call: Any) -> None:
    for name in ("learner_a1", "trainer_r"):
        with pytest.raises(NotAllowed):
            call(as_of(T0, name), town.ctp)
