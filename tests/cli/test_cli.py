"""The command line, called as `main(argv)`: exit codes, one line per problem, never a traceback."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml

from course.__main__ import main
from course.content.loader import FRONT
from course.services import accounts

ONE_TIME = r"[a-z2-9]{4}(-[a-z2-9]{4}){3}"
PATH_LINE = re.compile(r"^[\w./-]+:\d+: \S")


class Terminal(io.StringIO):
    """A stdin that is a terminal: nobody has piped a password in."""

    def isatty(self) -> bool:
        return True


# ---- content and database for each test ----


pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "x.db"


@pytest.fixture
def url(db_file: Path) -> str:
    return f"sqlite:///{db_file}"


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def stdin(monkeypatch: pytest.MonkeyPatch, typed: io.StringIO) -> None:
    monkeypatch.setattr(sys, "stdin", typed)


def break_walk_away(content: Path) -> tuple[str, int]:
    """Make the walk-away front matter invalid YAML; the file and the line it breaks."""
    module = content / "modules" / "walk-away" / "module.md"
    text = module.read_text(encoding="utf-8")
    assert text.count("title: Walking away from") == 1
    text = text.replace("title: Walking away from", "title: Walking: away from")
    module.write_text(text, encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if x.startswith("title: Walking:"))
    return "modules/walk-away/module.md", line


# ---- validate ----


def test_validate_good_copy_exits_0(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0

    out, err = capsys.readouterr()
    modules = len(list((content / "modules").glob("*/module.md")))
    assert re.fullmatch(rf"ok: {modules} modules, \d+ banks \(\d+ questions\), .*\n", out)
    assert err == ""


def test_validate_broken_copy_prints_path_line_and_exits_1(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel, line = break_walk_away(content)

    assert main(["validate", "--content", str(content)]) == 1

    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert f"{rel}:{line}: not valid YAML: mapping values are not allowed here" in lines
    assert all(PATH_LINE.match(one) for one in lines), lines
    assert err == f"{len(lines)} problem(s) found\n"
    assert "Traceback" not in out + err


def test_validate_missing_folder_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--content", "/nonexistent"]) == 1

    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: content folder '/nonexistent' does not exist\n"


# ---- db upgrade ----


def test_db_upgrade_creates_the_schema_and_can_run_again(
    url: str, db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade", "--db", url]) == 0
    assert main(["db", "upgrade", "--db", url]) == 0

    assert capsys.readouterr().out == "database is at the newest schema\n" * 2
    tables = {name for (name,) in query(db_file, "select name from sqlite_master")}
    assert {"alembic_version", "app_user", "cohort", "enrolment", "attempt"} <= tables


# ---- users add ----


def test_users_add_reads_the_password_from_stdin(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, io.StringIO("piped-passphrase-42\n"))

    code = main(
        ["users", "add", "Ayesha.Khan", "--role", "learner", "--name", "Ayesha Khan", "--db", url]
    )

    assert code == 0
    assert capsys.readouterr().out == "created learner 'ayesha.khan'\n"
    signed_in = accounts.sign_in("ayesha.khan", "piped-passphrase-42")
    assert signed_in.actor.full_name == "Ayesha Khan"
    assert not signed_in.must_change_password


def test_users_add_at_a_terminal_prints_a_one_time_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, Terminal())

    assert main(["users", "add", "head", "--role", "admin"]) == 0

    created, issued = capsys.readouterr().out.splitlines()
    assert created == "created admin 'head'"
    found = re.fullmatch(
        rf"one-time password: ({ONE_TIME})  \(must be changed at first sign-in\)", issued
    )
    assert found, issued
    # no --db: the SQLite file under COURSE_DATA_DIR
    assert query(tmp_path / "data" / "course.db", "select username, is_admin from app_user") == [
        ("head", 1)
    ]
    signed_in = accounts.sign_in("head", found.group(1))
    assert signed_in.must_change_password
    assert signed_in.actor.is_admin


def test_users_add_bad_role_exits_1_with_one_line(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, Terminal())

    with pytest.raises(SystemExit) as stop:
        main(["users", "add", "bilal", "--role", "boss", "--db", url])

    assert stop.value.code == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("error: argument --role: invalid choice: 'boss'")


def test_users_add_trainer_without_cohort_exits_1_with_one_line(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, Terminal())

    assert main(["users", "add", "bilal", "--role", "trainer", "--db", url]) == 1

    assert capsys.readouterr().err == "error: A trainer belongs to a cohort: add --cohort NAME.\n"


def test_users_add_short_password_exits_1_and_creates_nobody(
    url: str, db_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, io.StringIO("short\n"))

    assert main(["users", "add", "bilal", "--role", "learner", "--db", url]) == 1

    assert capsys.readouterr().err == "error: Choose a password of at least 10 characters.\n"
    assert query(db_file, "select count(*) from app_user") == [(0,)]


# ---- cohorts add ----


def test_cohorts_add_twice_exits_1_the_second_time(
    url: str, db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ["cohorts", "add", "CTP 2027", "--track", "probationer", "--section", "A", "--db", url]

    assert main(add) == 0
    assert capsys.readouterr().out == "created cohort 'CTP 2027' (probationer)\n"
    assert main(add) == 1

    assert capsys.readouterr().err == "error: A cohort named 'CTP 2027' already exists.\n"
    assert query(db_file, "select name, track from cohort") == [("CTP 2027", "probationer")]


# ---- roster import ----


@pytest.fixture
def cohort(url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["cohorts", "add", "CTP 2027", "--track", "probationer", "--db", url]) == 0
    capsys.readouterr()
    return "CTP 2027"


def roster(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_roster_import_with_bom_prints_one_time_passwords(
    tmp_path: Path, url: str, db_file: Path, cohort: str, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = roster(
        tmp_path,
        "\ufeffusername,full_name,section\r\nali.khan,Ali Khan,A\r\nsara.malik,Sara Malik,\r\n",
    )

    assert main(["roster", "import", str(csv), "--cohort", cohort, "--db", url]) == 0

    out, err = capsys.readouterr()
    printed = dict(line.split(",one-time password ") for line in out.splitlines())
    assert sorted(printed) == ["ali.khan", "sara.malik"]
    assert all(re.fullmatch(ONE_TIME, password) for password in printed.values())
    assert err == f"enrolled 2 learner(s) in '{cohort}'\n"
    assert accounts.sign_in("ali.khan", printed["ali.khan"]).must_change_password
    enrolled = query(
        db_file,
        "select u.username, u.full_name, e.role, s.name from enrolment e"
        " join app_user u on u.id = e.user_id left join section s on s.id = e.section_id"
        " order by u.username",
    )
    assert enrolled == [
        ("ali.khan", "Ali Khan", "learner", "A"),
        ("sara.malik", "Sara Malik", "learner", None),
    ]


def test_roster_import_with_two_bad_rows_names_both_and_enrols_nobody(
    tmp_path: Path, url: str, db_file: Path, cohort: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = roster(
        tmp_path,
        "username,full_name\nali.khan,Ali Khan\nBad Name!,Someone\n"
        "sara.malik,Sara Malik\nnadia.r,\n",
    )

    assert main(["roster", "import", str(bad), "--cohort", cohort, "--db", url]) == 1

    out, err = capsys.readouterr()
    assert out == ""
    row3, row5 = err.splitlines()
    assert row3.startswith("error: row 3: Username 'Bad Name!' may use only")
    assert row5 == "error: row 5: full_name is empty"
    assert query(db_file, "select count(*) from app_user") == [(0,)]
    assert query(db_file, "select count(*) from enrolment") == [(0,)]

    good = roster(tmp_path, "username,full_name\nali.khan,Ali Khan\n", name="fixed.csv")
    assert main(["roster", "import", str(good), "--cohort", cohort, "--db", url]) == 0
    # a new account, not an "existing account": the failed import created nobody
    assert re.fullmatch(rf"ali\.khan,one-time password {ONE_TIME}\n", capsys.readouterr().out)


def test_roster_import_missing_file_exits_1(
    tmp_path: Path, url: str, cohort: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nobody.csv"

    assert main(["roster", "import", str(missing), "--cohort", cohort, "--db", url]) == 1

    assert capsys.readouterr().err == f"error: no file '{missing}'\n"


def test_roster_import_into_unknown_cohort_exits_1(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = roster(tmp_path, "username,full_name\nali.khan,Ali Khan\n")

    assert main(["roster", "import", str(csv), "--cohort", "CTP 1999", "--db", url]) == 1

    assert capsys.readouterr().err == "error: There is no cohort named 'CTP 1999'.\n"


# ---- inventory ----

SYNTHETIC_BANK = """id: zz-synthetic
competency: epistemic-insularity
title: Synthetic bank
questions:
  - id: zzz-901
    type: true_false
    difficulty: easy
    about: {{officer: any}}
    use: practice
    rules: [{rule}]
    stem: An officer may post about an official dispute without permission.
    answer: false
    feedback_true: Not so; permission comes first.
    feedback_false: Right; permission comes first.
    misconception: A personal account is outside the rules.
"""


def add_synthetic_quiz(content: Path) -> None:
    """A one-question bank and a quiz that asks it, whatever the shipped banks hold."""
    rules = yaml.safe_load((content / "rules" / "rules.yaml").read_text(encoding="utf-8"))
    verified = next(r["id"] for r in rules if r["status"] == "verified")
    banks = content / "quizzes" / "banks"
    banks.mkdir(exist_ok=True)
    (banks / "zz-synthetic.yaml").write_text(SYNTHETIC_BANK.format(rule=verified))
    path = content / "quizzes" / "quizzes.yaml"
    quizzes = yaml.safe_load(path.read_text(encoding="utf-8"))
    quizzes.append(
        {
            "id": "zz-check",
            "title": "Synthetic check",
            "kind": "knowledge_check",
            "questions": ["zzz-901"],
            "pass_mark": 0.5,
        }
    )
    path.write_text(yaml.safe_dump(quizzes, sort_keys=False), encoding="utf-8")


def front_matter(module: Path) -> dict[str, Any]:
    found = FRONT.match(module.read_text(encoding="utf-8"))
    assert found
    return yaml.safe_load(found.group(1))


def test_inventory_json_has_the_design_keys(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_synthetic_quiz(content)

    assert main(["inventory", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    modules = {m["id"]: m for m in report["modules"]}
    for path in (content / "modules").glob("*/module.md"):
        written = front_matter(path)
        shown = modules[written["id"]]
        assert shown["title"] == written["title"]
        assert shown["tracks"] == written["tracks"]
        assert shown["competencies"] == written["competencies"]
        situations = written["scenario"]["situations"]
        assert shown["decision_points"] == sum(1 for s in situations if not s.get("ending"))
    assert len(modules) == len(list((content / "modules").glob("*/module.md")))

    banks = {b["id"]: b for b in report["banks"]}
    for bank in banks.values():
        assert {"id", "competency", "questions", "by_type"} <= bank.keys()
        assert set(bank["by_type"]) == {"single", "multiple", "true_false", "matching", "ordering"}
        assert sum(bank["by_type"].values()) == bank["questions"]
    assert banks["zz-synthetic"]["questions"] == 1
    assert banks["zz-synthetic"]["by_type"]["true_false"] == 1

    written_quizzes = yaml.safe_load((content / "quizzes" / "quizzes.yaml").read_text("utf-8"))
    quizzes = {q["id"]: q for q in report["quizzes"]}
    assert set(quizzes) == {q["id"] for q in written_quizzes}
    for written in written_quizzes:
        shown = quizzes[written["id"]]
        assert shown["tracks"] == written.get("tracks", [])
        assert shown["draws"] == len(written.get("questions", [])) + sum(
            d["count"] for d in written.get("draws", [])
        )
        assert shown["pass_mark"] == written["pass_mark"]
    assert (quizzes["zz-check"]["draws"], quizzes["zz-check"]["pass_mark"]) == (1, 0.5)

    rules = yaml.safe_load((content / "rules" / "rules.yaml").read_text(encoding="utf-8"))
    assert report["rules"] == len(rules)


def test_inventory_of_broken_content_exits_1_without_traceback(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rel, line = break_walk_away(content)

    assert main(["inventory", "--json"]) == 1

    out, err = capsys.readouterr()
    # what loaded is still described, for an author watching the figures while fixing
    described = json.loads(out)
    assert "walk-away" not in {m["id"] for m in described["modules"]}
    assert described["banks"]
    lines = err.splitlines()
    assert re.fullmatch(
        r"error: \d+ problem\(s\) in the content \(what loaded is described\):", lines[0]
    )
    assert f"error: {rel}:{line}: not valid YAML: mapping values are not allowed here" in lines
    assert "Traceback" not in err


# ---- demo ----


def test_demo_builds_once(url: str, db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--learners", "5", "--db", url]) == 0

    out = capsys.readouterr().out
    assert "5 learners" in out
    assert "learner1..learner5" in out
    users = query(db_file, "select count(*), sum(is_demo) from app_user")
    assert users == [(10, 10)]  # admin, three trainers, a viewer and the learners
    plays = query(db_file, "select count(*) from scenario_play")[0][0]
    assert plays > 0
    # quiz attempts too, so the trainers' grade table is not all dashes
    attempts, scored, low, high = query(
        db_file, "select count(*), count(score), min(score), max(score) from attempt"
    )[0]
    assert attempts > 0 and scored > 0 and 0 <= low < high <= 1
    assert query(db_file, "select count(*) from answer")[0][0] > attempts

    assert main(["demo", "--learners", "5", "--db", url]) == 1
    assert capsys.readouterr().err == "error: The demo academy is already here.\n"
    assert query(db_file, "select count(*) from app_user") == [(10,)]


def test_demo_refuses_a_database_with_a_real_user(
    url: str, db_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, Terminal())
    assert main(["users", "add", "head", "--role", "admin", "--db", url]) == 0
    capsys.readouterr()

    assert main(["demo", "--learners", "5", "--db", url]) == 1

    assert capsys.readouterr().err == (
        "error: This database holds real accounts; the demo only fills an empty one.\n"
    )
    assert query(db_file, "select username from app_user") == [("head",)]
    assert query(db_file, "select count(*) from cohort") == [(0,)]
