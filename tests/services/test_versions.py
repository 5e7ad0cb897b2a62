"""Content changed after it was used: plays and attempts keep the versions they started with,
reviews keep the rules they cited, and work on content that left a course stays readable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from course.content import current
from course.errors import NotAllowed
from course.services import learner_home, quizzes, scenarios
from tests.conftest import Academy
from tests.helpers import add_quiz, answer_all, best_path, edit_yaml, play_through


@pytest.fixture
def editable(content: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The academy runs on a private copy of the content, which the test then edits."""
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    current.forget()
    yield content
    current.forget()


def edit_module(root: Path, module_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / "modules" / module_id / "module.md"
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    change(data)
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path.write_text(f"---\n{dumped}---\n{body}", encoding="utf-8")
    current.forget()
    assert current.catalogue().module(module_id)  # the edited content still loads


def rename_situation(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    """An edit that removes situation `old` from the module (it comes back under `new`)."""

    def change(data: dict[str, Any]) -> None:
        for situation in data["scenario"]["situations"]:
            if situation["id"] == old:
                situation["id"] = new
            for choice in situation.get("choices", []):
                if choice["next"] == old:
                    choice["next"] = new
                choice["text"] = "(Rewritten) " + choice["text"]

    return change


def test_a_play_in_progress_survives_its_situation_leaving_the_module(
    academy: Academy, editable: Path
) -> None:
    learner = academy.learners["learner_a1"]
    play = scenarios.begin(learner, "walk-away")
    first = best_path("walk-away")[0]
    play = scenarios.choose(learner, play.id, 0, first.choice_id)
    play = scenarios.carry_on(learner, play.id)
    here = play.situation
    edit_module(editable, "walk-away", rename_situation(here.id, here.id + "-new"))
    resumed = scenarios.latest_play(learner, "walk-away")
    assert resumed is not None and resumed.situation == here  # the version it started with
    choice = here.choices[0]
    assert not choice.text.startswith("(Rewritten)")
    after = scenarios.choose(learner, play.id, 1, choice.id)
    assert after.last_choice == choice
    fresh = play_through(academy.learners["learner_a2"], "walk-away")  # a new play: new version
    assert fresh.debrief is not None
    assert all(c.text.startswith("(Rewritten)") for _, c in fresh.debrief.taken)


def test_a_finished_plays_debrief_survives_the_module_changing(
    academy: Academy, editable: Path
) -> None:
    learner = academy.learners["learner_a1"]
    before = play_through(learner, "walk-away")
    visited = before.steps[1].situation_id
    edit_module(editable, "walk-away", rename_situation(visited, visited + "-new"))
    after = scenarios.latest_play(learner, "walk-away")
    assert after is not None and after.debrief == before.debrief
    assert after.debrief is not None and after.debrief.grade.label == "best"


def test_a_review_still_shows_a_rule_that_left_the_library(
    academy: Academy, editable: Path
) -> None:
    learner = academy.learners["learner_a1"]
    rule = "pk-cr-r20-21-media"  # cited by ei-014 alone, beside other rules

    add_quiz(
        editable,
        {
            "id": "media-check",
            "title": "Media check",
            "questions": ["ei-014"],
            "attempts": 1,  # a graded quiz shows its key after the only attempt
            "review": {"after_attempt": ["score", "correctness", "feedback", "key"]},
        },
    )
    started = quizzes.start_attempt(learner, "media-check")
    answer_all(learner, started.id, right=1)
    quizzes.finish_attempt(learner, started.id)
    cited = quizzes.attempt_view(learner, started.id).slots[0].rules
    title = next(r.title for r in cited if r.id == rule)

    def drop_rule(data: list[dict[str, Any]]) -> None:
        data[:] = [r for r in data if r["id"] != rule]

    def uncite(data: dict[str, Any]) -> None:
        for question in data["questions"]:
            question["rules"] = [r for r in question["rules"] if r != rule]

    def unlist(acts: list[dict[str, Any]]) -> None:
        for act in acts:
            act["rules"] = [r for r in act["rules"] if r != rule]

    edit_yaml(editable / "rules" / "rules.yaml", drop_rule)
    edit_yaml(editable / "rules" / "acts.yaml", unlist)
    edit_yaml(editable / "quizzes" / "banks" / "epistemic-insularity.yaml", uncite)
    assert rule not in current.catalogue().rules
    kept = quizzes.attempt_view(learner, started.id).slots[0].rules
    gone = next(r for r in kept if r.id == rule)
    assert (gone.title, gone.in_library) == (title, False)


def test_work_on_a_module_and_quiz_that_left_the_course_stays_readable(
    academy: Academy, editable: Path
) -> None:
    learner = academy.learners["learner_a1"]
    play_through(learner, "walk-away")
    started = quizzes.start_attempt(learner, "ei-quiz")
    answer_all(learner, started.id, right=8)
    quizzes.finish_attempt(learner, started.id)

    def drop(data: list[dict[str, Any]]) -> None:
        for track in data:
            if track["id"] == "probationer":
                track["modules"] = [m for m in track["modules"] if m != "walk-away"]
            else:  # the module moves to the other track: it stays in the content
                track["modules"].append("walk-away")
            track["quizzes"] = [q for q in track["quizzes"] if q != "ei-quiz"]

    def untrack(data: list[dict[str, Any]]) -> None:
        for quiz in data:
            if quiz["id"] == "ei-quiz":
                quiz["tracks"] = []

    edit_yaml(editable / "tracks.yaml", drop)
    edit_yaml(editable / "quizzes" / "quizzes.yaml", untrack)
    edit_module(editable, "walk-away", lambda data: data.update(tracks=["refresher"]))
    home = learner_home.home(learner)
    assert [m.module.id for m in home.earlier_modules] == ["walk-away"]
    assert [q.quiz.id for q in home.earlier_quizzes] == ["ei-quiz"]
    play = scenarios.latest_play(learner, "walk-away")
    assert play is not None and not play.may_play and play.debrief is not None
    with pytest.raises(NotAllowed):
        scenarios.begin(learner, "walk-away")
    standing = quizzes.status(learner, "ei-quiz")
    assert not standing.may_take and standing.grade is not None and standing.grade.score == 0.8
    assert quizzes.attempt_view(learner, started.id).verdict is not None
    with pytest.raises(NotAllowed):
        quizzes.start_attempt(learner, "ei-quiz")
    with pytest.raises(NotAllowed):  # someone who never took it cannot open it
        quizzes.status(academy.learners["learner_a2"], "ei-quiz")


def test_an_attempt_keeps_its_quiz_after_the_quiz_is_removed(
    academy: Academy, editable: Path
) -> None:
    learner = academy.learners["learner_a1"]
    started = quizzes.start_attempt(learner, "ei-quiz")
    answer_all(learner, started.id, right=7)
    quizzes.finish_attempt(learner, started.id)

    def drop_quiz(data: list[dict[str, Any]]) -> None:
        data[:] = [q for q in data if q["id"] != "ei-quiz"]

    def untrack(data: list[dict[str, Any]]) -> None:
        for track in data:
            track["quizzes"] = [q for q in track["quizzes"] if q != "ei-quiz"]

    edit_yaml(editable / "tracks.yaml", untrack)
    edit_yaml(editable / "quizzes" / "quizzes.yaml", drop_quiz)
    assert "ei-quiz" not in current.catalogue().quizzes
    view = quizzes.attempt_view(learner, started.id)
    assert view.quiz.id == "ei-quiz" and view.verdict is not None and view.verdict.passed
    standing = quizzes.status(learner, "ei-quiz")
    assert standing.grade is not None and standing.grade.shown == "70%"
