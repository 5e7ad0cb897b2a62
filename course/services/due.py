"""What is due for a serving officer: each competency and item by the interval ladder
(course/learning/spacing.py), and the refresher modules not done in the current cycle.

The reviews come from every finished attempt of the officer at a graded quiz of the course,
review sessions included (`review_history.review_answers`, turned into reviews by
`spacing.reviews_from_answers`). A refresher module is
due when it has never been finished, or was last finished longer ago than the track's
certificate period. The trainer's dashboard uses the same functions for overdue officers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from icalendar import Calendar, Event

from course import clock, config
from course.content.current import catalogue
from course.content.schema import COMPETENCY_TITLES, Module
from course.learning.spacing import Review, Schedule, schedule
from course.services import learner_home, review_history
from course.services.access import Actor, acting
from course.store.db import reading
from course.store.models import ScenarioPlay

REFRESHER = "refresher"
ITEMS_SHOWN = 10
CALENDAR_PRODUCT = "-//Civil Services Academy//Service, Not Spectacle//EN"


@dataclass(frozen=True)
class DueCompetency:
    competency: str
    title: str
    schedule: Schedule


@dataclass(frozen=True)
class DueItem:
    question_id: str
    competency: str
    schedule: Schedule


@dataclass(frozen=True)
class DueModule:
    module: Module
    why: str


@dataclass(frozen=True)
class Due:
    now: datetime
    competencies: tuple[DueCompetency, ...]  # all three: due ones first, most overdue first
    items: tuple[DueItem, ...]  # items due now, most overdue first, at most ITEMS_SHOWN
    items_due: int  # how many items are due in all
    modules: tuple[DueModule, ...]  # refresher modules to do in this cycle, in track order
    next_due: datetime | None  # the earliest due date still ahead, for the calendar

    @property
    def due_now(self) -> tuple[DueCompetency, ...]:
        return tuple(c for c in self.competencies if c.schedule.is_due(self.now))


def due_competencies(reviews: Mapping[str, Sequence[Review]]) -> list[DueCompetency]:
    """Every competency's schedule, the soonest due first."""
    return [
        DueCompetency(c, title, schedule(reviews.get(c, ())))
        for c, title in COMPETENCY_TITLES.items()
    ]


def _overdue_first(now: datetime, one: Schedule) -> tuple[bool, datetime]:
    never = datetime.min.replace(tzinfo=now.tzinfo)
    return (not one.is_due(now), one.due_at or never)


def what_is_due(actor: Actor, home: learner_home.Home | None = None) -> Due | None:
    """The officer's due reviews and modules now; None when their course is not the refresher
    (probationers follow their course instead). `home`: the actor's home, when the page has it
    already (the records read here check the actor again)."""
    home = home if home is not None else learner_home.home(actor)
    if home.track is None or home.track.id != REFRESHER:
        return None
    now = clock.now()
    content = catalogue()
    with reading() as db:
        me = acting(db, actor)
        assert me.user_id is not None
        by_competency, by_item = review_history.schedules(db, me.user_id)
        finished = {
            module_id: last
            for module_id, last in db.execute(
                sa.select(ScenarioPlay.module_id, sa.func.max(ScenarioPlay.finished_at))
                .where(ScenarioPlay.user_id == me.user_id, ScenarioPlay.finished_at.is_not(None))
                .group_by(ScenarioPlay.module_id)
            )
            if last is not None
        }
    competencies = sorted(
        (DueCompetency(c, COMPETENCY_TITLES[c], one) for c, one in by_competency.items()),
        key=lambda d: _overdue_first(now, d.schedule),
    )
    items = sorted(
        (
            DueItem(q, content.competency_of[q], one)
            for q, one in by_item.items()
            if one.is_due(now)
        ),
        key=lambda d: _overdue_first(now, d.schedule),
    )
    ahead = [c.schedule.due_at for c in competencies if c.schedule.due_at is not None]
    return Due(
        now=now,
        competencies=tuple(competencies),
        items=tuple(items[:ITEMS_SHOWN]),
        items_due=len(items),
        modules=_modules_due(home.track.certificate_months, home.track.modules, finished, now),
        next_due=min((d for d in ahead if d > now), default=None),
    )


def _modules_due(
    months: int | None,
    module_ids: tuple[str, ...],
    finished: dict[str, datetime],
    now: datetime,
) -> tuple[DueModule, ...]:
    cycle = timedelta(days=round(30.44 * (months or 12)))
    due = []
    for module in (catalogue().module(m) for m in module_ids):
        last = finished.get(module.id)
        if last is None:
            due.append(DueModule(module, "Not finished yet."))
        elif last + cycle <= now:
            due.append(
                DueModule(
                    module,
                    f"Last finished on {last.astimezone(config.timezone()):%d %b %Y}, more "
                    f"than {months or 12} months ago.",
                )
            )
    return tuple(due)


def calendar_file(due: Due) -> tuple[str, bytes] | None:
    """The next due review as an all-day calendar event (file name, iCalendar bytes); None when
    nothing is due ahead (everything due is due now)."""
    if due.next_due is None:
        return None
    day = due.next_due.date()
    first = next(c for c in due.competencies if c.schedule.due_at == due.next_due)
    event = Event()
    event.add("uid", f"refresher-{first.competency}-{day:%Y%m%d}@service-not-spectacle")
    event.add("dtstamp", due.now)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"Refresher review due: {first.title}")
    event.add("description", first.schedule.why)
    calendar = Calendar()
    calendar.add("prodid", CALENDAR_PRODUCT)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return f"refresher-review-{day:%Y-%m-%d}.ics", calendar.to_ical()
