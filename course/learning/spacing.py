"""When a serving officer should next review a competency (or an item): an interval ladder.

The rule, so an officer or a trainer can check it (docs/spacing.md):
- A review is a score between 0 and 1 at a moment. It succeeds at the pass mark (70 %) or
  above; under it, it is a lapse.
- The ladder's rungs are the waits after a success: 30, 91, 182 and 365 days (one, three, six
  and twelve months).
- Never reviewed: due now.
- The first success puts it on the lowest rung. A later success climbs one rung when it came on
  or after the due date; a success before the due date stays on its rung (recalling something
  seen a week ago says little about the months to come). The top rung repeats.
- A lapse drops two rungs (to the lowest at most) and makes it due again after 7 days, to
  relearn; the next success resumes from the rung it dropped to.
- Each schedule says why, in a sentence.

`schedule` is a pure function of the reviews returning a `Schedule` (when, and why), so that a
better model (FSRS-style retrievability with a target retention) can replace the ladder behind
the same signature.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Review:
    """One scored review: a quiz item, or a competency's share of a review session."""

    at: datetime
    score: float  # 0..1


@dataclass(frozen=True)
class Ladder:
    """The interval ladder's settings (the defaults are the course's)."""

    rungs_days: tuple[int, ...] = (30, 91, 182, 365)
    relearn_days: int = 7
    pass_mark: float = 0.7
    drop: int = 2  # rungs lost in a lapse

    def __post_init__(self) -> None:
        rungs = self.rungs_days
        if not rungs or any(d <= 0 for d in rungs) or list(rungs) != sorted(set(rungs)):
            raise ValueError("the rungs are rising whole numbers of days, at least one")
        if not 0 < self.relearn_days <= rungs[0]:
            raise ValueError("relearning comes sooner than the lowest rung, after 1 day or more")
        if not 0 < self.pass_mark <= 1 or self.drop < 1:
            raise ValueError("the pass mark is in (0, 1] and a lapse drops one rung or more")


LADDER = Ladder()


@dataclass(frozen=True)
class Schedule:
    """When the next review is due, and why."""

    due_at: datetime | None  # None: never reviewed, so due now
    rung: int | None  # the rung reached (None: never succeeded, or relearning with no rung yet)
    relearning: bool  # the last review was a lapse
    why: str
    last_score: float | None = None  # the latest review's score (None: never reviewed)

    def is_due(self, now: datetime) -> bool:
        return self.due_at is None or self.due_at <= now


def _percent(score: float) -> str:
    return f"{score:.0%}"


def _days(days: int) -> str:
    return f"{days} day{'' if days == 1 else 's'}"


def schedule(reviews: Sequence[Review], ladder: Ladder = LADDER) -> Schedule:
    """The next review of a competency or an item, from every review of it (in any order)."""
    for review in reviews:
        if not 0 <= review.score <= 1:
            raise ValueError(f"a review's score is between 0 and 1, not {review.score}")
    if not reviews:
        return Schedule(None, None, False, "Never reviewed: due now.")
    rung: int | None = None  # the rung reached so far
    due_at: datetime | None = None
    relearning = False
    last = reviews[0]
    for review in sorted(reviews, key=lambda r: r.at):
        last = review
        if review.score >= ladder.pass_mark:
            if rung is None:
                rung = 0
            elif due_at is None or review.at >= due_at or relearning:
                # on time (or the first success after relearning, which resumes the ladder)
                rung = rung if relearning else min(rung + 1, len(ladder.rungs_days) - 1)
            relearning = False
            due_at = review.at + timedelta(days=ladder.rungs_days[rung])
        else:
            rung = None if rung is None else max(rung - ladder.drop, 0)
            relearning = True
            due_at = review.at + timedelta(days=ladder.relearn_days)
    assert due_at is not None
    when = f"{last.at:%d %b %Y}"
    if relearning:
        why = (
            f"Last review on {when} scored {_percent(last.score)}, under the pass mark of "
            f"{_percent(ladder.pass_mark)}: due again after {_days(ladder.relearn_days)}, on "
            f"{due_at:%d %b %Y}."
        )
    else:
        assert rung is not None
        why = (
            f"Last review on {when} scored {_percent(last.score)}: rung {rung + 1} of "
            f"{len(ladder.rungs_days)}, due after {_days(ladder.rungs_days[rung])}, on "
            f"{due_at:%d %b %Y}."
        )
    return Schedule(due_at, rung, relearning, why, last.score)


def reviews_from_answers(
    answers: Iterable[tuple[Hashable, datetime, str, float]], competency_of: Mapping[str, str]
) -> tuple[dict[str, list[Review]], dict[str, list[Review]]]:
    """The reviews in one person's answers in finished attempts, given as (attempt, finished at,
    question, score): per competency, one per attempt scored by the mean of its items on it;
    per item, one per answer. Questions no longer in the course (no competency) are left out."""
    scores: dict[tuple[str, Hashable], list[float]] = defaultdict(list)
    finished: dict[Hashable, datetime] = {}
    per_item: dict[str, list[Review]] = defaultdict(list)
    for attempt, finished_at, question_id, score in answers:
        competency = competency_of.get(question_id)
        if competency is None:
            continue
        scores[(competency, attempt)].append(float(score))
        finished[attempt] = finished_at
        per_item[question_id].append(Review(finished_at, float(score)))
    per_competency: dict[str, list[Review]] = defaultdict(list)
    for (competency, attempt), marks in scores.items():
        per_competency[competency].append(Review(finished[attempt], sum(marks) / len(marks)))
    return dict(per_competency), dict(per_item)
