"""Who may call what: every service call, tried by every kind of person.

The people: a learner (learner_a1, section A of CTP), the learner's trainer (trainer_a), a
trainer of another section (trainer_b), a trainer of another cohort (trainer_r), the cohort's
viewer, an administrator who signed in, and the learner after signing out. "ok" means the call
went through; a refusal names the error. The records tried belong to learner_a1.
"""

from __future__ import annotations

import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

import course.services
from course import clock
from course.errors import BadInput, Conflict, NotAllowed, NotFound
from course.services import (
    accounts,
    anchors,
    audit,
    certificates,
    cohorts,
    dashboard,
    demo,
    due,
    exports,
    guidance,
    item_analysis,
    learner_home,
    question_import,
    quizzes,
    reports,
    scenario_analytics,
    scenarios,
    users,
)
from course.services.access import Actor
from course.store.db import transaction
from course.store.models import Certificate
from tests.conftest import ADMIN, PASSWORD, Academy, make_academy
from tests.helpers import best_path

PEOPLE = (
    "learner",
    "own_trainer",
    "other_section",
    "other_cohort",
    "viewer",
    "admin",
    "signed_out",
)
OK, NO, GONE = "ok", NotAllowed, NotFound


@dataclass
class World:
    people: dict[str, Actor]
    academy: Academy
    attempt: int  # learner_a1's open ei-quiz attempt
    play: int  # learner_a1's walk-away play, at its first decision
    certificate: int  # learner_a1's certificate


@pytest.fixture
def world(database: str) -> World:
    academy = make_academy()
    users.add(ADMIN, "head", "admin", full_name="Head Admin", password=PASSWORD)
    head = accounts.sign_in("head", PASSWORD).actor
    accounts.accept_notice(head)
    learner = academy.learners["learner_a1"]
    gone = accounts.sign_in("learner_a1", PASSWORD)
    accounts.sign_out(gone.session_id)
    attempt = quizzes.start_attempt(learner, "ei-quiz").id
    play = scenarios.begin(learner, "walk-away").id
    people = {
        "learner": learner,
        "own_trainer": academy.trainers["trainer_a"],
        "other_section": academy.trainers["trainer_b"],
        "other_cohort": academy.trainers["trainer_r"],
        "viewer": academy.trainers["viewer"],
        "admin": head,
        "signed_out": gone.actor,
    }
    with transaction() as db:  # as if learner_a1 had completed the course
        certificate = Certificate(
            code="7KQ4-M2XD-9F0B-TR6W",
            user_id=learner.user_id,
            track="probationer",
            name="Learner A1",
            completed_at=clock.now(),
            issued_at=clock.now(),
            expires_at=clock.now() + timedelta(days=365),
        )
        db.add(certificate)
        db.flush()
        certificate_id = certificate.id
    return World(people, academy, attempt, play, certificate_id)


Call = Callable[[Actor, World], Any]


def expect(**by_person: object) -> dict[str, object]:
    """Outcomes per person; `rest` fills the people not named."""
    rest = by_person.pop("rest", NO)
    return {p: by_person.get(p, rest) for p in PEOPLE}


def first_choice(world: World) -> str:
    return best_path("walk-away")[0].choice_id


def enrolled_in_a1_rows(rows: object) -> bool:
    return "learner_a1" in str(rows)


def kept_to_sections(who: str, rows: object) -> None:
    """Learners one by one: trainer_a sees section A, trainer_b section B, an administrator
    both (the names are learner_a1 ... and learner_b1 ...)."""
    seen = {name for name in ("learner_a", "learner_b") if name in str(rows)}
    wanted = {
        "own_trainer": {"learner_a"},
        "other_section": {"learner_b"},
        "admin": {"learner_a", "learner_b"},
    }[who]
    if seen != wanted:
        pytest.fail(f"{who} sees learners of {sorted(seen)}")


def sections_compared(who: str, comparison: dashboard.Comparison) -> None:
    names = [s.section for s in comparison.sections]
    wanted = {"own_trainer": ["A"], "other_section": ["B"]}.get(who, ["A", "B"])
    if names != wanted:
        pytest.fail(f"{who} compares sections {names}")


def ctp(world: World) -> int:
    return world.academy.ids["ctp"]


def a1(world: World) -> int:
    user_id = world.people["learner"].user_id
    assert user_id is not None
    return user_id


# (service call name, the call, outcomes per person, a check of an allowed result)
MATRIX: list[tuple[str, Call, dict[str, object], Callable[[str, Any], None] | None]] = [
    (
        "learner_home.home",
        lambda a, w: learner_home.home(a),
        expect(rest=OK, signed_out=NO),
        lambda who, home: (
            None
            if (home.track is not None) == (who == "learner")
            else pytest.fail(f"{who} got a course: {home.track}")
        ),
    ),
    (
        "due.what_is_due",
        lambda a, w: due.what_is_due(a),
        expect(rest=OK, signed_out=NO),
        # nobody here is a serving officer: a probationer follows the course, staff have none
        lambda who, found: None if found is None else pytest.fail(f"{who} got reviews due"),
    ),
    ("quizzes.status", lambda a, w: quizzes.status(a, "ei-quiz"), expect(learner=OK), None),
    (
        "quizzes.start_attempt",
        lambda a, w: quizzes.start_attempt(a, "ei-quiz"),
        expect(learner=OK),
        lambda who, started: None if started.attempt_no == 1 else pytest.fail("a second attempt"),
    ),
    (
        "quizzes.record_answer",
        lambda a, w: quizzes.record_answer(a, w.attempt, 0, {"value": True, "choice": "a"}),
        expect(learner="any", rest=GONE, signed_out=NO),
        None,
    ),
    (
        "quizzes.finish_attempt",
        lambda a, w: quizzes.finish_attempt(a, w.attempt),
        expect(learner=OK, rest=GONE, signed_out=NO),
        None,
    ),
    (
        "quizzes.attempt_view",
        lambda a, w: quizzes.attempt_view(a, w.attempt),
        expect(learner=OK, rest=GONE, signed_out=NO),
        None,
    ),
    (
        "quizzes.attempt_by_number",
        lambda a, w: quizzes.attempt_by_number(a, "ei-quiz", 1),
        expect(learner=OK, rest=GONE, signed_out=NO),
        None,
    ),
    ("scenarios.preview", lambda a, w: scenarios.preview(a, "walk-away"), expect(learner=OK), None),
    (
        "scenarios.latest_play",
        lambda a, w: scenarios.latest_play(a, "walk-away"),
        expect(learner=OK),
        None,
    ),
    (
        "scenarios.start_play",
        lambda a, w: scenarios.start_play(a, "walk-away"),
        expect(learner=OK),
        None,
    ),
    ("scenarios.begin", lambda a, w: scenarios.begin(a, "walk-away"), expect(learner=OK), None),
    (
        "scenarios.begin_scenario",
        lambda a, w: scenarios.begin_scenario(a, w.play),
        expect(learner=OK, rest=GONE, signed_out=NO),
        None,
    ),
    (
        "scenarios.choose",
        lambda a, w: scenarios.choose(a, w.play, 0, first_choice(w)),
        expect(learner=OK, rest=GONE, signed_out=NO),
        None,
    ),
    (
        "scenarios.carry_on",
        lambda a, w: scenarios.carry_on(a, w.play),
        expect(learner=OK, rest=GONE, signed_out=NO),
        None,
    ),
    (
        "scenarios.save_reflection",
        lambda a, w: scenarios.save_reflection(a, w.play, "mine"),
        expect(learner=OK, rest=GONE, signed_out=NO),
        None,
    ),
    (
        "reports.completion",
        lambda a, w: reports.completion(a, w.academy.ids["ctp"]),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        lambda who, table: (
            None
            if enrolled_in_a1_rows(table.learners) == (who != "other_section")
            else pytest.fail(f"{who} sees the wrong learners")
        ),
    ),
    (
        "reports.quiz_grades",
        lambda a, w: reports.quiz_grades(a, w.academy.ids["ctp"]),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        lambda who, grades: (
            None
            if enrolled_in_a1_rows(grades.learners) == (who != "other_section")
            else pytest.fail(f"{who} sees the wrong learners")
        ),
    ),
    (
        "reports.choice_distribution",
        lambda a, w: reports.choice_distribution(a, w.academy.ids["ctp"]),
        expect(own_trainer=OK, other_section=OK, admin=OK),
        None,
    ),
    (
        "dashboard.attention",
        lambda a, w: dashboard.attention(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        # viewers get the counts without the names
        lambda who, seen: (
            (None if seen.at_risk is None else pytest.fail("a viewer sees names"))
            if who == "viewer"
            else kept_to_sections(who, seen.at_risk.items)
        ),
    ),
    (
        "dashboard.scores",
        lambda a, w: dashboard.scores(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        None,
    ),
    (
        "dashboard.progress",
        lambda a, w: dashboard.progress(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        None,
    ),
    (
        "dashboard.mastery",
        lambda a, w: dashboard.mastery(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        None,
    ),
    (
        "dashboard.mastery_matrix",
        lambda a, w: dashboard.mastery_matrix(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, admin=OK),
        lambda who, matrix: kept_to_sections(who, matrix.learners.items),
    ),
    (
        "dashboard.learner_record (learner_a1's)",
        lambda a, w: dashboard.learner_record(a, ctp(w), a1(w)),
        # a trainer of another section is told there is no such learner in their sections
        expect(own_trainer=OK, admin=OK, other_section=GONE),
        lambda who, record: (
            None if record.username == "learner_a1" else pytest.fail(f"{who}: {record}")
        ),
    ),
    (
        "anchors.learning_over_time",
        lambda a, w: anchors.learning_over_time(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        # nobody has taken the anchor check before and after: no figure, for anyone
        lambda who, found: None if found.gain is None else pytest.fail(f"{who}: {found}"),
    ),
    (
        "dashboard.comparison",
        lambda a, w: dashboard.comparison(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        sections_compared,
    ),
    (
        "item_analysis.quiz_analysis",
        lambda a, w: item_analysis.quiz_analysis(a, ctp(w), "ei-quiz"),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        None,
    ),
    (
        "item_analysis.bank_analysis",
        lambda a, w: item_analysis.bank_analysis(a, ctp(w), "epistemic-insularity"),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        None,
    ),
    (
        "item_analysis.kept_report (any report: the access check comes first)",
        lambda a, w: item_analysis.kept_report(
            a, ctp(w), ("sections", a.username), lambda db, scope: scope.sections
        ),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        # a section's trainer sees their section; the viewer (of the whole cohort) and the
        # administrator see all of it
        lambda who, sections: (
            None
            if (sections is None) == (who in ("admin", "viewer"))
            else pytest.fail(f"{who}: {sections}")
        ),
    ),
    (
        "item_analysis.worst_items",
        lambda a, w: item_analysis.worst_items(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        None,
    ),
    (
        "item_analysis.misconceptions",
        lambda a, w: item_analysis.misconceptions(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, viewer=OK, admin=OK),
        None,
    ),
    (
        "scenario_analytics.decision_shares",
        lambda a, w: scenario_analytics.decision_shares(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, admin=OK),
        None,
    ),
    (
        "scenario_analytics.paths",
        lambda a, w: scenario_analytics.paths(a, ctp(w), "walk-away"),
        expect(own_trainer=OK, other_section=OK, admin=OK),
        None,
    ),
    (
        "scenario_analytics.choices_and_scores",
        lambda a, w: scenario_analytics.choices_and_scores(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, admin=OK),
        None,
    ),
    (
        "exports.scores_csv",
        lambda a, w: exports.scores_csv(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, admin=OK),
        kept_to_sections,
    ),
    (
        "exports.attempts_csv",
        lambda a, w: exports.attempts_csv(a, ctp(w)),
        expect(own_trainer=OK, other_section=OK, admin=OK),
        None,
    ),
    (
        "exports.cohort_named",
        lambda a, w: exports.cohort_named(a, "CTP 2027"),
        expect(own_trainer=OK, other_section=OK, admin=OK),
        None,
    ),
    (
        "cohorts.list_cohorts",
        lambda a, w: cohorts.list_cohorts(a),
        expect(rest=OK, signed_out=NO),
        lambda who, listed: (
            None
            if {c.name for c in listed}
            == {
                "learner": set(),
                "own_trainer": {"CTP 2027"},
                "other_section": {"CTP 2027"},
                "other_cohort": {"Refresher 2027"},
                "viewer": {"CTP 2027"},
                "admin": {"CTP 2027", "Refresher 2027"},
            }[who]
            else pytest.fail(f"{who} lists {listed}")
        ),
    ),
    (
        "cohorts.create_cohort",
        lambda a, w: cohorts.create_cohort(a, "New 2028", "probationer"),
        expect(admin=OK),
        None,
    ),
    (
        "cohorts.add_member (a new learner into section A)",
        lambda a, w: cohorts.add_member(a, "CTP 2027", "fresh.one", "Fresh One", "learner", "A"),
        expect(own_trainer=OK, admin=OK),
        None,
    ),
    (
        "cohorts.add_member (learner_a1 moved to section B)",
        lambda a, w: cohorts.add_member(a, "CTP 2027", "learner_a1", "x", "learner", "B"),
        expect(admin=OK),
        None,
    ),
    (
        "cohorts.enrol (learner_b1 pulled into section A)",
        lambda a, w: cohorts.enrol(a, "CTP 2027", "learner_b1", "learner", "A"),
        expect(admin=OK),
        None,
    ),
    (
        "cohorts.import_roster",
        lambda a, w: cohorts.import_roster(
            a, "CTP 2027", "username,full_name,section\nr.x,R X,A\n"
        ),
        # a trainer of section B is refused for the row that names section A
        expect(own_trainer=OK, admin=OK, other_section=BadInput),
        None,
    ),
    ("audit.recent", lambda a, w: audit.recent(a), expect(admin=OK), None),
    (
        "question_import.preview",
        lambda a, w: question_import.preview(
            a, b"::Q:: Yes? {T}", "q.gift", "gift", "ethical-engagement"
        ),
        expect(admin=OK),
        lambda who, found: None if len(found.rows) == 1 else pytest.fail(f"{found}"),
    ),
    (
        "question_import.save (a preview with nothing to keep)",
        lambda a, w: question_import.save(
            a, question_import.Preview("q.gift", "ethical-engagement", (), ())
        ),
        # an administrator is told there is nothing to keep; nothing is written for anyone
        expect(admin=BadInput),
        None,
    ),
    (
        "question_import.export",
        lambda a, w: question_import.export(a, "ethical-engagement"),
        expect(admin=OK),
        lambda who, text: None if "// sns:" in text else pytest.fail("no extras"),
    ),
    (
        "certificates.mine",
        lambda a, w: certificates.mine(a),
        expect(rest=OK, signed_out=NO),
        lambda who, mine: (
            None
            if len(mine) == (who == "learner")
            else pytest.fail(f"{who} holds {len(mine)} certificates")
        ),
    ),
    (
        "certificates.pdf (learner_a1's)",
        lambda a, w: certificates.pdf(a, w.certificate),
        # anyone else is told there is no such certificate of theirs
        expect(learner=OK, admin=OK, signed_out=NO, rest=GONE),
        lambda who, made: None if made[1].startswith(b"%PDF") else pytest.fail("not a PDF"),
    ),
    (
        "certificates.find",
        lambda a, w: certificates.find(a, "7kq4 m2xd 9f0b tr6w"),
        expect(admin=OK),
        None,
    ),
    (
        "certificates.revoke",
        lambda a, w: certificates.revoke(a, "7KQ4-M2XD-9F0B-TR6W", "Issued to the wrong person."),
        expect(admin=OK),
        lambda who, view: None if view.state == "revoked" else pytest.fail(view.state),
    ),
    (
        "guidance.grading_policy",
        lambda a, w: guidance.grading_policy(a),
        # staff of any cohort; a learner would learn each scenario choice's grade before choosing
        expect(rest=OK, learner=NO, signed_out=NO),
        None,
    ),
    (
        "accounts.reset_password",
        lambda a, w: accounts.reset_password(a, "learner_b2"),
        expect(admin=OK),
        None,
    ),
    (
        "accounts.change_password",
        lambda a, w: accounts.change_password(a, PASSWORD, "a-new-good-password"),
        expect(rest=OK, signed_out=NO),
        None,
    ),
    (
        "accounts.accept_notice",
        lambda a, w: accounts.accept_notice(a),
        expect(rest=OK, signed_out=NO),
        None,
    ),
    (
        "users.add",
        lambda a, w: users.add(a, "made.here", "learner", full_name="M", password=PASSWORD),
        expect(admin=OK),
        None,
    ),
    (
        "demo.build",
        lambda a, w: demo.build(a, learners=1),
        # only an administrator may, and even they are refused here: this database holds real
        # people, whom the demo never touches
        expect(admin=Conflict),
        None,
    ),
]


@pytest.mark.parametrize(("name", "call", "outcomes", "check"), MATRIX, ids=[m[0] for m in MATRIX])
def test_access_matrix(world: World, name: str, call: Call, outcomes, check) -> None:  # type: ignore[no-untyped-def]
    """Each person in turn, refusals first (a refusal changes nothing, so it cannot disturb
    the calls that go through after it)."""
    wrong = []
    for who in sorted(PEOPLE, key=lambda p: outcomes[p] in (OK, "any")):
        wanted = outcomes[who]
        try:
            result = call(world.people[who], world)
        except (NotAllowed, NotFound, BadInput, Conflict) as refused:
            if wanted not in (type(refused), "any"):
                wrong.append(f"{who}: {type(refused).__name__} ({refused}), wanted {wanted}")
            continue
        except Exception as failed:
            if wanted != "any":
                wrong.append(f"{who}: {type(failed).__name__} ({failed})")
            continue
        if wanted not in (OK, "any"):
            wrong.append(f"{who}: went through, wanted {getattr(wanted, '__name__', wanted)}")
        elif check is not None:
            check(who, result)
    assert wrong == [], name


def test_every_service_call_is_in_the_matrix() -> None:
    """A service taking an actor first is a call someone can make: it must be in the matrix."""
    tried = {m[0].split(" ")[0] for m in MATRIX}
    found = set()
    for info in pkgutil.iter_modules(course.services.__path__):
        module = __import__(f"course.services.{info.name}", fromlist=["_"])
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters and parameters[0] == "actor":
                found.add(f"{info.name}.{name}")
    assert found - tried == set()
