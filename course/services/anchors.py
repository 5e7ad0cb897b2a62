"""Learning over time, per cohort, from the anchor check (course/learning/anchors.py): the
learning gain of a probationer cohort (before and after), and the retention of a refresher
cohort (score against the time since training). Totals only, so a cohort's viewers see them
too; a figure for fewer than MIN_GROUP learners is not shown, nor is its count.

An officer's training date is when they completed the probationer course: their probationer
certificate, else their first finished final assessment. Officers trained before the course
kept records have none, and are left out of the retention chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course.content.current import catalogue
from course.learning import anchors
from course.services.access import Actor, learners_in_view
from course.services.item_analysis import CohortScope, kept_report
from course.services.reports import MIN_GROUP
from course.store.models import Attempt, Certificate, Enrolment

PROBATIONER = "probationer"


@dataclass(frozen=True)
class LearningOverTime:
    anchor: str | None  # the anchor check's title; None: the track has none
    measures: str  # "gain" (a cohort in training) or "retention" (serving officers)
    gain: anchors.Gain | None  # None: fewer than MIN_GROUP learners with both scores
    bands: tuple[anchors.Band, ...]
    officers_shown: bool  # whether some band of time since training holds MIN_GROUP officers


def learning_over_time(actor: Actor, cohort_id: int) -> LearningOverTime:
    """Kept like the other cohort reports (course/services/report_cache.py): a new anchor
    sitting, final attempt or certificate comes with a finished attempt or play, which moves
    the fingerprint."""
    return kept_report(actor, cohort_id, ("learning over time",), _learning_over_time)


def _learning_over_time(db: Session, scope: CohortScope) -> LearningOverTime:
    track = catalogue().track(scope.track)
    finals = [q for q in track.quizzes if catalogue().quiz(q).kind == "final"]
    measures = "gain" if finals else "retention"
    if track.anchor is None:
        return LearningOverTime(None, measures, None, (), False)
    learners = sa.select(Enrolment.user_id).where(learners_in_view(scope.cohort_id, scope.sections))
    sittings = [
        anchors.Sitting(user_id, finished_at, score)
        for user_id, finished_at, score in db.execute(
            sa.select(Attempt.user_id, Attempt.finished_at, Attempt.score).where(
                Attempt.quiz_id == track.anchor,
                Attempt.user_id.in_(learners),
                Attempt.finished_at.is_not(None),
                Attempt.score.is_not(None),
            )
        )
        if finished_at is not None and score is not None  # (as the query asks)
    ]
    title = catalogue().quiz(track.anchor).title
    if measures == "gain":
        done = _first_finished(db, learners, finals)
        found = anchors.gain(anchors.pre_post(sittings, done), MIN_GROUP)
        return LearningOverTime(title, measures, found, (), False)
    trained = _trained(db, learners)
    latest: dict[Any, anchors.Sitting] = {}
    for one in sorted(sittings, key=lambda s: s.finished_at):
        latest[one.learner] = one
    points = [
        (anchors.months_between(trained[learner], one.finished_at), one.score)
        for learner, one in latest.items()
        if learner in trained
    ]
    bands = anchors.retention(points, MIN_GROUP)
    shown = any(b.mean is not None for b in bands)
    return LearningOverTime(title, measures, None, tuple(bands), shown)


def _first_finished(
    db: Session, learners: sa.Select[Any], quizzes: list[str]
) -> dict[Any, datetime]:
    return {
        user_id: first
        for user_id, first in db.execute(
            sa.select(Attempt.user_id, sa.func.min(Attempt.finished_at))
            .where(Attempt.user_id.in_(learners), Attempt.quiz_id.in_(quizzes))
            .group_by(Attempt.user_id)
        )
        if first is not None
    }


def _trained(db: Session, learners: sa.Select[Any]) -> dict[Any, datetime]:
    """When each learner completed the probationer course, where the records say."""
    finals = [q.id for q in catalogue().quizzes.values() if q.kind == "final"]
    trained = _first_finished(db, learners, finals)
    for user_id, completed in db.execute(
        sa.select(Certificate.user_id, sa.func.min(Certificate.completed_at))
        .where(Certificate.user_id.in_(learners), Certificate.track == PROBATIONER)
        .group_by(Certificate.user_id)
    ):
        if completed is not None:
            trained[user_id] = completed  # the certificate is the record of completion
    return trained
