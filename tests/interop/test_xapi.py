"""xAPI statements: every kind validates, scores obey the rules, ids are stable, no email leaks."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.interop import xapi
from course.interop.xapi import (
    CertificateEarned,
    Learner,
    ModuleEvent,
    Option,
    QuizAnswer,
    QuizResult,
    ScenarioChoice,
    Settings,
    check_statement,
    statement,
)
from tests.interop.conftest import INTEROP

SETTINGS = Settings(
    base_iri="https://course.example.gov.pk/sns",
    account_home_page="https://course.example.gov.pk",
)
LEARNER = Learner(account="amina.k", email="amina.khan@example.gov.pk")
AT = datetime(2026, 12, 2, 14, 5, 9, 123456, tzinfo=timezone(timedelta(hours=5)))
OPTIONS = (Option("a", "Reply from your own account"), Option("b", "Ask the press officer"))

EVENTS: dict[str, xapi.Event] = {
    "module experienced": ModuleEvent("experienced", "walk-away", "Walk away", 1, AT),
    "module completed": ModuleEvent("completed", "walk-away", "Walk away", 1, AT),
    "module replayed": ModuleEvent("completed", "walk-away", "Walk away", 2, AT),
    "scenario choice": ScenarioChoice(
        "walk-away", 1, 1, "the-post", "The post", OPTIONS, "b", "best", AT
    ),
    "scenario choice, next step": ScenarioChoice(
        "walk-away", 1, 2, "the-reply", "The reply", OPTIONS, "a", "breach", AT
    ),
    "choice answer": QuizAnswer(
        "final",
        1,
        "ei-001",
        "Which two of these may an officer post?",
        xapi.choice_response(["a", "c"]),
        0.5,
        False,
        AT,
        "choice",
        (Option("a", "A notice"), Option("b", "A slogan"), Option("c", "A timetable")),
    ),
    "true-false answer": QuizAnswer(
        "final",
        1,
        "coi-002",
        "A gift from a supplier may be kept.",
        "false",
        1.0,
        True,
        AT,
        "true-false",
    ),
    "text answer": QuizAnswer(
        "final", 1, "ee-003", "Match each act to its rule.", "a→x, b→y, c→z", 1.0, True, AT
    ),
    "quiz passed": QuizResult(
        "final", "Final assessment", 1, 8, 0, 10, 0.8, True, AT - timedelta(minutes=14), AT
    ),
    "quiz failed": QuizResult(
        "final", "Final assessment", 2, 3.5, 0, 10, 0.35, False, AT - timedelta(seconds=75.5), AT
    ),
    "knowledge check": QuizResult(
        "kc-walk-away", "Knowledge check", 1, 4, 0, 5, 0.8, None, AT - timedelta(hours=2), AT
    ),
    "certificate": CertificateEarned("probationer", "Probationer track", "SNS-7K2Q-94DA", AT),
}


def text_of(stmt: dict[str, Any]) -> str:
    return json.dumps(stmt, ensure_ascii=False)


def quiz_result(raw: float, low: float, high: float, scaled: float) -> dict[str, Any]:
    event = QuizResult("final", "Final", 1, raw, low, high, scaled, True, AT, AT)
    return statement(event, LEARNER, SETTINGS)


# ---- building ----


@pytest.mark.parametrize("name", EVENTS)
def test_every_kind_of_statement_validates_with_no_problems(name: str) -> None:
    assert check_statement(statement(EVENTS[name], LEARNER, SETTINGS)) == []


@pytest.mark.parametrize(
    ("name", "verb"),
    [
        ("module experienced", "experienced"),
        ("module completed", "completed"),
        ("scenario choice", "answered"),
        ("choice answer", "answered"),
        ("quiz passed", "passed"),
        ("quiz failed", "failed"),
        ("knowledge check", "completed"),
        ("certificate", "completed"),
    ],
)
def test_each_event_takes_its_adl_verb(name: str, verb: str) -> None:
    stmt = statement(EVENTS[name], LEARNER, SETTINGS)
    assert stmt["verb"] == {"id": xapi.VERBS[verb], "display": {"en-US": verb}}


def test_the_verbs_are_adl_verbs_with_their_listed_ids(interop: Path) -> None:
    listed = json.loads((interop / "xapi" / "adl_verbs.json").read_text())["verbs"]
    for name, iri in xapi.VERBS.items():
        assert listed[name]["id"] == iri


def test_activity_ids_come_from_content_ids_under_the_base_iri() -> None:
    base = SETTINGS.base_iri + "/activities"
    choice = statement(EVENTS["scenario choice"], LEARNER, SETTINGS)
    assert choice["object"]["id"] == f"{base}/module/walk-away/situation/the-post"
    assert choice["context"]["contextActivities"]["parent"][0]["id"] == f"{base}/module/walk-away"
    grouping = choice["context"]["contextActivities"]["grouping"][0]["id"]
    assert grouping == f"{base}/course/service-not-spectacle"
    answer = statement(EVENTS["choice answer"], LEARNER, SETTINGS)
    assert answer["object"]["id"] == f"{base}/question/ei-001"
    assert answer["context"]["contextActivities"]["parent"][0]["id"] == f"{base}/quiz/final"
    certificate = statement(EVENTS["certificate"], LEARNER, SETTINGS)
    assert certificate["object"]["id"] == f"{base}/track/probationer"


def test_a_scenario_choice_is_a_choice_interaction_with_the_choice_as_response() -> None:
    stmt = statement(EVENTS["scenario choice"], LEARNER, SETTINGS)
    definition = stmt["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert [c["id"] for c in definition["choices"]] == ["a", "b"]
    assert stmt["result"]["response"] == "b"
    assert stmt["result"]["score"] == {"scaled": 1.0, "raw": 3, "min": 0, "max": 3}
    assert stmt["result"]["extensions"] == {f"{SETTINGS.base_iri}/extensions/grade": "best"}


def test_a_choice_that_was_not_offered_is_refused() -> None:
    with pytest.raises(ValueError, match="not among the options"):
        ScenarioChoice("walk-away", 1, 1, "the-post", "The post", OPTIONS, "d", "best", AT)


def test_a_quiz_result_carries_score_success_completion_and_duration() -> None:
    stmt = statement(EVENTS["quiz failed"], LEARNER, SETTINGS)
    assert stmt["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/assessment"
    assert stmt["result"] == {
        "score": {"scaled": 0.35, "raw": 3.5, "min": 0, "max": 10},
        "success": False,
        "completion": True,
        "duration": "PT1M15.5S",
    }
    formative = statement(EVENTS["knowledge check"], LEARNER, SETTINGS)
    assert "success" not in formative["result"]


def test_answers_and_results_of_one_attempt_share_a_registration() -> None:
    answer = statement(EVENTS["choice answer"], LEARNER, SETTINGS)
    result = statement(EVENTS["quiz passed"], LEARNER, SETTINGS)
    second = statement(EVENTS["quiz failed"], LEARNER, SETTINGS)
    assert answer["context"]["registration"] == result["context"]["registration"]
    assert second["context"]["registration"] != result["context"]["registration"]


def test_timestamps_are_utc_with_z_and_a_naive_time_is_refused() -> None:
    assert xapi.timestamp(AT) == "2026-12-02T09:05:09.123Z"
    assert xapi.timestamp(datetime(2027, 1, 1, tzinfo=UTC)) == "2027-01-01T00:00:00.000Z"
    with pytest.raises(ValueError, match="no time zone"):
        xapi.timestamp(datetime(2026, 12, 2, 9, 0))


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "PT0S"),
        (0.004, "PT0S"),
        (1, "PT1S"),
        (59.999, "PT1M"),
        (61.5, "PT1M1.5S"),
        (3600, "PT1H"),
        (3725.456, "PT1H2M5.46S"),
        (90061.25, "PT25H1M1.25S"),
    ],
)
def test_durations_are_iso_8601_to_a_hundredth_of_a_second(seconds: float, text: str) -> None:
    assert xapi.duration(seconds) == text
    assert check_statement(quiz_result(1, 0, 2, 0.5) | {"result": {"duration": text}}) == []


def test_a_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        xapi.duration(-1)


def test_question_types_map_to_interaction_types() -> None:
    assert xapi.interaction_for("single") == "choice"
    assert xapi.interaction_for("multiple") == "choice"
    assert xapi.interaction_for("ordering") == "sequencing"
    assert xapi.interaction_for("true_false") == "true-false"
    assert xapi.interaction_for("matching") == "other"


# ---- the learner's identity ----


@pytest.mark.parametrize("name", EVENTS)
def test_without_include_email_no_email_appears_anywhere(name: str) -> None:
    text = text_of(statement(EVENTS[name], LEARNER, SETTINGS))
    assert "@" not in text
    assert "mbox" not in text
    assert "mailto:" not in text
    assert LEARNER.email is not None and LEARNER.email.split("@")[0] not in text


def test_with_include_email_the_learner_is_identified_by_mbox_alone() -> None:
    configured = Settings(SETTINGS.base_iri, SETTINGS.account_home_page, include_email=True)
    stmt = statement(EVENTS["quiz passed"], LEARNER, configured)
    assert stmt["actor"] == {"objectType": "Agent", "mbox": "mailto:amina.khan@example.gov.pk"}
    assert check_statement(stmt) == []


def test_with_include_email_but_no_address_the_account_is_used() -> None:
    configured = Settings(SETTINGS.base_iri, SETTINGS.account_home_page, include_email=True)
    stmt = statement(EVENTS["quiz passed"], Learner("amina.k"), configured)
    assert stmt["actor"]["account"] == {"homePage": SETTINGS.account_home_page, "name": "amina.k"}


def test_an_account_name_that_looks_like_an_email_is_refused() -> None:
    with pytest.raises(ValueError, match="pseudonym"):
        statement(EVENTS["certificate"], Learner("amina@example.gov.pk"), SETTINGS)


def test_a_pseudonym_is_stable_and_keyed() -> None:
    one = xapi.pseudonym("amina.k", b"deployment key")
    assert one == xapi.pseudonym("amina.k", b"deployment key")
    assert one != xapi.pseudonym("amina.k", b"another key")
    assert "amina" not in one
    stmt = statement(EVENTS["certificate"], Learner(one), SETTINGS)
    assert check_statement(stmt) == []


# ---- ids ----


def test_ids_are_the_same_each_time_an_event_is_exported() -> None:
    for event in EVENTS.values():
        first = statement(event, LEARNER, SETTINGS)
        assert statement(event, LEARNER, SETTINGS) == first
        assert uuid.UUID(first["id"]).version == 5


def test_ids_differ_across_events_learners_and_deployments() -> None:
    ids = {statement(event, LEARNER, SETTINGS)["id"] for event in EVENTS.values()}
    assert len(ids) == len(EVENTS)
    other = {statement(event, Learner("bilal.r"), SETTINGS)["id"] for event in EVENTS.values()}
    assert not ids & other
    elsewhere = Settings("https://training.example.org/sns", SETTINGS.account_home_page)
    moved = {statement(event, LEARNER, elsewhere)["id"] for event in EVENTS.values()}
    assert not ids & moved


# ---- checking ----


def test_raw_above_max_is_a_problem() -> None:
    assert check_statement(quiz_result(11, 0, 10, 1)) == [
        "result.score: raw (11) is above max (10)"
    ]


def test_raw_below_min_is_a_problem() -> None:
    assert check_statement(quiz_result(-1, 0, 10, 0)) == ["result.score: raw (-1) is below min (0)"]


@pytest.mark.parametrize("low", [10, 12])
def test_min_not_below_max_is_a_problem(low: float) -> None:
    problems = check_statement(quiz_result(10, low, 10, 1))
    assert f"result.score: min ({low}) must be below max (10)" in problems


def test_scaled_outside_minus_one_to_one_is_one_problem() -> None:
    assert check_statement(quiz_result(5, 0, 10, 1.5)) == [
        "result.score: scaled (1.5) must be between -1 and 1"
    ]


def test_scores_on_the_edges_are_fine() -> None:
    assert check_statement(quiz_result(0, 0, 10, -1)) == []
    assert check_statement(quiz_result(10, 0, 10, 1)) == []


def test_a_sub_statements_score_is_checked_too() -> None:
    inner = quiz_result(11, 0, 10, 1)
    sub = {k: inner[k] for k in ("actor", "verb", "object", "result")}
    outer = quiz_result(1, 0, 10, 0.1) | {"object": {"objectType": "SubStatement", **sub}}
    del outer["context"]  # platform is not allowed when the object is not an activity
    assert check_statement(outer) == ["object.result.score: raw (11) is above max (10)"]


def test_schema_problems_say_where_and_what() -> None:
    stmt = quiz_result(5, 0, 10, 0.5)
    stmt["verb"]["id"] = "passed"
    stmt["actor"]["mbox"] = "mailto:someone@example.org"
    stmt["result"]["success"] = "true"
    problems = check_statement(stmt)
    assert len(problems) == 3
    assert problems[0].startswith("actor: matches none of the shapes xAPI allows here")
    assert problems[1] == "result.success: 'true' is not of type 'boolean'"
    assert problems[2] == "verb.id: 'passed' is not a 'iri'"


def test_a_statement_without_its_required_parts_is_reported() -> None:
    assert check_statement({}) == [
        "statement: 'actor' is a required property",
        "statement: 'verb' is a required property",
        "statement: 'object' is a required property",
    ]


@given(
    low=st.floats(-1e4, 1e4),
    span=st.floats(0.01, 1e4),
    where=st.floats(0, 1),
)
def test_a_generated_result_with_raw_in_range_validates(
    low: float, span: float, where: float
) -> None:
    high = low + span
    raw = min(high, low + where * span)
    assert check_statement(quiz_result(raw, low, high, (raw - low) / (high - low))) == []


@given(
    low=st.floats(-1e4, 1e4),
    span=st.floats(0.01, 1e4),
    beyond=st.floats(0.01, 1e4),
    above=st.booleans(),
)
def test_a_generated_result_with_raw_out_of_range_does_not(
    low: float, span: float, beyond: float, above: bool
) -> None:
    high = low + span
    raw = high + beyond if above else low - beyond
    problems = check_statement(quiz_result(raw, low, high, 1 if above else 0))
    assert problems == [
        f"result.score: raw ({raw}) is {'above max' if above else 'below min'} "
        f"({high if above else low})"
    ]


# ---- against the shared material ----


def test_the_vendored_schema_is_the_shared_one(interop: Path) -> None:
    shared = interop / "xapi"
    ours = xapi.SCHEMA_DIR
    pairs = [
        ("tincan-schema-1.0.1-joined.json", "tincan-schema-1.0.1-joined.json"),
        ("formats.json", "tincan-schema-1.0.1/formats/formats.json"),
        ("LICENSE", "tincan-schema-1.0.1/LICENSE"),
        ("NOTICE", "tincan-schema-1.0.1/NOTICE"),
    ]
    for mine, theirs in pairs:
        assert (ours / mine).read_bytes() == (shared / theirs).read_bytes(), mine


CASES_DIR = INTEROP / "xapi" / "tincan-validator-testdata"
CASES = sorted(CASES_DIR.glob("*/*.json")) if CASES_DIR.is_dir() else []


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_checks_agree_with_tincan_validators_cases(case: Path) -> None:
    """Each case is checked as the type its folder names; its file name says good or bad."""
    instance = json.loads(case.read_text())
    verdict = case.stem.split("-")[1]
    if case.parent.name == "statement":
        problems = check_statement(instance)  # the score rules too: no good case breaks them
    else:
        problems = xapi.schema_problems(instance, case.parent.name)
    assert (problems == []) == (verdict == "good"), problems


def test_all_tincan_validator_cases_were_found(interop: Path) -> None:
    assert len(CASES) == 261
