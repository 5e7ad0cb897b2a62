"""200 learners answering at once through the service layer: nothing lost or doubled.

For SQLite (a fresh file) and, when it answers, PostgreSQL (a fresh database), beside a demo
academy: 200 new learners, one thread each, each start an attempt, answer all 10 questions and
then change every answer once. Checks that every attempt of theirs has exactly one row per
question holding the last answer given (the demo's own answers are not counted), and
prints answers per second against a baseline of the same writes made one learner at a time.

    .venv/bin/python bench/concurrent_answers.py [--learners 200]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

from common import database, demo_academy, fresh_actors, postgres_reachable


def run(kind: str, learners: int) -> None:
    with database(kind) as url:
        measure(url, learners)


def measure(url: str, learners: int) -> None:
    import sqlalchemy as sa

    from course.learning.responses import right_response, wrong_response
    from course.services import quizzes
    from course.services.access import Actor
    from course.store import db
    from course.store.models import Answer, Attempt

    # a demo academy of the same size as before (its own answers sit in the table alongside);
    # its learners have used their attempts, so the bench's learners are new ones
    password = demo_academy(learners=learners * 4 // 3 + 1)
    actors = fresh_actors(learners, password)
    ours = sa.select(Attempt.id).where(Attempt.user_id.in_([a.user_id for a in actors]))

    def take(actor: Actor) -> int:
        attempt = quizzes.start_attempt(actor, "ei-quiz").id
        view = quizzes.attempt_view(actor, attempt)
        for slot in view.slots:
            quizzes.record_answer(actor, attempt, slot.slot, wrong_response(slot.question))
        for slot in view.slots:  # change every answer: the second must replace the first
            quizzes.record_answer(actor, attempt, slot.slot, right_response(slot.question))
        return 2 * len(view.slots)

    half = len(actors) // 10
    start = time.perf_counter()
    serial = sum(take(a) for a in actors[:half])  # baseline: one learner at a time
    serial_rate = serial / (time.perf_counter() - start)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(actors) - half) as pool:
        given = sum(pool.map(take, actors[half:]))
    rate = given / (time.perf_counter() - start)
    with db.reading() as session:
        # only what the bench wrote: the demo academy's answers are not counted
        mine = sa.select(sa.func.count()).select_from(Answer).where(Answer.attempt_id.in_(ours))
        rows = session.scalar(mine)
        wrong_left = session.scalar(mine.where(Answer.score < 1))
        attempts = session.scalar(
            sa.select(sa.func.count()).select_from(Attempt).where(Attempt.id.in_(ours))
        )
    expected = len(actors) * 10
    print(f"{url.split(':')[0]}: {len(actors)} learners, {attempts} attempts")
    print(f"  answer rows {rows} (expected {expected}); not replaced by the last: {wrong_left}")
    print(
        f"  one at a time: {serial_rate:.0f} answers/s; {len(actors) - half} at once: {rate:.0f}"
        f" answers/s ({rate / serial_rate:.2f} x)"
    )
    print(
        "  OK: nothing lost or doubled"
        if rows == expected and wrong_left == 0
        else "  LOST OR DOUBLED"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    args = parser.parse_args()
    run("sqlite", args.learners)
    if postgres_reachable():
        run("postgresql", args.learners)
    else:
        print("postgresql: not reachable on 127.0.0.1:5432, skipped")


if __name__ == "__main__":
    main()
