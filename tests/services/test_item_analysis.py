"""Item analysis on a small academy: the numbers against hand-computed values, per version,
hidden under five learners, and only for the cohort's staff."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from course import clock
from course.content import current
from course.content.current import catalogue
from course.errors import BadInput, NotAllowed, NotFound
from course.learning import item_stats
from course.services import accounts, item_analysis, quizzes
from course.services.access import Actor
from course.services.item_analysis import ItemAnalysis, ItemRow
from tests.conftest import ADMIN, PASSWORD, Academy, make_academy
from tests.helpers import add_quiz, edit_yaml, right_answer, wrong_answer

T0 = datetime(2027, 3, 3, 10, 0, tzinfo=UTC)  # a Wednesday: its week starts on 1 March
QUIZ = "stats-quiz"
SINGLE, MULTIPLE, TRUE_FALSE = "coi-001", "coi-004", "coi-005"  # the quiz's three slots
LABELLING = "Labelling a sponsorship removes the conflict of interest."  # coi-001 option a
ON_DUTY = "The conduct rules apply only while an officer is on duty in Pakistan."  # coi-005

# Section A's first attempts: 1 right, 0 wrong, None unanswered, per slot (single, multiple,
# true/false). Totals 3, 2, 2, 1, 0.
SECTION_A = {
    "learner_a1": (1, 1, 1),
    "learner_a2": (1, 1, 0),
    "learner_a3": (1, 0, 1),
    "learner_a4": (0, 0, 1),
    "learner_a5": (0, 0, None),
}
SECTION_B = {f"learner_b{n}": (1, 1, 1) for n in range(1, 5)}  # four: too few on their own


def respond(question: Any, mark: int) -> dict[str, Any]:
    return right_answer(question) if mark else wrong_answer(question)


def take(learner: Actor, marks: tuple[int | None, ...]) -> None:
    """One attempt at the stats quiz, answering each slot rightly, wrongly or not at all."""
    attempt = quizzes.start_attempt(learner, QUIZ).id
    for slot in quizzes.attempt_view(learner, attempt).slots:
        mark = marks[slot.slot]
        if mark is not None:
            quizzes.record_answer(learner, attempt, slot.slot, respond(slot.question, mark))
    quizzes.finish_attempt(learner, attempt)


@dataclass
class Stats:
    academy: Academy
    content: Path

    @property
    def cohort(self) -> int:
        return self.academy.ids["ctp"]

    def again(self, username: str) -> Actor:
        """A fresh sign-in (after the clock has moved past the first one's expiry)."""
        return accounts.sign_in(username, PASSWORD).actor


@pytest.fixture
def stats(database: str, content: Path, monkeypatch: pytest.MonkeyPatch) -> Stats:
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    current.forget()
    add_quiz(
        content,
        {
            "id": QUIZ,
            "title": "Statistics quiz",
            "questions": [SINGLE, MULTIPLE, TRUE_FALSE],
            "shuffle_questions": False,
            "attempts": 0,
        },
    )
    clock.set_now(T0)
    academy = make_academy(learners_per_section=5)
    for name, marks in SECTION_A.items():
        take(academy.learners[name], marks)
    return Stats(academy, content)


def item(analysis: ItemAnalysis, question_id: str) -> ItemRow:
    (found,) = [row for row in analysis.items if row.question_id == question_id]
    return found


def rest_correlation(marks: list[float], totals: list[float]) -> float:
    """An independent check: 100 r(x, X - x) from the raw lists."""
    rests = [t - m for m, t in zip(marks, totals, strict=True)]
    return 100 * statistics.correlation(marks, rests)


# ---- the numbers ----


def test_quiz_statistics_match_hand_computed_values(stats: Stats) -> None:
    analysis = item_analysis.quiz_analysis(stats.academy.trainers["trainer_a"], stats.cohort, QUIZ)
    assert (analysis.learners, analysis.attempts, analysis.which) == (5, 5, "highest")
    single, multiple, true_false = (item(analysis, q) for q in (SINGLE, MULTIPLE, TRUE_FALSE))
    assert single.stats is not None and multiple.stats is not None and true_false.stats is not None
    # facility: 3 of 5, 2 of 5, and 3 of 5 (the slot learner_a5 left unanswered scores 0)
    assert single.stats.facility == pytest.approx(0.6)
    assert multiple.stats.facility == pytest.approx(0.4)
    assert true_false.stats.facility == pytest.approx(0.6)
    assert single.stats.sd == pytest.approx(math.sqrt(0.3))
    # x = 1,1,1,0,0 against the rest 2,1,1,1,0: cov 0.25, var 0.3 and 0.5
    assert single.stats.discrimination == pytest.approx(100 * 0.25 / math.sqrt(0.15))
    assert single.stats.discrimination == pytest.approx(
        rest_correlation([1, 1, 1, 0, 0], [3, 2, 2, 1, 0])
    )
    assert multiple.stats.discrimination == pytest.approx(
        rest_correlation([1, 1, 0, 0, 0], [3, 2, 2, 1, 0])
    )
    assert single.stats.discriminative_efficiency == pytest.approx(100.0)
    assert single.stats.random_guess == pytest.approx(0.25)  # one of four options
    assert true_false.stats.random_guess == pytest.approx(0.5)
    # the true/false item's marks do not follow the rest at all: flagged with its reason
    assert true_false.stats.discrimination == pytest.approx(0.0, abs=1e-9)
    assert true_false.flags and "discriminative efficiency" in true_false.flags[0]
    assert not single.flags
    # the quiz: totals 3, 2, 2, 1, 0; each item's variance 0.3
    test = analysis.test
    assert test is not None
    assert (test.attempts, test.mean, test.median) == (5, pytest.approx(1.6), 2.0)
    assert test.sd == pytest.approx(math.sqrt(1.3))
    assert test.cic == pytest.approx(100 * 3 / 2 * (1 - 0.9 / 1.3))
    assert test.error_ratio == pytest.approx(100 * math.sqrt(1 - test.cic / 100))
    # a slot per fixed question: a third of the marks each; effective weights add up to 100
    assert [s.label for s in analysis.slots] == [SINGLE, MULTIPLE, TRUE_FALSE]
    assert [s.intended for s in analysis.slots] == pytest.approx([100 / 3] * 3)
    effective = [s.effective for s in analysis.slots]
    assert sum(e for e in effective if e is not None) == pytest.approx(100.0)
    assert single.intended_weight == pytest.approx(100 / 3)
    assert single.effective_weight == effective[0]


def test_quiz_statistics_agree_with_item_stats_on_the_raw_cells(stats: Stats) -> None:
    analysis = item_analysis.quiz_analysis(stats.academy.trainers["trainer_a"], stats.cohort, QUIZ)
    totals = [3.0, 2.0, 2.0, 1.0, 0.0]
    marks = [m[2] or 0 for m in SECTION_A.values()]
    expected = item_stats.item_statistics(
        [(float(x), t, 1) for x, t in zip(marks, totals, strict=True)], random_guess=0.5
    )
    assert item(analysis, TRUE_FALSE).stats == expected


def test_response_analysis_names_options_and_their_misconceptions(stats: Stats) -> None:
    analysis = item_analysis.quiz_analysis(stats.academy.trainers["trainer_a"], stats.cohort, QUIZ)
    responses = item(analysis, SINGLE).responses
    assert responses is not None
    by_id = {r.option_id: r for r in responses}
    question = catalogue().questions[SINGLE]
    assert [r.text for r in responses] == [o.text for o in question.options]  # type: ignore[union-attr]
    assert (by_id["c"].correct, by_id["c"].chosen, by_id["c"].share) == (True, 3, 0.6)
    assert (by_id["a"].chosen, by_id["a"].share, by_id["a"].misconception) == (2, 0.4, LABELLING)
    assert by_id["b"].chosen == 0 and by_id["b"].misconception
    true_false = item(analysis, TRUE_FALSE).responses
    assert true_false is not None
    # four answered (one left it blank): three chose "false", the key
    shares = {r.option_id: (r.correct, r.chosen, r.share, r.misconception) for r in true_false}
    assert shares == {"false": (True, 3, 0.75, None), "true": (False, 1, 0.25, ON_DUTY)}
    multiple = item(analysis, MULTIPLE).responses
    assert multiple is not None
    assert {r.option_id: r.chosen for r in multiple} == {
        "a": 2, "b": 3, "c": 2, "d": 3, "e": 2, "f": 3
    }  # fmt: skip
    assert item(analysis, MULTIPLE).kind == "multiple"


def test_which_attempts_first_highest_last_and_all(stats: Stats) -> None:
    clock.set_now(T0 + timedelta(hours=1))
    take(stats.academy.learners["learner_a1"], (0, 0, 0))  # a second, worse attempt
    trainer = stats.academy.trainers["trainer_a"]

    def facility(which: item_analysis.Which) -> tuple[float | None, int | None, int | None]:
        analysis = item_analysis.quiz_analysis(trainer, stats.cohort, QUIZ, which)
        single = item(analysis, SINGLE)
        assert single.stats is not None
        return single.stats.facility, analysis.attempts, analysis.learners

    assert facility("first") == (pytest.approx(0.6), 5, 5)
    assert facility("highest") == (pytest.approx(0.6), 5, 5)
    assert facility("last") == (pytest.approx(0.4), 5, 5)
    assert facility("all") == (pytest.approx(0.5), 6, 5)  # 3 of 6 attempts, 5 learners
    with pytest.raises(BadInput):
        item_analysis.quiz_analysis(trainer, stats.cohort, QUIZ, "best")  # type: ignore[arg-type]


# ---- scope and suppression ----


def test_each_trainer_sees_their_section_and_groups_under_five_are_hidden(stats: Stats) -> None:
    for name, marks in SECTION_B.items():
        take(stats.academy.learners[name], marks)
    section_b = item_analysis.quiz_analysis(stats.academy.trainers["trainer_b"], stats.cohort, QUIZ)
    assert section_b.too_few
    assert (section_b.learners, section_b.attempts, section_b.test, section_b.items) == (
        None, None, None, ()
    )  # fmt: skip
    whole = item_analysis.quiz_analysis(ADMIN, stats.cohort, QUIZ)
    assert (whole.learners, whole.attempts) == (9, 9)
    single = item(whole, SINGLE)
    assert single.stats is not None and single.stats.facility == pytest.approx(7 / 9)
    viewer = item_analysis.quiz_analysis(stats.academy.trainers["viewer"], stats.cohort, QUIZ)
    assert viewer.learners == 9  # aggregates: viewers see them too


def test_a_question_edited_midway_is_analysed_per_version(stats: Stats) -> None:
    bank = stats.content / "quizzes" / "banks" / "conflict-of-interest.yaml"

    def revise(data: Any) -> None:
        question = next(q for q in data["questions"] if q["id"] == SINGLE)
        question["stem"] = "(Revised) " + question["stem"]

    edit_yaml(bank, revise)
    clock.set_now(T0 + timedelta(hours=1))  # versions are numbered in the order first met
    for name, marks in SECTION_B.items():
        take(stats.academy.learners[name], marks)
    whole = item_analysis.quiz_analysis(ADMIN, stats.cohort, QUIZ)
    rows = sorted((r for r in whole.items if r.question_id == SINGLE), key=lambda r: r.version)
    assert [(r.version, r.current) for r in rows] == [(1, False), (2, True)]
    assert rows[0].question_hash != rows[1].question_hash
    assert rows[1].stem.startswith("(Revised)")
    old, new = rows
    assert old.learners == 5 and old.stats is not None
    assert old.stats.facility == pytest.approx(0.6)  # section A only
    assert (new.learners, new.stats, new.responses) == (None, None, None)  # four learners


def test_learners_other_cohorts_and_signed_out_people_are_refused(stats: Stats) -> None:
    academy = stats.academy
    refused = [
        academy.learners["learner_a1"],
        academy.trainers["trainer_r"],
        Actor(user_id=academy.learners["learner_a1"].user_id, username="x", full_name="x"),
    ]
    for actor in refused:
        with pytest.raises(NotAllowed):
            item_analysis.quiz_analysis(actor, stats.cohort, QUIZ)
        with pytest.raises(NotAllowed):
            item_analysis.bank_analysis(actor, stats.cohort, "conflict-of-interest")
        with pytest.raises(NotAllowed):
            item_analysis.worst_items(actor, stats.cohort)
        with pytest.raises(NotAllowed):
            item_analysis.misconceptions(actor, stats.cohort)
    with pytest.raises(NotFound):
        item_analysis.quiz_analysis(ADMIN, stats.cohort, "no-such-quiz")
    with pytest.raises(NotFound):
        item_analysis.bank_analysis(ADMIN, stats.cohort, "no-such-bank")


# ---- banks, worst items, misconceptions ----


def test_bank_analysis_pools_quizzes_and_compares_with_the_whole_score(stats: Stats) -> None:
    analysis = item_analysis.bank_analysis(
        stats.academy.trainers["trainer_a"], stats.cohort, "conflict-of-interest"
    )
    assert (analysis.kind, analysis.learners, analysis.test) == ("bank", 5, None)
    single = item(analysis, SINGLE)
    assert single.stats is not None
    assert single.stats.facility == pytest.approx(0.6)
    scores = [round(t / 3, 4) for t in (3, 2, 2, 1, 0)]  # each attempt's score, 0 to 1
    expected = 100 * statistics.correlation([1, 1, 1, 0, 0], scores)
    assert single.stats.discrimination == pytest.approx(expected)
    assert single.intended_weight is None  # no quiz-level weights for a bank


def test_worst_items_come_flagged_first_then_by_discrimination(stats: Stats) -> None:
    worst = item_analysis.worst_items(stats.academy.trainers["trainer_a"], stats.cohort)
    assert [w.question_id for w in worst] == [TRUE_FALSE, MULTIPLE, SINGLE]
    assert "discriminative efficiency" in worst[0].reason
    assert "least tell stronger learners" in worst[1].reason
    assert worst[0].quiz_id == QUIZ and worst[0].stem
    assert item_analysis.worst_items(stats.academy.trainers["trainer_b"], stats.cohort) == []


def test_misconceptions_are_shared_by_learners_and_by_week(stats: Stats) -> None:
    clock.set_now(T0 + timedelta(days=7))  # next week, in a new sign-in
    take(stats.again("learner_a1"), (0, 0, 0))
    trainer = stats.again("trainer_a")
    report = item_analysis.misconceptions(trainer, stats.cohort)
    found = {m.text: m for m in report.misconceptions}
    labelling = found[LABELLING]
    # coi-001 option a: learner_a4 and learner_a5, then learner_a1's second attempt
    assert (labelling.learners, labelling.chose, labelling.share) == (5, 3, pytest.approx(0.6))
    (behind,) = labelling.items
    assert behind.question_id == SINGLE and behind.options == (
        catalogue().questions[SINGLE].options[0].text,  # type: ignore[union-attr]
    )
    assert [(w.week, w.learners, w.chose) for w in labelling.weeks] == [
        (date(2027, 3, 1), 5, 2),
        (date(2027, 3, 8), None, None),  # one learner that week: hidden
    ]
    # the true/false misconception: only four learners answered that question
    on_duty = found[ON_DUTY]
    assert (on_duty.learners, on_duty.chose, on_duty.share) == (None, None, None)
    # most held first, hidden ones last
    shares = [m.share for m in report.misconceptions]
    shown = [s for s in shares if s is not None]
    assert shown == sorted(shown, reverse=True) and shares[-1] is None
    assert report.misconceptions[0].share == pytest.approx(0.8)  # coi-004's wrong options


def test_misconceptions_in_a_section_under_five_are_all_hidden(stats: Stats) -> None:
    for name, marks in SECTION_B.items():
        take(stats.academy.learners[name], (0, 0, 0) if name == "learner_b1" else marks)
    report = item_analysis.misconceptions(stats.academy.trainers["trainer_b"], stats.cohort)
    assert report.misconceptions
    assert all(m.learners is None and m.share is None for m in report.misconceptions)
    assert all(i.chose is None for m in report.misconceptions for i in m.items)


def test_an_academy_without_attempts_has_nothing_to_show(database: str) -> None:
    academy = make_academy(learners_per_section=5)
    trainer = academy.trainers["trainer_a"]
    cohort = academy.ids["ctp"]
    assert item_analysis.quiz_analysis(trainer, cohort, "ei-quiz").too_few
    assert item_analysis.worst_items(trainer, cohort) == []
    assert item_analysis.misconceptions(trainer, cohort).misconceptions == ()
    assert item_analysis.bank_analysis(trainer, cohort, "conflict-of-interest").items == ()


# ---- the shortcuts give what the full analysis gives ----


def test_worst_items_are_the_full_analysis_worst_on_a_demo_academy(database: str) -> None:
    """worst_items sends only the items that may be among the worst from the database (see
    `item_analysis._shortlist`): its answer is the full ranking's, for any count."""
    from course.services import demo

    demo.build(ADMIN, learners=40, seed=3)
    content = catalogue()
    cohort = next(c for c in cohorts_of() if c[1] == "probationer")[0]
    graded = [q for q in content.track("probationer").quizzes if content.quiz(q).graded]
    ranked = []
    for quiz_id in graded:
        for row in item_analysis.quiz_analysis(ADMIN, cohort, quiz_id, "highest").items:
            if row.stats is not None:
                low = row.stats.discrimination
                ranked.append(((not row.flags, low if low is not None else math.inf), quiz_id, row))
    ranked.sort(key=lambda entry: entry[0])
    assert len(ranked) > 20  # enough items that the shortlist leaves some out
    for count in (1, 3, 8):
        worst = item_analysis.worst_items(ADMIN, cohort, count=count)
        expected = ranked[:count]
        assert [(w.quiz_id, w.question_hash) for w in worst] == [
            (quiz_id, row.question_hash) for _, quiz_id, row in expected
        ]
        for item_found, (_, _, row) in zip(worst, expected, strict=True):
            assert row.stats is not None
            assert item_found.facility == pytest.approx(row.stats.facility)
            assert item_found.discrimination == pytest.approx(row.stats.discrimination)


def cohorts_of() -> list[tuple[int, str]]:
    import sqlalchemy as sa

    from course.store.db import reading
    from course.store.models import Cohort

    with reading() as db:
        return [(int(i), str(t)) for i, t in db.execute(sa.select(Cohort.id, Cohort.track))]


def test_misconceptions_match_a_count_of_every_answer_on_a_demo_academy(database: str) -> None:
    """The misconception report against a count over every answer, made here in Python (a demo
    academy is small): learners who met and chose each one, in all, per question, per week."""
    import sqlalchemy as sa

    from course.services import demo, versions
    from course.store.db import reading
    from course.store.models import Answer, Attempt, Enrolment

    demo.build(ADMIN, learners=40, seed=5)
    cohort = next(c for c in cohorts_of() if c[1] == "probationer")[0]
    met: dict[tuple[str, ...], set[int]] = {}
    chose: dict[tuple[str, ...], set[int]] = {}
    with reading() as db:
        rows = db.execute(
            sa.select(Attempt.user_id, Answer.question_id, Answer.question_hash, Answer.response)
            .add_columns(Answer.answered_at)
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .join(Enrolment, Enrolment.user_id == Attempt.user_id)
            .where(
                Enrolment.cohort_id == cohort,
                Enrolment.role == "learner",
                Attempt.finished_at.is_not(None),
            )
        ).all()
        for user_id, question_id, question_hash, response, answered_at in rows:
            if question_id not in catalogue().questions:
                continue
            question = versions.question(db, question_hash)
            named = {o[0]: o[3] for o in item_analysis.options_of(question) if o[3] and not o[2]}
            picked = set(item_analysis.chosen_options(question, response or {}))
            day = answered_at.astimezone(UTC).date()
            monday = (day - timedelta(days=day.weekday())).isoformat()
            for option_id, text in named.items():
                for key in (("all", text), ("question", text, question_id), ("week", text, monday)):
                    met.setdefault(key, set()).add(user_id)
                    if option_id in picked:
                        chose.setdefault(key, set()).add(user_id)
    report = item_analysis.misconceptions(ADMIN, cohort)

    def expected(*key: str) -> tuple[int | None, int | None]:
        learners, chosen = len(met.get(key, ())), len(chose.get(key, ()))
        return (learners, chosen) if learners >= 5 else (None, None)

    assert {m.text for m in report.misconceptions} == {k[1] for k in met if k[0] == "all"}
    for found in report.misconceptions:
        assert (found.learners, found.chose) == expected("all", found.text)
        assert {i.question_id for i in found.items} == {
            k[2] for k in met if k[:2] == ("question", found.text)
        }
        for behind in found.items:
            assert (behind.learners, behind.chose) == expected(
                "question", found.text, behind.question_id
            )
        for week in found.weeks:  # every week of the report, with or without answers
            assert (week.learners, week.chose) == expected(
                "week", found.text, week.week.isoformat()
            )
