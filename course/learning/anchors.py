"""Learning gain and retention from the anchor check: the same few questions asked before
training, after it, and of serving officers years on (docs/spacing.md, "Learning over time").

- **Pre and post.** A learner's pre score is their first anchor check; their post score is the
  last one finished after they finished the course's final assessment (a later sitting than the
  pre). Learners without both are left out.
- **Gain.** The mean pre and post scores, and the mean normalised gain
  g = (post - pre) / (1 - pre) (Hake), the share of what there was left to learn that was learnt;
  learners who scored 100 % before have no room to gain and are left out of g only.
- **Retention.** Each officer's latest anchor score against the months since their training
  (when they completed the probationer course), in bands; a band's mean is shown only when it
  holds `min_group` officers or more.

Pure: the caller reads the attempts and dates; nothing here knows the database.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

BANDS: tuple[tuple[int, int | None], ...] = ((0, 12), (12, 24), (24, 36), (36, 60), (60, None))


@dataclass(frozen=True)
class Sitting:
    learner: Hashable
    finished_at: datetime
    score: float  # 0..1


@dataclass(frozen=True)
class Gain:
    learners: int
    pre: float
    post: float
    normalised: float | None  # None when every learner scored 100 % before


@dataclass(frozen=True)
class Band:
    label: str
    low_months: int
    high_months: int | None  # None: and longer
    officers: int | None  # None: fewer than the smallest group shown
    mean: float | None


def pre_post(
    sittings: Sequence[Sitting], finished_course: Mapping[Hashable, datetime]
) -> dict[Hashable, tuple[float, float]]:
    """Each learner's (pre, post) scores, for those who have both."""
    by_learner: dict[Hashable, list[Sitting]] = {}
    for one in sittings:
        by_learner.setdefault(one.learner, []).append(one)
    pairs = {}
    for learner, theirs in by_learner.items():
        theirs.sort(key=lambda s: s.finished_at)
        done = finished_course.get(learner)
        if done is None:
            continue
        after = [s for s in theirs[1:] if s.finished_at >= done]
        if after:
            pairs[learner] = (theirs[0].score, after[-1].score)
    return pairs


def gain(pairs: Mapping[Hashable, tuple[float, float]], min_group: int) -> Gain | None:
    """The cohort's gain; None when fewer than `min_group` learners have both scores."""
    if len(pairs) < min_group:
        return None
    pre = [p for p, _ in pairs.values()]
    post = [q for _, q in pairs.values()]
    room = [(q - p) / (1 - p) for p, q in pairs.values() if p < 1]
    return Gain(
        learners=len(pairs),
        pre=sum(pre) / len(pre),
        post=sum(post) / len(post),
        normalised=sum(room) / len(room) if room else None,
    )


def months_between(start: datetime, end: datetime) -> int:
    """Whole calendar months from `start` to `end` (0 within the first month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if (end.day, end.time()) < (start.day, start.time()):
        months -= 1
    return max(months, 0)


def _label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low // 12} years or more"
    if high <= 12:
        return "Under a year"
    return f"{low // 12} to {high // 12} years"


def retention(
    points: Sequence[tuple[int, float]],
    min_group: int,
    bands: Sequence[tuple[int, int | None]] = BANDS,
) -> list[Band]:
    """Mean anchor score per band of months since training, from (months, score) points; a
    band with fewer than `min_group` officers shows neither its mean nor its count."""
    found = []
    for low, high in bands:
        scores = [s for m, s in points if m >= low and (high is None or m < high)]
        shown = len(scores) >= min_group
        found.append(
            Band(
                label=_label(low, high),
                low_months=low,
                high_months=high,
                officers=len(scores) if shown else None,
                mean=sum(scores) / len(scores) if shown else None,
            )
        )
    return found


def prompt(
    taken: Sequence[datetime],
    finished_course: datetime | None,
    now: datetime,
    cycle_months: int | None,
) -> str | None:
    """What the learner's home says about the anchor check; None when nothing is asked now.

    In training (`cycle_months` None): take it before starting, then again once the final
    assessment is finished. A serving officer: take it once in each certificate cycle.
    """
    if cycle_months is None:
        if not taken:
            return "Take it before your first module: it shows where you start from."
        if finished_course is not None and not any(t >= finished_course for t in taken[1:]):
            return "Take it again now that you have finished the final assessment."
        return None
    if not taken or months_between(max(taken), now) >= cycle_months:
        return "Take it once in this refresher: it shows what officers keep over the years."
    return None
