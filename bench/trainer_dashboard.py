"""Trainer dashboard (completion + choice distribution) against one raw SQL GROUP BY pass.

Builds a demo academy of N learners in a fresh SQLite file, then times, in this process, the two
service calls a trainer's progress page makes and a bare `GROUP BY` over the same step rows.
Prints the ratio (target in DESIGN.md: <= 2 x the raw pass, and <= 1 s on SQLite).

    .venv/bin/python bench/trainer_dashboard.py [--learners 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def best_of(repeat: int, run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ["COURSE_DATABASE_URL"] = f"sqlite:///{folder}/bench.db"

    import sqlalchemy as sa

    from course.services import demo, reports
    from course.services.access import Actor
    from course.store import db, migrate
    from course.store.models import Cohort, ScenarioStep

    migrate.upgrade(os.environ["COURSE_DATABASE_URL"])
    built_at = time.perf_counter()
    demo.build(Actor.command_line(), learners=args.learners, seed=1)
    print(f"built {args.learners} learners in {time.perf_counter() - built_at:.1f} s")
    admin = Actor.command_line()
    with db.reading() as session:
        cohort_id = session.scalar(sa.select(Cohort.id).where(Cohort.track == "probationer"))
        steps = session.scalar(sa.select(sa.func.count()).select_from(ScenarioStep))
    assert cohort_id is not None

    def raw() -> None:
        with db.engine().connect() as conn:
            conn.exec_driver_sql(
                "SELECT module_id, situation_id, choice_id, count(*) FROM scenario_step "
                "GROUP BY module_id, situation_id, choice_id"
            ).all()

    def dashboard() -> None:
        reports.completion(admin, cohort_id)
        reports.choice_distribution(admin, cohort_id)

    dashboard()  # warm: content loaded, connections open
    baseline = best_of(args.repeat, raw)
    page = best_of(args.repeat, dashboard)
    print(f"scenario steps: {steps}")
    print(f"raw GROUP BY:   {baseline * 1000:.1f} ms")
    print(f"dashboard:      {page * 1000:.1f} ms")
    print(f"ratio:          {page / baseline:.2f} x the raw pass (best of {args.repeat} each)")


if __name__ == "__main__":
    main()
