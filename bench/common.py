"""What the benchmarks share: throw-away databases, a demo academy, a served app, a baseline page.

Every benchmark prints its figures against a baseline measured in the same run (an empty
Streamlit page for pages and clicks, one raw SQL query for reports), never bare times alone.
"""

from __future__ import annotations

import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if TYPE_CHECKING:
    from course.services.access import Actor

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The baseline: a Streamlit page with one button and nothing else to do.
EMPTY_PAGE = """
import streamlit as st

st.session_state.setdefault("clicks", 0)


def bump():
    st.session_state["clicks"] += 1


st.button("Click", on_click=bump)
st.write(f"Clicked {st.session_state['clicks']}")
"""


def median_time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def postgres_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A new, migrated database ("sqlite" or "postgresql"), made the configured one."""
    import sqlalchemy as sa

    from course.store import db, migrate

    if kind == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        admin = None
        name = ""
    else:
        name = f"sns_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    os.environ["COURSE_DATABASE_URL"] = url
    db.reset()
    migrate.upgrade(url)
    try:
        yield url
    finally:
        db.engine().dispose()
        db.reset()
        if admin is not None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def demo_academy(learners: int = 40) -> str:
    """Fill the configured database with the demo academy; returns the demo password."""
    from course.services import demo
    from course.services.access import Actor

    demo.build(Actor.command_line(), learners=learners, seed=7)
    return demo.DEMO_PASSWORD


DEMO_COHORT = "CTP 2026 Batch A"  # the demo's probationer cohort
_FRESH = itertools.count(1)


def fresh_actors(count: int, password: str) -> list[Actor]:
    """New learners in the demo's probationer cohort, who have played and taken nothing
    (the demo's own learners have used up attempts), signed in and past the notice."""
    from course.services import accounts, users
    from course.services.access import Actor

    actors: list[Actor] = []
    for _ in range(count):
        n = next(_FRESH)  # numbered on across calls: each name is new
        name = f"bench{n}"
        users.add(
            Actor.command_line(),
            name,
            "learner",
            full_name=f"Bench Learner {n}",
            cohort=DEMO_COHORT,
            section="Section 1",
            password=password,
        )
        actor = accounts.sign_in(name, password).actor
        accounts.accept_notice(actor)
        actors.append(actor)
    return actors


def fresh_learners(count: int, password: str) -> list[str]:
    """The usernames of `count` fresh learners (see `fresh_actors`)."""
    return [actor.username for actor in fresh_actors(count, password)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(script: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run script` on a free port until the block ends; yields its address."""
    port = free_port()
    log = open(Path(tempfile.mkdtemp()) / "server.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"the server did not start: see {log.name}") from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def empty_page() -> Path:
    path = Path(tempfile.mkdtemp()) / "empty_page.py"
    path.write_text(EMPTY_PAGE)
    return path
