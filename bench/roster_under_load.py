"""A 500-row roster import while 50 learners answer at once, on SQLite and PostgreSQL.

Passwords are hashed before the import's one write transaction, so the import holds the
database's write lock only for its inserts and the learners' answers wait little behind it.
Prints, per database: answers lost (must be 0), answers that failed (the page would keep them on
screen to save again), and the slowest answer's wait against an answer's time with nothing else
running (measured first, in the same run).

    .venv/bin/python bench/roster_under_load.py [--rows 500] [--learners 50] [--passes 3]
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from common import DEMO_COHORT, database, demo_academy, fresh_actors, postgres_reachable


def run(kind: str, rows: int, learners: int, passes: int) -> None:
    import sqlalchemy as sa

    from course.errors import CourseError, Unavailable
    from course.learning.responses import right_response, wrong_response
    from course.services import cohorts, quizzes
    from course.services.access import Actor
    from course.store import db
    from course.store.models import Answer, User

    with database(kind):
        # a demo academy of the same size as before; its learners have used their attempts,
        # so the learners who answer are new ones, in its probationer cohort
        password = demo_academy(learners=learners * 4 // 3 + 2)
        cohort = DEMO_COHORT
        actors = fresh_actors(learners, password)
        attempts = {a.user_id: quizzes.start_attempt(a, "ei-quiz").id for a in actors}
        views = {a.user_id: quizzes.attempt_view(a, attempts[a.user_id]) for a in actors}

        alone = []
        for actor in actors[:5]:  # the baseline: answers with nothing else running
            for slot in views[actor.user_id].slots:
                started = time.perf_counter()
                quizzes.record_answer(
                    actor, attempts[actor.user_id], slot.slot, wrong_response(slot.question)
                )
                alone.append(time.perf_counter() - started)
        baseline = statistics.median(alone)

        waits: list[float] = []
        failed = 0
        kept: dict[tuple[int, int], dict[str, Any]] = {}  # the last answer the service took
        lock = threading.Lock()
        go = threading.Event()

        def learner(actor: Actor) -> None:
            nonlocal failed
            go.wait()
            view = views[actor.user_id]
            for turn in range(passes):
                for slot in view.slots:
                    answer = right_response if turn % 2 else wrong_response
                    response = answer(slot.question)
                    started = time.perf_counter()
                    try:
                        quizzes.record_answer(actor, attempts[actor.user_id], slot.slot, response)
                    except Unavailable:
                        with lock:
                            failed += 1
                        continue
                    finally:
                        with lock:
                            waits.append(time.perf_counter() - started)
                    with lock:
                        kept[(attempts[actor.user_id], slot.slot)] = response

        roster = "username,full_name\n" + "".join(
            f"r{n:04d}.bench,Roster Person {n}\n" for n in range(rows)
        )
        imported: dict[str, float] = {}

        def import_roster() -> None:
            go.wait()
            started = time.perf_counter()
            try:
                cohorts.import_roster(Actor.command_line(), cohort, roster)
            except CourseError as problem:
                print(f"  the import failed: {problem}")
            imported["seconds"] = time.perf_counter() - started

        with ThreadPoolExecutor(max_workers=len(actors) + 1) as pool:
            futures = [pool.submit(import_roster)] + [pool.submit(learner, a) for a in actors]
            go.set()
            for future in futures:
                future.result()

        with db.reading() as session:
            stored = {
                (attempt_id, slot): response
                for attempt_id, slot, response in session.execute(
                    sa.select(Answer.attempt_id, Answer.slot, Answer.response).where(
                        Answer.attempt_id.in_(list(attempts.values()))  # the bench's answers only
                    )
                )
            }
            enrolled = session.scalar(
                sa.select(sa.func.count()).select_from(User).where(User.username.like("r%.bench"))
            )
        lost = sum(1 for key, response in kept.items() if stored.get(key) != response)
        print(f"{kind}: {rows}-row roster while {len(actors)} learners answer ({passes} passes)")
        print(f"  roster: {enrolled} enrolled in {imported.get('seconds', 0):.1f} s")
        print(
            f"  answers given {len(waits)}, lost {lost}, failed {failed} (shown to be saved again)"
        )
        print(
            f"  an answer alone: {baseline * 1000:.1f} ms; under load: median "
            f"{statistics.median(waits) * 1000:.1f} ms, slowest {max(waits) * 1000:.0f} ms "
            f"({max(waits) / baseline:.0f} x alone)"
        )
        print("  OK: no answer lost" if lost == 0 else "  ANSWERS LOST")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    run("sqlite", args.rows, args.learners, args.passes)
    if postgres_reachable():
        run("postgresql", args.rows, args.learners, args.passes)
    else:
        print("postgresql: not reachable on 127.0.0.1:5432, skipped")


if __name__ == "__main__":
    main()
