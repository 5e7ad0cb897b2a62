"""A real server and a real Chromium: `streamlit run app.py` on a free port, and Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from course.store import db
from tests.conftest import PASSWORD, make_academy, need

ROOT = Path(__file__).resolve().parents[2]
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


@dataclass
class Server:
    url: str
    database: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    need(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (bash .ci/run installs it)")
    if request.param == "sqlite":
        data = tmp_path_factory.mktemp("server")
        url = f"sqlite:///{data / 'course.db'}"
        from course.store import migrate

        migrate.upgrade(url)
    else:
        url = request.getfixturevalue("postgres_url")
        from tests.conftest import _truncate

        _truncate(url)
    saved = os.environ.get("COURSE_DATABASE_URL")
    os.environ["COURSE_DATABASE_URL"] = url
    db.reset()
    make_academy()
    port = _free_port()
    log = tmp_path_factory.mktemp("log") / "server.log"
    env = {**os.environ, "COURSE_DATABASE_URL": url}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _healthy(base):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the server did not start:\n{log.read_text()}")
        time.sleep(0.2)
    yield Server(url=base, database=url)
    process.terminate()
    process.wait(timeout=20)
    if saved is None:
        os.environ.pop("COURSE_DATABASE_URL", None)
    else:
        os.environ["COURSE_DATABASE_URL"] = saved
    db.reset()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    need(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (bash .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script has finished its run (no sleeps)."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000
    )


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto(base)
    settle(page)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    settle(page)
