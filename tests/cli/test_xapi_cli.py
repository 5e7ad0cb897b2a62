"""`python -m course xapi export|send`: a JSON array of statements, a bad --since as a sentence,
and sending with no store configured as a sentence that keeps the statements queued."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from course.__main__ import main
from course.content import current
from course.store import db


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, content: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("COURSE_DATABASE_URL", "")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    monkeypatch.delenv("COURSE_XAPI_ENDPOINT", raising=False)
    db.reset()
    current.forget()
    yield
    db.reset()
    current.forget()


def test_export_writes_a_json_array_and_since_must_be_a_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--learners", "6"]) == 0
    out = tmp_path / "statements.json"
    assert main(["xapi", "export", "--since", "2020-01-01", "-o", str(out)]) == 0
    found = json.loads(out.read_text(encoding="utf-8"))
    assert found and all(s["actor"]["objectType"] == "Agent" for s in found)
    assert f"{len(found)} statement(s)" in capsys.readouterr().err
    assert main(["xapi", "export", "--since", "yesterday"]) == 1
    assert "--since 'yesterday' is not a date" in capsys.readouterr().err
    assert main(["xapi", "export", "--since", "2026-12-01T09:00"]) == 1
    assert "needs a time zone" in capsys.readouterr().err


def test_send_without_a_store_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["xapi", "send"]) == 1
    assert "No learning record store is configured" in capsys.readouterr().err
