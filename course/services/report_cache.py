"""Cohort reports worked out once per state of the records they read.

Item analysis, the misconception report, mastery over time and the scenario analytics read
every answer or choice of a cohort: a million rows at academy scale, a second or more however
the SQL is written. Trainers open the same reports again and again between changes, so each
result is kept in this process, keyed by what was asked (the report, its arguments, the cohort
and the sections in view) and checked against the cohort's *fingerprint* on every call.

The fingerprint is a few index look-ups (a millisecond or two) that change whenever anything
these reports read does:
- the learners in view: how many, which (sum of ids) and in which sections;
- the newest attempt, play and scenario step of anyone (ids only grow: a new attempt, a play
  started or a choice made anywhere moves them);
- the attempts and plays of the learners in view still open (how many, sum of ids): finishing
  one takes it out of that set.
An attempt's answers and score never change once it is finished (the course has no regrading,
and an answer in an open attempt counts in none of the kept reports), so these cover every
change. A feature that alters a finished attempt must move the fingerprint too.
A result is also tied to the engine and the content catalogue it came from (a test that switches
databases or content folders never reads another's).

So the figures are always those of the records as they are now: the first view after a change
pays the full computation, and every later view reads the kept result. The caller checks who is
acting and their scope before asking (in the same transaction), so a kept result is never a way
round the access check.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course.content.current import catalogue
from course.services.access import learners_in_view
from course.store import db as store
from course.store.models import Attempt, Enrolment, ScenarioPlay, ScenarioStep

T = TypeVar("T")
LIMIT = 256  # kept results; the least recently used goes first


@dataclass(frozen=True)
class _Kept:
    engine: sa.Engine
    content: object
    fingerprint: tuple[Any, ...]
    value: Any


_kept: OrderedDict[Hashable, _Kept] = OrderedDict()
_lock = threading.Lock()


def fingerprint(db: Session, cohort_id: int, sections: set[int] | None) -> tuple[Any, ...]:
    """What the kept reports of these learners read, summed up (see the module's docstring).
    Each part is read from an index: a primary key's last entry, or a partial index of the few
    attempts and plays still open."""
    in_view = learners_in_view(cohort_id, sections)
    learners = sa.select(Enrolment.user_id).where(in_view)
    count, latest, total = sa.func.count, sa.func.max, sa.func.sum
    enrolled = sa.select(
        count(), total(Enrolment.user_id), total(sa.func.coalesce(Enrolment.section_id, 0))
    ).where(in_view)
    open_attempts = sa.select(count(), total(Attempt.id)).where(
        Attempt.finished_at.is_(None), Attempt.user_id.in_(learners)
    )
    open_plays = sa.select(count(), total(ScenarioPlay.id)).where(
        ScenarioPlay.finished_at.is_(None), ScenarioPlay.user_id.in_(learners)
    )
    newest = [sa.select(latest(table.id)) for table in (Attempt, ScenarioPlay, ScenarioStep)]
    rows = [db.execute(q).one() for q in (enrolled, open_attempts, open_plays, *newest)]
    return tuple(value for row in rows for value in row)


def kept(
    db: Session,
    report: Hashable,
    cohort_id: int,
    sections: set[int] | None,
    work_out: Callable[[], T],
) -> T:
    """The `report` of a cohort as seen through `sections` (None: all of it): the kept result
    when the records are as they were when it was worked out, else `work_out()`, kept."""
    scope = None if sections is None else tuple(sorted(sections))
    engine, content = store.engine(), catalogue()
    key = (report, engine.url.render_as_string(), cohort_id, scope)
    # worked out once per transaction: a page's reports share it
    known = db.info.setdefault("report fingerprints", {})
    now = known.get((cohort_id, scope))
    if now is None:
        now = known[(cohort_id, scope)] = fingerprint(db, cohort_id, sections)
    with _lock:
        found = _kept.get(key)
        if (
            found is not None
            and found.engine is engine
            and found.content is content
            and found.fingerprint == now
        ):
            _kept.move_to_end(key)
            return found.value  # type: ignore[no-any-return]
    value = work_out()  # outside the lock: other reports need not wait for this one
    with _lock:
        _kept[key] = _Kept(engine, content, now, value)
        _kept.move_to_end(key)
        while len(_kept) > LIMIT:
            _kept.popitem(last=False)
    return value


def clear() -> None:
    """Forget every kept result."""
    with _lock:
        _kept.clear()
