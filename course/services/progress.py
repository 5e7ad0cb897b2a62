"""A learner's home: their track, each module's status and time, and what to do next."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from course.content.current import catalogue
from course.content.schema import Module, Track
from course.services.access import Actor, learner_enrolments
from course.store.db import reading
from course.store.models import Cohort, ScenarioPlay


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    status: str  # not started | in progress | completed
    plays: int


@dataclass(frozen=True)
class Home:
    cohort: str | None
    track: Track | None
    modules: tuple[ModuleStatus, ...]

    @property
    def next_module(self) -> ModuleStatus | None:
        for wanted in ("in progress", "not started"):
            for one in self.modules:
                if one.status == wanted:
                    return one
        return None

    @property
    def completed(self) -> int:
        return sum(1 for m in self.modules if m.status == "completed")


def home(actor: Actor) -> Home:
    """The learner's current track and where they stand in each of its modules."""
    with reading() as db:
        enrolments = learner_enrolments(db, actor)
        if not enrolments:
            return Home(cohort=None, track=None, modules=())
        cohort = db.get(Cohort, enrolments[-1].cohort_id)
        assert cohort is not None
        track = catalogue().track(cohort.track)
        rows = db.execute(
            sa.select(
                ScenarioPlay.module_id,
                sa.func.count(),
                sa.func.count(ScenarioPlay.finished_at),
            )
            .where(ScenarioPlay.user_id == actor.user_id)
            .group_by(ScenarioPlay.module_id)
        ).all()
    started = {module_id: (plays, finished) for module_id, plays, finished in rows}
    statuses = []
    for module in catalogue().track_modules(track.id):
        plays, finished = started.get(module.id, (0, 0))
        status = "completed" if finished else "in progress" if plays else "not started"
        statuses.append(ModuleStatus(module=module, status=status, plays=plays))
    return Home(cohort=cohort.name, track=track, modules=tuple(statuses))
