"""The shipped course meets the floors its issue sets: modules, decision points, bank sizes,
hard items, the final assessment, refresher modules, and review before approval."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.content.catalogue import Catalogue
from course.content.loader import load
from course.learning.scenario import all_paths

PROJECT = Path(__file__).resolve().parents[2]
COMPETENCIES = ("epistemic-insularity", "conflict-of-interest", "ethical-engagement")


@pytest.fixture(scope="module")
def course() -> Catalogue:
    catalogue, problems = load(PROJECT)
    assert problems == []
    return catalogue


def test_the_probationer_course_has_eleven_modules_of_four_decisions_or_more(
    course: Catalogue,
) -> None:
    modules = course.track_modules("probationer")
    assert len(modules) >= 11
    assert all(m.scenario.decision_points >= 4 for m in modules)


def test_the_refresher_has_short_modules_and_three_from_a_serving_officers_seat(
    course: Catalogue,
) -> None:
    modules = course.track_modules("refresher")
    short = [m for m in modules if m.estimated_minutes <= 15]
    serving = [m for m in modules if not m.id.endswith("-brief")]
    assert len(short) >= 3
    assert len(serving) >= 3
    assert all(m.scenario.decision_points >= 4 for m in modules)


def test_every_bank_competency_has_45_graded_questions_a_third_of_them_hard(
    course: Catalogue,
) -> None:
    for competency in COMPETENCIES:
        graded = course.pool(competency, use="graded")
        assert len(graded) >= 45, competency
        hard = sum(1 for q in graded if q.difficulty == "hard")
        assert hard * 3 >= len(graded), f"{competency}: {hard} hard of {len(graded)}"


def test_the_final_assessment_asks_thirty_questions_across_the_competencies(
    course: Catalogue,
) -> None:
    final = course.quiz("final-assessment")
    assert final.size >= 30
    assert {d.competency for d in final.draws} == set(COMPETENCIES)


def test_every_decision_point_has_one_best_choice_and_every_path_ends(
    course: Catalogue,
) -> None:
    for module in course.modules.values():
        for situation in module.scenario.situations:
            if situation.choices:
                bests = [c for c in situation.choices if c.grade == "best"]
                assert len(bests) == 1, f"{module.id} {situation.id}"
        assert all_paths(module.scenario), module.id


def test_approved_modules_name_their_review(course: Catalogue) -> None:
    review = (PROJECT / "docs" / "content-review.md").read_text(encoding="utf-8")
    for module in course.modules.values():
        if module.status == "approved":
            assert module.reviewer and "content-review" in module.reviewer, module.id
            assert f"`{module.id}`" in review, f"{module.id} is approved but not in the review"
