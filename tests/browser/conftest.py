"""A real server and a real Chromium: `streamlit run app.py` on a free port, and Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from course.content import current
from course.content.loader import load
from course.content.schema import QUESTION_TYPES
from course.services import accounts, users
from course.store import db
from tests.conftest import ADMIN, PASSWORD, make_academy, need
from tests.helpers import add_quiz

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts"
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
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@dataclass
class Server:
    url: str
    database: str
    log: Path
    port: int
    content: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        env = {**os.environ, "COURSE_DATABASE_URL": self.database}
        if self.content is not None:
            env["COURSE_CONTENT_DIR"] = str(self.content)
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    str(ROOT / "app.py"),
                    "--server.port",
                    str(self.port),
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
        deadline = time.monotonic() + 60
        while not _healthy(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"the server did not start:\n{self.log.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def restart(self) -> None:
        """Stop and start again (a deploy, a crash): no page has been visited since."""
        self.stop()
        self.start()


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


EVERY_TYPE = "every-type"  # a quiz asking one question of each type, in a fixed order


def with_every_type(shipped: Path, into: Path) -> Path:
    """The shipped content plus a quiz that asks one question of each type (for a11y runs)."""
    root = into / "content"
    shutil.copytree(shipped, root)
    catalogue, _ = load(root)
    first = {}
    for question in catalogue.questions.values():
        first.setdefault(question.type, question.id)
    add_quiz(
        root,
        {
            "id": EVERY_TYPE,
            "title": "Every type",
            "questions": [first[t] for t in QUESTION_TYPES],
            "shuffle_questions": False,
            "review": {"after_attempt": ["score", "correctness", "feedback"]},
        },
    )
    return root


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    shipped_content: Path,
) -> Iterator[Server]:
    need(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (scripts/test installs it)")
    if request.param == "sqlite":
        data = tmp_path_factory.mktemp("server")
        url = f"sqlite:///{data / 'course.db'}"
        from course.store import migrate

        migrate.upgrade(url)
    else:
        url = request.getfixturevalue("postgres_url")
        from tests.conftest import _truncate

        _truncate(url)
    content = with_every_type(shipped_content, tmp_path_factory.mktemp("content"))
    saved = {k: os.environ.get(k) for k in ("COURSE_DATABASE_URL", "COURSE_CONTENT_DIR")}
    os.environ["COURSE_DATABASE_URL"] = url
    os.environ["COURSE_CONTENT_DIR"] = str(content)
    current.forget()
    db.reset()
    make_academy()
    users.add(ADMIN, "head", "admin", full_name="Head Admin", password=PASSWORD)
    accounts.accept_notice(accounts.sign_in("head", PASSWORD).actor)
    port = _free_port()
    log = tmp_path_factory.mktemp("log") / "server.log"
    running = Server(
        url=f"http://127.0.0.1:{port}", database=url, log=log, port=port, content=content
    )
    running.start()
    yield running
    running.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    current.forget()
    db.reset()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    need(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (scripts/test installs it)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def settle(page: Any) -> None:
    """Wait until the script has finished its run (no sleeps)."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000
    )


def wait_for_cookie(context: Any, page: Any) -> dict[str, Any]:
    """The browser fetches the HttpOnly cookie just after sign-in; JS cannot see it, so poll."""
    for _ in range(100):
        found = [c for c in context.cookies() if c["name"] == "sns_session"]
        if found:
            return dict(found[0])
        page.wait_for_timeout(100)
    raise AssertionError("the sign-in cookie never arrived")


def sign_in(page: Any, base: str, username: str, password: str = PASSWORD, path: str = "") -> None:
    page.goto(f"{base}/{path}")
    settle(page)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    settle(page)
    wait_for_cookie(page.context, page)


def focused(page: Any) -> str:
    """What has the keyboard's focus: its tag and accessible name (or text)."""
    return str(
        page.evaluate(
            "(() => { const a = document.activeElement;"
            " return a.tagName + ' ' + (a.getAttribute('aria-label') || a.textContent || '')"
            ".trim().slice(0, 80); })()"
        )
    )


def focus_becomes(page: Any, wanted: str, timeout_ms: int = 10_000) -> str:
    """Wait until the focused element's description starts with `wanted` (the page moves focus
    once it has drawn the new step, a moment after the script run ends)."""
    waited = 0
    while waited < timeout_ms:
        now = focused(page)
        if now.startswith(wanted):
            return now
        page.wait_for_timeout(50)
        waited += 50
    moved = page.evaluate("window.__snsFocused")
    heads = page.locator("h2").all_inner_texts()
    raise AssertionError(
        f"focus is on {focused(page)!r}, not {wanted!r} (last step {moved}; at {page.url}, "
        f"headings {heads})"
    )
