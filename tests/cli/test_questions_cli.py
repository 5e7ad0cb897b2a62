"""`python -m course gift|aiken import` and `gift export`: a preview of what each question needs,
drafts that no quiz draws and that `validate` lists, a malformed file that imports nothing and
says where, and a bank exported then re-imported that needs nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from course.__main__ import main
from course.content.loader import load

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "interop"
MOODLE_GIFT = FIXTURES / "gift" / "moodle" / "questions.gift.txt"
MOODLE_AIKEN = FIXTURES / "aiken" / "moodle" / "questions.aiken.txt"


pytestmark = pytest.mark.usefixtures("isolated")


def test_a_dry_run_shows_each_question_and_what_it_needs_and_saves_nothing(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["gift", "import", str(MOODLE_GIFT), "--bank", "conflict-of-interest", "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "line 14: single 'Q2'" in out
    assert "  needs: no rule cited" in out
    assert "question 'Q5' is a numerical question, which the course does not support" in out
    assert "nothing saved" in err
    assert not (content / "quizzes" / "drafts").exists()


def test_imported_questions_are_drafts_no_quiz_draws_and_validate_lists(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, _ = load(content)
    assert main(["aiken", "import", str(MOODLE_AIKEN), "--bank", "ethical-engagement"]) == 0
    drafts = yaml.safe_load((content / "quizzes/drafts/ethical-engagement.yaml").read_text())
    assert drafts["bank"] == "ethical-engagement" and len(drafts["drafts"]) == 2
    after, problems = load(content)
    assert problems == [] and set(after.questions) == set(before.questions)
    capsys.readouterr()
    assert main(["validate"]) == 0  # drafts are a to-do list, not a failure
    out = capsys.readouterr().out
    assert "quizzes/drafts/ethical-engagement.yaml:" in out
    assert "draft 1 (" in out and "rules: this field is required" in out
    assert "2 draft(s) still need an author" in out


def test_a_malformed_file_imports_nothing_and_names_the_line(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.gift"
    broken.write_text("::Q1:: A fine question {=yes ~no}\n\n::Q2:: Unclosed {=a ~b\n")
    assert main(["gift", "import", str(broken), "--bank", "conflict-of-interest"]) == 1
    err = capsys.readouterr().err
    assert "error: broken.gift, line 3:" in err
    assert "Nothing was imported from the file." in err
    assert not (content / "quizzes" / "drafts").exists()


def test_a_bank_exported_and_imported_again_needs_nothing(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "coi.gift"
    assert main(["gift", "export", "--bank", "conflict-of-interest", "-o", str(out)]) == 0
    assert "// sns:" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    code = main(["gift", "import", str(out), "--bank", "conflict-of-interest", "--dry-run"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "needs:" not in printed
    assert printed.count("\nline ") + printed.startswith("line ") == len(
        load(content)[0].banks["conflict-of-interest"].questions
    )


def test_unknown_bank_and_missing_file_are_sentences(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gift", "import", str(MOODLE_GIFT), "--bank", "nope", "--dry-run"]) == 1
    assert capsys.readouterr().err.strip() == "error: There is no bank 'nope'."
    assert main(["gift", "import", "nowhere.gift", "--bank", "nope"]) == 1
    assert "no file 'nowhere.gift'" in capsys.readouterr().err
