"""Playing a scenario module: reading, choices, consequences, debrief and private reflection."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course import clock
from course.content.current import catalogue
from course.content.schema import Choice, Module, Situation
from course.errors import BadInput, Conflict, NotAllowed, NotFound
from course.learning import scenario as walk
from course.services.access import Actor, learner_enrolments
from course.store.db import reading, transaction
from course.store.models import Cohort, ScenarioPlay, ScenarioStep

REFLECTION_LIMIT = 5000


@dataclass(frozen=True)
class Play:
    """A play as the learner's page needs it."""

    id: int
    module: Module
    stage: str  # reading | scenario | feedback | debrief
    situation: Situation
    steps: tuple[walk.Step, ...]
    last_choice: Choice | None
    reflection: str | None
    finished: bool

    @property
    def step_no(self) -> int:
        return len(self.steps)


def _tracks(db: Session, actor: Actor) -> set[str]:
    cohort_ids = [e.cohort_id for e in learner_enrolments(db, actor)]
    return set(db.scalars(sa.select(Cohort.track).where(Cohort.id.in_(cohort_ids))))


def _module_for(db: Session, actor: Actor, module_id: str) -> Module:
    module = catalogue().module(module_id)
    if module.status != "approved":
        raise NotFound(f"Module '{module_id}' is not available.")
    if not set(module.tracks) & _tracks(db, actor):
        raise NotAllowed("This module is not part of a course you are enrolled in.")
    return module


def _own_play(db: Session, actor: Actor, play_id: int) -> ScenarioPlay:
    # the row lock queues a second tab's write behind the first (SQLite: BEGIN IMMEDIATE does it)
    play = db.get(ScenarioPlay, play_id, with_for_update=True)
    if play is None or play.user_id != actor.user_id:
        # the same answer for "missing" and "someone else's": ids reveal nothing
        raise NotFound("There is no such play of yours.")
    return play


def _view(play: ScenarioPlay, module: Module) -> Play:
    steps = tuple(walk.Step(s.situation_id, s.choice_id) for s in play.steps)
    last = None
    if steps:
        last = module.scenario.situation(steps[-1].situation_id).choice(steps[-1].choice_id)
    return Play(
        id=play.id,
        module=module,
        stage=play.stage,
        situation=module.scenario.situation(play.situation_id),
        steps=steps,
        last_choice=last,
        reflection=play.reflection,
        finished=play.finished_at is not None,
    )


def latest_play(actor: Actor, module_id: str) -> Play | None:
    """The learner's most recent play of a module, wherever they left it."""
    with reading() as db:
        module = _module_for(db, actor, module_id)
        play = db.scalar(
            sa.select(ScenarioPlay)
            .where(
                ScenarioPlay.user_id == actor.user_id,
                ScenarioPlay.module_id == module_id,
            )
            .order_by(ScenarioPlay.play_no.desc())
            .limit(1)
        )
        return _view(play, module) if play else None


def start_play(actor: Actor, module_id: str) -> Play:
    """Start a play, or return the unfinished one (a double click starts one play)."""
    try:
        with transaction() as db:
            module = _module_for(db, actor, module_id)
            plays = db.scalars(
                sa.select(ScenarioPlay)
                .where(
                    ScenarioPlay.user_id == actor.user_id,
                    ScenarioPlay.module_id == module_id,
                )
                .order_by(ScenarioPlay.play_no)
            ).all()
            if plays and plays[-1].finished_at is None:
                return _view(plays[-1], module)
            play = ScenarioPlay(
                user_id=actor.user_id,
                module_id=module.id,
                play_no=len(plays) + 1,
                module_version=module.version,
                module_hash=module.content_hash,
                stage="reading",
                situation_id=module.scenario.start,
                started_at=clock.now(),
            )
            db.add(play)
            db.flush()
            return _view(play, module)
    except IntegrityError:  # another tab started it a moment ago
        found = latest_play(actor, module_id)
        assert found is not None
        return found


def begin_scenario(actor: Actor, play_id: int) -> Play:
    """Leave the reading for the first situation (harmless if already done)."""
    with transaction() as db:
        play = _own_play(db, actor, play_id)
        module = _module_for(db, actor, play.module_id)
        if play.stage == "reading":
            play.stage = "scenario"
        return _view(play, module)


def choose(actor: Actor, play_id: int, step_no: int, choice_id: str) -> Play:
    """Record the choice for step `step_no`; a repeat of an answered step changes nothing."""
    with transaction() as db:
        play = _own_play(db, actor, play_id)
        module = _module_for(db, actor, play.module_id)
        if step_no < len(play.steps):  # double click or second tab: keep the first choice
            return _view(play, module)
        if play.stage != "scenario" or step_no != len(play.steps):
            raise Conflict("This step has moved on; the page now shows where you are.")
        try:
            choice, after = walk.take(module.scenario, play.situation_id, choice_id)
        except ValueError as problem:
            raise BadInput(str(problem)) from None
        play.steps.append(
            ScenarioStep(
                module_id=module.id,
                step_no=step_no,
                situation_id=play.situation_id,
                choice_id=choice.id,
                grade=choice.grade,
                chosen_at=clock.now(),
            )
        )
        play.situation_id = after.id
        play.stage = "feedback"
        if after.ending:
            play.ending_id = after.id
            play.finished_at = clock.now()
        return _view(play, module)


def carry_on(actor: Actor, play_id: int) -> Play:
    """After reading a consequence: the next situation, or the debrief at an ending."""
    with transaction() as db:
        play = _own_play(db, actor, play_id)
        module = _module_for(db, actor, play.module_id)
        if play.stage == "feedback":
            play.stage = "debrief" if play.finished_at is not None else "scenario"
        return _view(play, module)


def save_reflection(actor: Actor, play_id: int, text: str) -> None:
    """Keep the learner's private reflection (visible to nobody else)."""
    if len(text) > REFLECTION_LIMIT:
        raise BadInput(f"Keep the reflection under {REFLECTION_LIMIT} characters.")
    with transaction() as db:
        play = _own_play(db, actor, play_id)
        play.reflection = text.strip() or None
        play.reflection_at = clock.now()
