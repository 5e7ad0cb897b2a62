"""Helpers shared by the service, page and browser tests: play a module, answer a quiz."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from course.content import current
from course.content.current import catalogue
from course.learning import scenario as walking
from course.learning.responses import right_response, wrong_response
from course.services import quizzes, scenarios
from course.services.access import Actor


def best_path(module_id: str) -> list[walking.Step]:
    scenario = catalogue().module(module_id).scenario
    steps, here = [], scenario.situation(scenario.start)
    while not here.ending:
        choice = next(c for c in here.choices if c.grade == "best")
        steps.append(walking.Step(here.id, choice.id))
        here = scenario.situation(choice.next)
    return steps


def play_through(actor: Actor, module_id: str) -> scenarios.Play:
    """Play a module along its best path to the debrief."""
    play = scenarios.begin(actor, module_id)
    for number, step in enumerate(best_path(module_id)):
        play = scenarios.choose(actor, play.id, number, step.choice_id)
        play = scenarios.carry_on(actor, play.id)
    return play


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Change a content file (comments are lost: for the tests' private copies only)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    current.forget()


def add_quiz(root: Path, quiz: dict[str, Any], track: str = "probationer") -> None:
    """Add a quiz to a content copy and to one of its tracks."""
    quiz = {"kind": "competency", "tracks": [track], "pass_mark": 0.5, **quiz}

    def list_it(tracks: list[dict[str, Any]]) -> None:
        next(t for t in tracks if t["id"] == track)["quizzes"].append(quiz["id"])

    edit_yaml(root / "tracks.yaml", list_it)
    edit_yaml(root / "quizzes" / "quizzes.yaml", lambda quizzes: quizzes.append(quiz))


right_answer = right_response
wrong_answer = wrong_response


def answer_all(actor: Actor, attempt_id: int, right: int) -> None:
    """Answer the first `right` slots rightly and the rest wrongly."""
    view = quizzes.attempt_view(actor, attempt_id)
    for slot in view.slots:
        answer = right_answer if slot.slot < right else wrong_answer
        quizzes.record_answer(actor, attempt_id, slot.slot, answer(slot.question))
