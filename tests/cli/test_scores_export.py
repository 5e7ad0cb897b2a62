"""`python -m course scores export`: a cohort's scores as CSV, to a file or standard output."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from course.__main__ import main
from course.services import audit, cohorts
from tests.conftest import ADMIN, Academy

URDU = "عائشہ صدیقی"


def test_export_writes_a_file_with_a_bom_and_safe_cells(
    academy: Academy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cohorts.import_roster(ADMIN, "CTP 2027", f"username,full_name\nmallory,=1+1\nayesha,{URDU}\n")
    out = tmp_path / "scores.csv"
    assert main(["scores", "export", "--cohort", "CTP 2027", "-o", str(out)]) == 0
    assert "wrote 8 learner(s)" in capsys.readouterr().err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    names = {r["username"]: r["full_name"] for r in rows}
    assert names["mallory"] == "'=1+1" and names["ayesha"] == URDU
    assert "ei-quiz grade" in rows[0] and "mastery conflict-of-interest" in rows[0]
    (entry,) = [r for r in audit.recent(ADMIN) if r.action == "scores.export"]
    assert entry.who == "command line" and "rows=8" in entry.detail


def test_export_without_a_file_goes_to_standard_output(
    academy: Academy, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["scores", "export", "--cohort", "CTP 2027"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbfusername,full_name,section,")
    assert len(out.decode("utf-8-sig").splitlines()) == 1 + 6


def test_export_problems_are_one_line_and_exit_1(
    academy: Academy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scores", "export", "--cohort", "No such cohort"]) == 1
    assert capsys.readouterr().err == "error: There is no cohort named 'No such cohort'.\n"
    with pytest.raises(SystemExit) as exited:
        main(["scores", "export"])
    assert exited.value.code == 1 and "--cohort" in capsys.readouterr().err
    nowhere = tmp_path / "missing" / "scores.csv"
    assert main(["scores", "export", "--cohort", "CTP 2027", "-o", str(nowhere)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write '{nowhere}'") and "Traceback" not in err
