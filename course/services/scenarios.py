"""Playing a scenario module: reading, choices, consequences, debrief and private reflection.

A play keeps the version of the module it started with, so later edits never break it; a
learner whose course no longer has the module can still read their finished plays.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course import clock
from course.content.current import catalogue
from course.content.schema import Choice, Module, Situation
from course.errors import BadInput, Conflict, NotAllowed, NotFound
from course.learning import scenario as walking
from course.services import certificates, versions
from course.services.access import Actor, acting, learner_tracks
from course.store.db import reading, transaction
from course.store.models import ScenarioPlay, ScenarioStep

REFLECTION_LIMIT = 5000
_shuffler = random.SystemRandom()  # each play's choice order; not to be guessed from the last
NOT_IN_COURSE = "This module is not part of a course you are enrolled in."


@dataclass(frozen=True)
class Play:
    """A play as the learner's page needs it."""

    id: int
    module: Module  # the version the play started with
    stage: str  # reading | scenario | feedback | debrief
    situation: Situation
    choices: tuple[Choice, ...]  # the situation's choices in the order this play shows them
    steps: tuple[walking.Step, ...]
    last_choice: Choice | None
    cited: tuple[versions.CitedRule, ...]  # the rules the last choice turns on
    reflection: str | None
    finished: bool
    may_play: bool  # False: the module has left the learner's course (read-only)
    debrief: walking.Debrief | None  # set once the play has reached an ending

    @property
    def step_no(self) -> int:
        return len(self.steps)


def _in_course(db: Session, actor: Actor, module_id: str) -> bool:
    module = catalogue().modules.get(module_id)
    return (
        module is not None
        and module.status == "approved"
        and bool(set(module.tracks) & learner_tracks(db, actor))
    )


def _module_to_play(db: Session, actor: Actor, module_id: str) -> Module:
    module = catalogue().module(module_id)
    if not _in_course(db, actor, module_id):
        raise NotAllowed(NOT_IN_COURSE)
    return module


def _own_play(db: Session, actor: Actor, play_id: int, lock: bool = True) -> ScenarioPlay:
    # the row lock queues a second tab's write behind the first (SQLite: BEGIN IMMEDIATE does it)
    play = db.get(ScenarioPlay, play_id, with_for_update=lock)
    if play is None or play.user_id != actor.user_id:
        # the same answer for "missing" and "someone else's": ids reveal nothing
        raise NotFound("There is no such play of yours.")
    return play


def _latest(db: Session, actor: Actor, module_id: str) -> ScenarioPlay | None:
    return db.scalar(
        sa.select(ScenarioPlay)
        .where(ScenarioPlay.user_id == actor.user_id, ScenarioPlay.module_id == module_id)
        .order_by(ScenarioPlay.play_no.desc())
        .limit(1)
    )


def _view(db: Session, play: ScenarioPlay, may_play: bool) -> Play:
    module = versions.module(db, play.module_hash, play.module_id)
    steps = tuple(
        walking.Step(situation_id, choice_id)
        for situation_id, choice_id in db.execute(
            sa.select(ScenarioStep.situation_id, ScenarioStep.choice_id)
            .where(ScenarioStep.play_id == play.id)
            .order_by(ScenarioStep.step_no)
        )
    )
    try:
        scenario = module.scenario
        last = None
        if steps:
            last = scenario.situation(steps[-1].situation_id).choice(steps[-1].choice_id)
        situation = scenario.situation(play.situation_id)
        finished = play.finished_at is not None
        debrief = walking.debrief(scenario, steps) if finished and steps else None
    except (KeyError, ValueError):  # only plays older than kept module versions can get here
        raise Conflict(
            "This play was made with an earlier version of the module that was not kept. "
            "Start the module again."
        ) from None
    return Play(
        id=play.id,
        module=module,
        stage=play.stage,
        situation=situation,
        choices=tuple(walking.in_order(situation, play.choice_order)),
        steps=steps,
        last_choice=last,
        cited=versions.cited_rules(db, last.rules, module.about) if last else (),
        reflection=play.reflection,
        finished=finished,
        may_play=may_play,
        debrief=debrief,
    )


def preview(actor: Actor, module_id: str) -> Module:
    """A module of the learner's course, to read before the first play."""
    with reading() as db:
        return _module_to_play(db, acting(db, actor), module_id)


def latest_play(actor: Actor, module_id: str) -> Play | None:
    """The learner's most recent play of a module, wherever they left it.

    A module that has left the learner's course is still readable where they have played it.
    """
    with reading() as db:
        me = acting(db, actor)
        may_play = _in_course(db, me, module_id)
        play = _latest(db, me, module_id)
        if play is None:
            if not may_play:
                catalogue().module(module_id)  # an unknown module says so
                raise NotAllowed(NOT_IN_COURSE)
            return None
        return _view(db, play, may_play)


def start_play(actor: Actor, module_id: str) -> Play:
    """Start a play at the reading, or return the unfinished one (a double click starts one)."""
    return _start(actor, module_id, to_scenario=False)


def begin(actor: Actor, module_id: str) -> Play:
    """From the reading into the first situation: the unfinished play, or a new one."""
    return _start(actor, module_id, to_scenario=True)


def _start(actor: Actor, module_id: str, to_scenario: bool, retry: bool = True) -> Play:
    try:
        with transaction() as db:
            me = acting(db, actor)
            module = _module_to_play(db, me, module_id)
            latest = _latest(db, me, module_id)
            if latest is not None and latest.finished_at is None:
                play = latest
            else:
                versions.pin_module(db, module)
                play = ScenarioPlay(
                    user_id=me.user_id,
                    module_id=module.id,
                    play_no=(latest.play_no if latest else 0) + 1,
                    module_version=module.version,
                    module_hash=module.content_hash,
                    stage="reading",
                    situation_id=module.scenario.start,
                    choice_order=walking.choice_orders(module.scenario, _shuffler),
                    started_at=clock.now(),
                )
                db.add(play)
                db.flush()
            if to_scenario and play.stage == "reading":
                play.stage = "scenario"
            return _view(db, play, may_play=True)
    except IntegrityError:  # another tab started it a moment ago: take that one
        if not retry:
            raise
        return _start(actor, module_id, to_scenario, retry=False)


def begin_scenario(actor: Actor, play_id: int) -> Play:
    """Leave the reading for the first situation (harmless if already done)."""
    with transaction() as db:
        me = acting(db, actor)
        play = _own_play(db, me, play_id)
        _module_to_play(db, me, play.module_id)
        if play.stage == "reading":
            play.stage = "scenario"
        return _view(db, play, may_play=True)


def choose(actor: Actor, play_id: int, step_no: int, choice_id: str) -> Play:
    """Record the choice for step `step_no`; a repeat of an answered step changes nothing."""
    with transaction() as db:
        me = acting(db, actor)
        play = _own_play(db, me, play_id)
        _module_to_play(db, me, play.module_id)
        module = versions.module(db, play.module_hash, play.module_id)
        taken = db.scalar(sa.select(sa.func.count()).where(ScenarioStep.play_id == play.id)) or 0
        if step_no < taken:  # double click or second tab: keep the first choice
            return _view(db, play, may_play=True)
        if play.stage != "scenario" or step_no != taken:
            raise Conflict("This step has moved on; the page now shows where you are.")
        try:
            choice, after = walking.take(module.scenario, play.situation_id, choice_id)
        except ValueError as problem:
            raise BadInput(str(problem)) from None
        now = clock.now()
        db.add(
            ScenarioStep(
                play_id=play.id,
                module_id=module.id,
                step_no=step_no,
                situation_id=play.situation_id,
                choice_id=choice.id,
                grade=choice.grade,
                chosen_at=now,
            )
        )
        play.situation_id = after.id
        play.stage = "feedback"
        if after.ending:
            play.ending_id = after.id
            play.finished_at = now
        db.flush()
        if after.ending:  # the last module may complete the course
            certificates.award(db, play.user_id, now)
        return _view(db, play, may_play=True)


def carry_on(actor: Actor, play_id: int) -> Play:
    """After reading a consequence: the next situation, or the debrief at an ending."""
    with transaction() as db:
        me = acting(db, actor)
        play = _own_play(db, me, play_id)
        _module_to_play(db, me, play.module_id)
        if play.stage == "feedback":
            play.stage = "debrief" if play.finished_at is not None else "scenario"
        return _view(db, play, may_play=True)


def save_reflection(actor: Actor, play_id: int, text: str) -> None:
    """Keep the learner's private reflection (visible to nobody else)."""
    if len(text) > REFLECTION_LIMIT:
        raise BadInput(f"Keep the reflection under {REFLECTION_LIMIT:,} characters.")
    with transaction() as db:
        me = acting(db, actor)
        play = _own_play(db, me, play_id)
        _module_to_play(db, me, play.module_id)
        play.reflection = text.strip() or None
        play.reflection_at = clock.now()
