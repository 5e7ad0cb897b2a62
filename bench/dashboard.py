"""The trainer's dashboard at academy scale: every query, the item analysis and the whole page.

Seeds the demo academy with 5,000 learners (about 1,000,000 answers) in a fresh database, gives
it the statistics a database that has lived would have (ANALYZE; VACUUM too on PostgreSQL, as
autovacuum would), then times, in this process and against one raw SQL `GROUP BY` over the same
answer rows:

1. every dashboard service call a trainer's page makes (admin's view: the whole cohort);
2. the item analysis of the final assessment and of a bank, the misconception report and the
   scenario analytics;
3. the whole trainer page's rerun in AppTest.

Target (DESIGN.md, issue 9): each at most 2 x the raw GROUP BY and under 1 s, on SQLite and
PostgreSQL.

    .venv/bin/python bench/dashboard.py [--learners 5000] [--repeat 3] [--kinds sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from common import ROOT, database, median_time, postgres_reachable

ROUTER = ROOT / "app.py"


def statistics(kind: str) -> None:
    """What a database that has lived has: statistics for the planner (ANALYZE) and, in
    PostgreSQL, a visibility map (VACUUM), which lets it answer from an index alone. Autovacuum
    does both within a minute of a bulk load; the test server runs with it off."""
    from course.store import db

    with db.engine().connect() as conn:
        if kind == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def run(kind: str, learners: int, repeat: int) -> None:
    import sqlalchemy as sa
    from streamlit.testing.v1 import AppTest

    from course.services import (
        accounts,
        dashboard,
        demo,
        exports,
        item_analysis,
        scenario_analytics,
    )
    from course.services.access import Actor
    from course.store import db
    from course.store.models import Answer, Cohort

    with database(kind):
        started = time.perf_counter()
        demo.build(Actor.command_line(), learners=learners, seed=1)
        statistics(kind)
        with db.reading() as session:
            cohort_id = session.scalar(sa.select(Cohort.id).where(Cohort.track == "probationer"))
            answers = session.scalar(sa.select(sa.func.count()).select_from(Answer))
        assert cohort_id is not None
        print(
            f"\n{kind}: {learners} learners, {answers} answers, seeded in "
            f"{time.perf_counter() - started:.0f} s"
        )
        admin = Actor.command_line()

        def raw() -> None:
            with db.engine().connect() as conn:
                conn.exec_driver_sql(
                    "SELECT question_id, count(*), sum(score) FROM answer GROUP BY question_id"
                ).all()

        calls: list[tuple[str, Callable[[], object]]] = [
            (
                "attention (at risk, weakest, worst items)",
                lambda: dashboard.attention(admin, cohort_id),
            ),
            ("score distributions", lambda: dashboard.scores(admin, cohort_id)),
            ("progress funnel and time", lambda: dashboard.progress(admin, cohort_id)),
            ("mastery over time", lambda: dashboard.mastery(admin, cohort_id)),
            ("mastery matrix, one page", lambda: dashboard.mastery_matrix(admin, cohort_id)),
            ("comparison", lambda: dashboard.comparison(admin, cohort_id)),
            (
                "item analysis: final assessment",
                lambda: item_analysis.quiz_analysis(admin, cohort_id, "final-assessment"),
            ),
            (
                "item analysis: a bank",
                lambda: item_analysis.bank_analysis(admin, cohort_id, "ethical-engagement"),
            ),
            ("misconception report", lambda: item_analysis.misconceptions(admin, cohort_id)),
            (
                "scenario choice shares",
                lambda: scenario_analytics.decision_shares(admin, cohort_id),
            ),
            (
                "scenario paths (Sankey)",
                lambda: scenario_analytics.paths(admin, cohort_id, "walk-away"),
            ),
            (
                "choices and quiz scores",
                lambda: scenario_analytics.choices_and_scores(admin, cohort_id),
            ),
            ("CSV export of scores", lambda: exports.scores_csv(admin, cohort_id)),
        ]
        for _, call in calls:  # warm: content loaded, connections open
            call()
        failed = 0
        print(f"   (median of {repeat}; each timed in turn with the raw GROUP BY)")
        for label, call in calls:
            base = median_time(raw, repeat)
            took = median_time(call, repeat)
            ok = took <= 2 * base and took < 1.0
            failed += not ok
            print(
                f"   {label:44s} {took * 1000:8.1f} ms  {took / base:5.2f} x raw "
                f"({base * 1000:.1f} ms){'' if ok else '  MISSES THE TARGET'}"
            )

        session_id = accounts.sign_in("trainer1", demo.DEMO_PASSWORD).session_id

        def page() -> AppTest:
            at = AppTest.from_file(str(ROUTER), default_timeout=120)
            at.session_state["session_id"] = session_id
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            return at

        at = page()
        base = median_time(raw, repeat)
        took = median_time(at.run, repeat)
        ok = took <= 2 * base and took < 1.0
        failed += not ok
        print(
            f"   {'whole trainer page rerun (AppTest)':44s} {took * 1000:8.1f} ms  "
            f"{took / base:5.2f} x raw ({base * 1000:.1f} ms){'' if ok else '  MISSES THE TARGET'}"
        )
        print(f"   {len(calls) + 1 - failed} of {len(calls) + 1} meet the target")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", default="sqlite,postgresql")
    args = parser.parse_args()
    for kind in args.kinds.split(","):
        if kind == "postgresql" and not postgres_reachable():
            print("postgresql: skipped, nothing listens on 127.0.0.1:5432")
            continue
        run(kind, args.learners, args.repeat)


if __name__ == "__main__":
    main()
