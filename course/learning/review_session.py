"""Which questions a serving officer's short review session asks, and why each one.

The rule (docs/spacing.md), so a trainer can check it:
1. Items due by the ladder come first, the most overdue first (those due on the same day take
   turns by competency): the officer answered them before and it is time to recall them again
   (or they got them wrong and are relearning).
2. The remaining places go to competencies, weakest first: those due now before those that are
   not, then the lowest last review score. When some competency is due, only the due ones take
   places, in turn; when none is, every competency does, weakest first.
3. Within a competency, a question the officer has never answered comes before one they have
   (chosen at random, so two sessions differ); among answered ones, the soonest due first.

The planner is pure: it takes the schedules and the pool of questions, and returns the picks.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from course.learning.spacing import Schedule

SIZE = 10  # at most ten questions...
MINUTES = 15  # ...in at most fifteen minutes (the quiz's time limit says so to the officer)


@dataclass(frozen=True)
class Pick:
    question_id: str
    competency: str
    why: str


def _weakness(now: datetime, one: Schedule) -> tuple[bool, float]:
    score = one.last_score if one.last_score is not None else -1.0  # never reviewed: weakest
    return (not one.is_due(now), score)


def plan(
    now: datetime,
    size: int,
    competencies: Mapping[str, Schedule],
    titles: Mapping[str, str],
    items: Mapping[str, Schedule],
    pool: Mapping[str, Sequence[str]],
    rng: random.Random,
) -> list[Pick]:
    """Up to `size` questions for a review session now.

    `competencies`: each competency's schedule; `items`: the schedule of every item the officer
    has answered; `pool`: per competency, the question ids a review may ask, in a stable order.
    """
    if size < 1:
        raise ValueError("a review session asks at least one question")
    competency_of = {q: c for c, ids in pool.items() for q in ids}
    picks: list[Pick] = []
    taken: set[str] = set()
    overdue = _spread(
        sorted(
            (q for q, s in items.items() if q in competency_of and s.is_due(now)),
            key=lambda q: (items[q].due_at or now, q),
        ),
        items,
        competency_of,
        now,
    )
    for question_id in overdue[:size]:
        reason = _item_reason(items[question_id])
        picks.append(Pick(question_id, competency_of[question_id], reason))
        taken.add(question_id)

    order = sorted(competencies, key=lambda c: (_weakness(now, competencies[c]), c))
    due_now = [c for c in order if competencies[c].is_due(now)]
    turns = [c for c in (due_now or order) if pool.get(c)]
    queues = {c: _queue(pool[c], items, now, rng) for c in turns}
    while len(picks) < size and turns:
        for competency in list(turns):
            queue = [q for q in queues[competency] if q not in taken]
            if not queue:
                turns.remove(competency)
                continue
            question_id = queue[0]
            queues[competency] = queue[1:]
            reason = (
                f"{titles.get(competency, competency)} is due: {competencies[competency].why}"
                if competencies[competency].is_due(now)
                else f"{titles.get(competency, competency)} is among your weakest: "
                f"{competencies[competency].why}"
            )
            picks.append(Pick(question_id, competency, reason))
            taken.add(question_id)
            if len(picks) == size:
                break
    return picks


def _spread(
    ids: list[str], items: Mapping[str, Schedule], competency_of: Mapping[str, str], now: datetime
) -> list[str]:
    """Items due on the same day take turns by competency, so that a session of ten after a
    fifteen-question check reviews all three, not the first two in alphabetical order."""
    rank: dict[str, int] = {}
    seen: dict[tuple[object, str], int] = {}
    for q in ids:  # (in due order)
        key = ((items[q].due_at or now).date(), competency_of[q])
        rank[q] = seen[key] = seen.get(key, -1) + 1
    return sorted(ids, key=lambda q: ((items[q].due_at or now).date(), rank[q]))


def _item_reason(one: Schedule) -> str:
    # not the item's score: a refresher check shows no right or wrong until it closes
    since = f" since {one.due_at:%d %b %Y}" if one.due_at is not None else ""
    return f"You answered this question before, and it is due again{since}."


def _queue(
    ids: Sequence[str], items: Mapping[str, Schedule], now: datetime, rng: random.Random
) -> list[str]:
    fresh = [q for q in ids if q not in items]
    rng.shuffle(fresh)
    seen = sorted((q for q in ids if q in items), key=lambda q: (items[q].due_at or now, q))
    return fresh + seen
