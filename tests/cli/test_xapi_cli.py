"""`python -m course xapi export|send`: a JSON array of statements, a bad --since as a sentence,
and sending with no store configured as a sentence that keeps the statements queued."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.__main__ import main

pytestmark = pytest.mark.usefixtures("isolated")


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
