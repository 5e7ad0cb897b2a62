"""Scenario analytics for trainers: how a cohort chooses at each decision point, the paths it
takes through a module, and which choices go with low quiz scores.

Scenario choices are formative and private (DESIGN.md, Stakes): everything here is a count of
learners over the sections the trainer trains, and any group under MIN_GROUP learners is hidden,
its count included. Viewers are refused, as in `reports.choice_distribution`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course.content.current import catalogue
from course.content.schema import Choice, Module
from course.errors import NotAllowed
from course.learning import scenario as walking
from course.services import report_cache, reports
from course.services.access import Actor, acting, learners_in_view, staff_scope
from course.services.item_analysis import CohortScope, cohort_in_view
from course.services.reports import MIN_GROUP, VIEWERS_REFUSED
from course.store.db import reading
from course.store.models import Attempt, Enrolment, ScenarioPlay, ScenarioStep

OTHER = "other"  # the node that links under MIN_GROUP learners are merged into


# ---- what the page receives ----


@dataclass(frozen=True)
class ChoiceShare:
    choice_id: str
    text: str
    grade: str
    learners: int
    share: float  # of the learners who reached the decision point, 0..1


@dataclass(frozen=True)
class PointShares:
    module_id: str
    module_title: str
    situation_id: str
    title: str
    learners: int | None  # None: fewer than MIN_GROUP reached it (the count is hidden too)
    choices: tuple[ChoiceShare, ...] | None  # best first


@dataclass(frozen=True)
class PathNode:
    id: str  # a situation id, or OTHER
    label: str
    ending: bool


@dataclass(frozen=True)
class PathLink:
    """Learners who made a choice at `source` and so came to `target` (a Sankey link)."""

    source: str
    target: str
    choice_id: str | None  # None: choices under MIN_GROUP learners each, merged
    label: str  # the choice's text
    grade: str | None
    learners: int


@dataclass(frozen=True)
class Paths:
    module_id: str
    module_title: str
    learners: int | None  # learners who made a choice in the module; None under MIN_GROUP
    nodes: tuple[PathNode, ...]  # in the module's order; endings after, OTHER last
    links: tuple[PathLink, ...]


@dataclass(frozen=True)
class ChoiceScore:
    module_id: str
    module_title: str
    situation_id: str
    situation_title: str
    choice_id: str
    text: str
    grade: str
    learners: int  # learners who made the choice and have a quiz score (MIN_GROUP or more)
    mean_score: float  # their mean quiz score, 0..1
    difference: float | None  # mean_score minus the baseline


@dataclass(frozen=True)
class ChoiceScores:
    """Which choices go with low quiz scores. A learner's quiz score is the mean, over the
    track's graded quizzes they have finished, of their highest score on each."""

    learners: int | None  # learners in view with a quiz score; None under MIN_GROUP
    baseline: float | None  # their mean quiz score
    choices: tuple[ChoiceScore, ...]  # groups of MIN_GROUP or more only, lowest mean first


# ---- access ----


def trainers_view(db: Session, actor: Actor, cohort_id: int) -> CohortScope:
    """The cohort as one of its trainers (or an administrator) sees it; viewers are refused."""
    try:
        return cohort_in_view(db, actor, cohort_id, ("trainer",))
    except NotAllowed:
        staff_scope(db, acting(db, actor), cohort_id, ("viewer",))  # else: that refusal
        raise NotAllowed(VIEWERS_REFUSED) from None


def _steps(scope: CohortScope, *columns: Any) -> sa.Select[Any]:
    """Scenario steps of the learners in view (columns of ScenarioStep and ScenarioPlay)."""
    return (
        sa.select(*columns)
        .select_from(ScenarioStep)
        .join(ScenarioPlay, ScenarioPlay.id == ScenarioStep.play_id)
        .join(Enrolment, Enrolment.user_id == ScenarioPlay.user_id)
        .where(learners_in_view(scope.cohort_id, scope.sections))
    )


# ---- shares per decision point ----


def decision_shares(
    actor: Actor, cohort_id: int, module_id: str | None = None
) -> list[PointShares]:
    """The share of learners choosing each option at each decision point, by the option's text
    (the counts are `reports.choice_distribution`'s)."""
    with reading() as db:
        scope = trainers_view(db, actor, cohort_id)
        points = report_cache.kept(
            db,
            ("decision shares",),
            scope.cohort_id,
            scope.sections,
            lambda: reports.choice_distribution(actor, cohort_id),
        )
    shares = []
    for point in points:
        if module_id is not None and point.module_id != module_id:
            continue
        choices = None
        if point.choices is not None and point.learners:
            reached = point.learners
            choices = tuple(
                ChoiceShare(c.choice_id, c.text, c.grade, c.learners, c.learners / reached)
                for c in point.choices
            )
        shares.append(
            PointShares(
                point.module_id,
                point.module_title,
                point.situation_id,
                point.title,
                point.learners,
                choices,
            )
        )
    return shares


# ---- paths through a module ----


def paths(actor: Actor, cohort_id: int, module_id: str) -> Paths:
    """The paths the cohort took through a module's scenario, as Sankey links between
    situations, in learners; links under MIN_GROUP learners are merged into one "other" link
    from their situation, which is dropped too if it is still under MIN_GROUP."""
    module = catalogue().module(module_id)
    with reading() as db:
        scope = trainers_view(db, actor, cohort_id)
        return report_cache.kept(
            db,
            ("paths", module_id),
            scope.cohort_id,
            scope.sections,
            lambda: _paths(db, scope, module),
        )


def _paths(db: Session, scope: CohortScope, module: Module) -> Paths:
    learners = db.scalar(
        _steps(scope, sa.func.count(sa.distinct(ScenarioPlay.user_id))).where(
            ScenarioStep.module_id == module.id
        )
    )
    counts = db.execute(
        _steps(
            scope,
            ScenarioStep.situation_id,
            ScenarioStep.choice_id,
            sa.func.count(sa.distinct(ScenarioPlay.user_id)),
        )
        .where(ScenarioStep.module_id == module.id)
        .group_by(ScenarioStep.situation_id, ScenarioStep.choice_id)
    ).all()
    if int(learners or 0) < MIN_GROUP:
        return Paths(module.id, module.title, None, (), ())
    links = _links(module, {(s, c): int(n) for s, c, n in counts})
    return Paths(module.id, module.title, int(learners or 0), _nodes(module, links), links)


def _links(module: Module, counts: dict[tuple[str, str], int]) -> tuple[PathLink, ...]:
    links: list[PathLink] = []
    for situation in module.scenario.situations:
        small = 0
        for choice in situation.choices:
            learners = counts.get((situation.id, choice.id), 0)
            if learners >= MIN_GROUP:
                links.append(
                    PathLink(
                        situation.id, choice.next, choice.id, choice.text, choice.grade, learners
                    )
                )
            else:
                # a learner who replayed may be in two small links: the merged count is a
                # count of choices made, an upper bound on the learners
                small += learners
        if small >= MIN_GROUP:
            label = f"Other choices (each made by fewer than {MIN_GROUP} learners)"
            links.append(PathLink(situation.id, OTHER, None, label, None, small))
    return tuple(links)


def _nodes(module: Module, links: tuple[PathLink, ...]) -> tuple[PathNode, ...]:
    used = {link.source for link in links} | {link.target for link in links}
    situations = module.scenario.situations
    nodes = [PathNode(s.id, s.title, s.ending) for s in situations if s.id in used and not s.ending]
    nodes += [PathNode(s.id, s.title, True) for s in situations if s.id in used and s.ending]
    if OTHER in used:
        nodes.append(PathNode(OTHER, "Other paths", False))
    return tuple(nodes)


# ---- choices and quiz scores ----


def choices_and_scores(actor: Actor, cohort_id: int, module_id: str | None = None) -> ChoiceScores:
    """The mean quiz score of the learners who made each choice, beside the cohort's mean:
    which choices go with low scores. Groups under MIN_GROUP learners are left out."""
    with reading() as db:
        scope = trainers_view(db, actor, cohort_id)
        return report_cache.kept(
            db,
            ("choices and scores", module_id),
            scope.cohort_id,
            scope.sections,
            lambda: _choices_and_scores(db, scope, module_id),
        )


def _choices_and_scores(db: Session, scope: CohortScope, module_id: str | None) -> ChoiceScores:
    content = catalogue()
    graded = [q for q in content.track(scope.track).quizzes if content.quiz(q).graded]
    best = (
        sa.select(Attempt.user_id, sa.func.max(Attempt.score).label("best"))
        .join(Enrolment, Enrolment.user_id == Attempt.user_id)
        .where(
            learners_in_view(scope.cohort_id, scope.sections),
            Attempt.finished_at.is_not(None),
            Attempt.quiz_id.in_(graded),
        )
        .group_by(Attempt.user_id, Attempt.quiz_id)
        .subquery("best")
    )
    learner = (
        sa.select(best.c.user_id, sa.func.avg(best.c.best).label("score"))
        .group_by(best.c.user_id)
        .subquery("learner")
    )
    made = _steps(
        scope,
        ScenarioPlay.user_id,
        ScenarioStep.module_id,
        ScenarioStep.situation_id,
        ScenarioStep.choice_id,
    ).distinct()
    if module_id is not None:
        made = made.where(ScenarioStep.module_id == module_id)
    made_by = made.subquery("made")
    keys = (made_by.c.module_id, made_by.c.situation_id, made_by.c.choice_id)
    rows = db.execute(
        sa.select(*keys, sa.func.count(), sa.func.avg(learner.c.score))
        .join(learner, learner.c.user_id == made_by.c.user_id)
        .group_by(*keys)
        .having(sa.func.count() >= MIN_GROUP)
    ).all()
    scored, mean = db.execute(sa.select(sa.func.count(), sa.func.avg(learner.c.score))).one()
    baseline = float(mean) if mean is not None and scored >= MIN_GROUP else None
    found = []
    for module_key, situation_id, choice_id, learners, score in rows:
        where = _choice(module_key, situation_id, choice_id)
        if where is None:  # content has moved on since: nothing to name it by
            continue
        module, situation_title, choice = where
        found.append(
            ChoiceScore(
                module_id=module.id,
                module_title=module.title,
                situation_id=situation_id,
                situation_title=situation_title,
                choice_id=choice_id,
                text=choice.text,
                grade=choice.grade,
                learners=int(learners),
                mean_score=float(score),
                difference=float(score) - baseline if baseline is not None else None,
            )
        )
    found.sort(key=lambda c: (c.mean_score, walking.GRADE_ORDER.index(c.grade), c.text))
    return ChoiceScores(int(scored) if baseline is not None else None, baseline, tuple(found))


def _choice(module_id: str, situation_id: str, choice_id: str) -> tuple[Module, str, Choice] | None:
    """The module, the situation's title and the choice, as today's content has them."""
    module = catalogue().modules.get(module_id)
    if module is None:
        return None
    try:
        situation = module.scenario.situation(situation_id)
        return module, situation.title, situation.choice(choice_id)
    except KeyError:
        return None
