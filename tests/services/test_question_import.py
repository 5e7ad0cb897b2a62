"""Importing questions from the admin side: a preview first, drafts saved with an audit row,
trainers refused, HTML never kept as HTML."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from course.content import current
from course.errors import NotAllowed
from course.services import accounts, audit, question_import, users
from course.services.access import Actor
from tests.conftest import ADMIN, PASSWORD, make_academy

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "interop"


@pytest.fixture
def head(database: str, content: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Actor]:
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    current.forget()
    make_academy()
    users.add(ADMIN, "head", "admin", full_name="Head Admin", password=PASSWORD)
    actor = accounts.sign_in("head", PASSWORD).actor
    accounts.accept_notice(actor)
    yield actor
    current.forget()


def test_a_preview_saves_nothing_and_saving_keeps_drafts_with_an_audit_row(
    head: Actor, content: Path
) -> None:
    data = (FIXTURES / "gift" / "moodle" / "questions.gift.txt").read_bytes()
    found = question_import.preview(head, data, "questions.gift.txt", "gift", "ethical-engagement")
    assert [r.title for r in found.rows][:2] == ["Moodle activities", "Q2"]
    assert {s.kind for s in found.skipped} >= {"essay", "numerical"}
    drafts_file = content / "quizzes" / "drafts" / "ethical-engagement.yaml"
    assert not drafts_file.exists()
    saved = question_import.save(head, found)
    assert saved == "quizzes/drafts/ethical-engagement.yaml"
    held = yaml.safe_load(drafts_file.read_text(encoding="utf-8"))["drafts"]
    assert [d["from"] for d in held][:2] == [
        "questions.gift.txt, line 5",
        "questions.gift.txt, line 14",
    ]
    [entry] = [r for r in audit.recent(head) if r.action == "import questions"]
    assert entry.target == "bank ethical-engagement" and "drafts=5" in entry.detail


def test_html_arrives_as_text_never_as_html(head: Actor) -> None:
    data = b'::Q:: [html]<p onclick="x()">Is <b>this</b> <script>alert(1)</script>safe?</p> {T}'
    [row] = question_import.preview(head, data, "h.gift", "gift", "ethical-engagement").rows
    stem = row.draft.question["stem"]
    assert "<" not in stem and "alert" not in stem and "**this**" in stem


def test_trainers_cannot_import_or_export(head: Actor, database: str) -> None:
    trainer = accounts.sign_in("trainer_a", PASSWORD).actor
    with pytest.raises(NotAllowed):
        question_import.preview(trainer, b"::Q:: Yes? {T}", "q.gift", "gift", "ethical-engagement")
    with pytest.raises(NotAllowed):
        question_import.export(trainer, "ethical-engagement")


def test_a_file_that_is_not_utf8_says_so(head: Actor) -> None:
    with pytest.raises(Exception, match="not UTF-8 text"):
        question_import.preview(head, b"\xff\xfe\x00Q", "q.gift", "gift", "ethical-engagement")
