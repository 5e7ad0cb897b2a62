"""A learner's home: their track, each module's status and time, their quizzes, what is next,
and earlier work on modules and quizzes that have since left their course."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from course import clock
from course.content.current import catalogue
from course.content.schema import Module, Track
from course.learning import anchors
from course.services import certificates, quizzes, versions
from course.services.access import Actor, acting, active
from course.services.quizzes import QuizStatus
from course.store.db import reading
from course.store.models import Cohort, Enrolment, ScenarioPlay


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
    quizzes: tuple[QuizStatus, ...]  # those that count towards the course
    earlier_modules: tuple[ModuleStatus, ...]  # played, but no longer in the course
    earlier_quizzes: tuple[QuizStatus, ...]  # taken, but no longer in the course
    anchor: QuizStatus | None = None  # the anchor check the track offers
    anchor_prompt: str | None = None  # what to do about it now (None: nothing)
    certificates: tuple[certificates.CertificateView, ...] = ()  # newest first

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


def _status(plays: int, finished: int) -> str:
    return "completed" if finished else "in progress" if plays else "not started"


def _anchor_prompt(
    anchor: QuizStatus, current: list[QuizStatus], track: Track | None
) -> str | None:
    finals = [s.finished_at for q in current if q.quiz.kind == "final" for s in q.scores]
    return anchors.prompt(
        [s.finished_at for s in anchor.scores],
        min(finals, default=None),
        clock.now(),
        track.certificate_months if track is not None else None,
    )


def home(actor: Actor) -> Home:
    """The learner's current track and where they stand in each of its modules and quizzes."""
    with reading() as db:
        me = acting(db, actor)
        cohorts = db.execute(
            active(
                sa.select(Cohort.name, Cohort.track)
                .join(Enrolment, Enrolment.cohort_id == Cohort.id)
                .where(Enrolment.user_id == me.user_id, Enrolment.role == "learner")
            ).order_by(Enrolment.starts_at)
        ).all()
        rows = db.execute(
            sa.select(
                ScenarioPlay.module_id,
                sa.func.count(),
                sa.func.count(ScenarioPlay.finished_at),
                sa.func.max(ScenarioPlay.module_hash),
            )
            .where(ScenarioPlay.user_id == me.user_id)
            .group_by(ScenarioPlay.module_id)
        ).all()
        started = {module_id: (plays, done, digest) for module_id, plays, done, digest in rows}
        tracks = {c.track for c in cohorts}
        current, earlier = quizzes.standings(db, me, tracks, ("competency", "final", "anchor"))
        offered = [s for s in current if s.quiz.kind == "anchor"]
        current = [s for s in current if s.quiz.kind != "anchor"]
        assert me.user_id is not None
        held = certificates.held(db, me.user_id)
        cohort = cohorts[-1] if cohorts else None  # the latest enrolment is the course now
        track = catalogue().track(cohort.track) if cohort is not None else None
        modules = catalogue().track_modules(track.id) if track is not None else []
        in_course = {m.id for m in modules}
        statuses = tuple(
            ModuleStatus(m, _status(*started.get(m.id, (0, 0, ""))[:2]), started.get(m.id, (0,))[0])
            for m in modules
        )
        earlier_modules = tuple(
            ModuleStatus(versions.module(db, digest, module_id), _status(plays, done), plays)
            for module_id, (plays, done, digest) in started.items()
            if module_id not in in_course
        )
    anchor = next((s for s in offered if track is not None and s.quiz.id == track.anchor), None)
    return Home(
        certificates=tuple(held),
        anchor=anchor,
        anchor_prompt=_anchor_prompt(anchor, current, track) if anchor is not None else None,
        cohort=cohort.name if cohort is not None else None,
        track=track,
        modules=statuses,
        quizzes=tuple(current),
        earlier_modules=earlier_modules,
        earlier_quizzes=tuple(earlier),
    )
