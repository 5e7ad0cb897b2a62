"""The command line's tests: each runs against its own content copy, data folder and database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from course.content import current
from course.store import db


@pytest.fixture
def isolated(tmp_path: Path, content: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # set (not deleted) so that the value `--db` writes into os.environ is undone afterwards
    monkeypatch.setenv("COURSE_DATABASE_URL", "")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    monkeypatch.delenv("COURSE_XAPI_ENDPOINT", raising=False)
    db.reset()
    current.forget()
    yield
    db.reset()
    current.forget()
