"""xAPI statements: what a learner did in the course, as a learning record store reads it."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal, assert_never
from urllib.parse import quote

from jsonschema import Draft4Validator, FormatChecker, ValidationError

from course.learning.scenario import GRADE_POINTS

Statement = dict[str, Any]
Interaction = Literal["choice", "sequencing", "true-false", "other"]

SCHEMA_DIR = Path(__file__).with_name("schema")
# ADL verbs, as listed in adlnet/xAPIWrapper's ADL.verbs
VERBS = {
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
_INTERACTIONS: dict[str, Interaction] = {
    "single": "choice",
    "multiple": "choice",
    "ordering": "sequencing",
    "true_false": "true-false",
}
# fixed for good: changing it changes every statement id, and an LRS would store everything twice
NAMESPACE = uuid.UUID("0f3c7a52-6a86-5b0e-9a53-8d7f0c6e2b41")


@dataclass(frozen=True)
class Settings:
    """Where the course lives, as the LRS sees it; personal data stays out unless asked for."""

    base_iri: str  # e.g. https://course.example.gov.pk/sns
    account_home_page: str  # the system that issued the learners' account names
    include_email: bool = False  # True: the learner is identified by mbox instead of account
    platform: str = "Service, Not Spectacle"
    language: str = "en"
    course_id: str = "service-not-spectacle"
    course_title: str = "Service, Not Spectacle"


@dataclass(frozen=True)
class Learner:
    account: str  # stable and pseudonymous, e.g. pseudonym(username, key); never an address
    email: str | None = None  # sent only when Settings.include_email


@dataclass(frozen=True)
class Option:
    """An option offered in an interaction: a scenario choice or a quiz question's option."""

    id: str
    text: str


@dataclass(frozen=True)
class ModuleEvent:
    kind: Literal["experienced", "completed"]
    module_id: str
    module_title: str
    play: int  # ScenarioPlay.play_no
    at: datetime


@dataclass(frozen=True)
class ScenarioChoice:
    module_id: str
    play: int  # ScenarioPlay.play_no
    step: int  # ScenarioStep.step_no
    situation_id: str
    situation_title: str
    options: tuple[Option, ...]  # the choices the situation offered
    choice_id: str
    grade: str  # best, acceptable, risky or breach
    at: datetime

    def __post_init__(self) -> None:
        if self.choice_id not in {option.id for option in self.options}:
            raise ValueError(
                f"choice '{self.choice_id}' is not among the options of {self.situation_id}"
            )
        if self.grade not in GRADE_POINTS:
            raise ValueError(f"grade '{self.grade}' is not one of {', '.join(GRADE_POINTS)}")


@dataclass(frozen=True)
class QuizAnswer:
    quiz_id: str
    attempt: int  # Attempt.attempt_no
    question_id: str
    stem: str
    # as xAPI reads it for the interaction: option ids joined by "[,]" (see choice_response)
    # for choice and sequencing, "true" or "false" for true-false, the answer as text for other
    response: str
    score: float  # 0 to 1
    correct: bool
    at: datetime
    interaction: Interaction = "other"
    options: tuple[Option, ...] = ()  # for choice and sequencing


@dataclass(frozen=True)
class QuizResult:
    quiz_id: str
    quiz_title: str
    attempt: int  # Attempt.attempt_no
    raw: float
    min: float
    max: float
    scaled: float
    passed: bool | None  # None: a formative check, which is completed rather than passed
    started_at: datetime
    finished_at: datetime
    completion: bool = True

    @property
    def at(self) -> datetime:
        return self.finished_at


@dataclass(frozen=True)
class CertificateEarned:
    track: str
    track_title: str
    code: str  # the certificate's verification code
    at: datetime


Event = ModuleEvent | ScenarioChoice | QuizAnswer | QuizResult | CertificateEarned


@dataclass(frozen=True)
class _Parts:
    """What one kind of event says; statement() adds who, when and the course around it."""

    key: str  # which of this learner's events it is, for the statement id
    verb: str
    activity: Statement
    result: Statement | None = None
    parent: Statement | None = None
    attempt: str | None = None  # the attempt or play it belongs to, for the registration


# ---- building ----


def statement(event: Event, learner: Learner, settings: Settings) -> Statement:
    """A complete xAPI statement for one event; the same event always gets the same id."""
    parts = _parts(event, settings)
    context: Statement = {}
    if parts.attempt is not None:
        context["registration"] = _uuid(settings, learner, parts.attempt)
    activities: Statement = {} if parts.parent is None else {"parent": [parts.parent]}
    activities["grouping"] = [_course(settings)]
    context |= {
        "contextActivities": activities,
        "platform": settings.platform,
        "language": settings.language,
    }
    built: Statement = {
        "id": _uuid(settings, learner, parts.key),
        "actor": agent(learner, settings),
        "verb": {"id": VERBS[parts.verb], "display": {"en-US": parts.verb}},
        "object": parts.activity,
    }
    if parts.result is not None:
        built["result"] = parts.result
    return built | {"context": context, "timestamp": timestamp(event.at)}


def agent(learner: Learner, settings: Settings) -> Statement:
    """The learner as an Agent with exactly one identifier: the email only when configured."""
    if settings.include_email and learner.email:
        return {"objectType": "Agent", "mbox": f"mailto:{learner.email}"}
    if "@" in learner.account:
        raise ValueError(
            "The learner's account name looks like an email address; pass a pseudonym instead."
        )
    account = {"homePage": settings.account_home_page, "name": learner.account}
    return {"objectType": "Agent", "account": account}


def pseudonym(username: str, key: bytes) -> str:
    """A stable account name that does not reveal the username without the deployment's key."""
    return hmac.new(key, username.encode(), hashlib.sha256).hexdigest()[:32]


def choice_response(option_ids: tuple[str, ...] | list[str]) -> str:
    """A choice or sequencing response as xAPI writes it: the option ids joined by "[,]"."""
    return "[,]".join(option_ids)


def interaction_for(question_type: str) -> Interaction:
    """The xAPI interaction type for one of the course's question types."""
    return _INTERACTIONS.get(question_type, "other")  # matching: source and target not sent


def timestamp(at: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and Z; a time without a zone is refused."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at.isoformat()} has no time zone; pass an aware datetime")
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(seconds: float) -> str:
    """ISO 8601 duration PT#H#M#S, to a hundredth of a second as xAPI recommends."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative ({seconds} s)")
    hundredths = round(seconds * 100)
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    whole, fraction = divmod(rest, 100)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if rest or not (hours or minutes):
        text += f"{whole}.{fraction:02d}".rstrip("0").rstrip(".") + "S"
    return text


def _parts(event: Event, settings: Settings) -> _Parts:
    match event:
        case ModuleEvent():
            return _module_event(event, settings)
        case ScenarioChoice():
            return _scenario_choice(event, settings)
        case QuizAnswer():
            return _quiz_answer(event, settings)
        case QuizResult():
            return _quiz_result(event, settings)
        case CertificateEarned():
            return _certificate(event, settings)
        case _:
            assert_never(event)


def _module_event(event: ModuleEvent, settings: Settings) -> _Parts:
    play = f"module/{event.module_id}/play/{event.play}"
    return _Parts(
        key=f"{play}/{event.kind}",
        verb=event.kind,
        activity=_activity(settings, ("module", event.module_id), "module", event.module_title),
        result={"completion": True} if event.kind == "completed" else None,
        attempt=play,
    )


def _scenario_choice(event: ScenarioChoice, settings: Settings) -> _Parts:
    """Answered: the situation as a choice interaction, the choice's id as the response.

    The score is the course's own path points for the choice's grade (best 3, acceptable 2,
    risky 1, breach 0), so an LRS can chart choices the way the debrief grades paths."""
    play = f"module/{event.module_id}/play/{event.play}"
    situation = _activity(
        settings,
        ("module", event.module_id, "situation", event.situation_id),
        "interaction",
        event.situation_title,
    )
    situation["definition"] |= {
        "interactionType": "choice",
        "choices": _components(event.options, settings),
    }
    points = GRADE_POINTS[event.grade]
    best = max(GRADE_POINTS.values())
    return _Parts(
        key=f"{play}/step/{event.step}",
        verb="answered",
        activity=situation,
        result={
            "score": {"scaled": round(points / best, 4), "raw": points, "min": 0, "max": best},
            "response": event.choice_id,
            "extensions": {_extension(settings, "grade"): event.grade},
        },
        parent=_activity(settings, ("module", event.module_id), "module"),
        attempt=play,
    )


def _quiz_answer(event: QuizAnswer, settings: Settings) -> _Parts:
    attempt = f"quiz/{event.quiz_id}/attempt/{event.attempt}"
    question = _activity(settings, ("question", event.question_id), "interaction", event.stem)
    question["definition"]["interactionType"] = event.interaction
    if event.options and event.interaction in ("choice", "sequencing"):
        question["definition"]["choices"] = _components(event.options, settings)
    return _Parts(
        key=f"{attempt}/question/{event.question_id}",
        verb="answered",
        activity=question,
        result={
            "score": {"scaled": event.score, "raw": event.score, "min": 0, "max": 1},
            "success": event.correct,
            "response": event.response,
        },
        parent=_activity(settings, ("quiz", event.quiz_id), "assessment"),
        attempt=attempt,
    )


def _quiz_result(event: QuizResult, settings: Settings) -> _Parts:
    """Passed or failed when the quiz has a pass mark, completed when it is formative."""
    attempt = f"quiz/{event.quiz_id}/attempt/{event.attempt}"
    if event.finished_at < event.started_at:
        raise ValueError(f"attempt {event.attempt} of {event.quiz_id} finishes before it starts")
    result: Statement = {
        "score": {"scaled": event.scaled, "raw": event.raw, "min": event.min, "max": event.max},
    }
    if event.passed is not None:
        result["success"] = event.passed
    result |= {
        "completion": event.completion,
        "duration": duration((event.finished_at - event.started_at).total_seconds()),
    }
    verb = "completed" if event.passed is None else "passed" if event.passed else "failed"
    return _Parts(
        key=f"{attempt}/result",
        verb=verb,
        activity=_activity(settings, ("quiz", event.quiz_id), "assessment", event.quiz_title),
        result=result,
        attempt=attempt,
    )


def _certificate(event: CertificateEarned, settings: Settings) -> _Parts:
    """Completed: the track whose certificate was issued, with the certificate's code."""
    return _Parts(
        key=f"certificate/{event.code}",
        verb="completed",
        activity=_activity(settings, ("track", event.track), "course", event.track_title),
        result={
            "success": True,
            "completion": True,
            "extensions": {_extension(settings, "certificate-code"): event.code},
        },
    )


def _activity(
    settings: Settings, path: tuple[str, ...], kind: str, name: str | None = None
) -> Statement:
    definition: Statement = {"type": ACTIVITY_TYPES[kind]}
    if name is not None:
        definition = {"name": {settings.language: name}} | definition
    return {
        "objectType": "Activity",
        "id": _iri(settings, "activities", *path),
        "definition": definition,
    }


def _course(settings: Settings) -> Statement:
    return _activity(settings, ("course", settings.course_id), "course", settings.course_title)


def _components(options: tuple[Option, ...], settings: Settings) -> list[Statement]:
    return [{"id": o.id, "description": {settings.language: o.text}} for o in options]


def _extension(settings: Settings, name: str) -> str:
    return _iri(settings, "extensions", name)


def _iri(settings: Settings, *segments: str) -> str:
    return "/".join([settings.base_iri.rstrip("/"), *(quote(s, safe="") for s in segments)])


def _uuid(settings: Settings, learner: Learner, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\n".join((settings.base_iri, learner.account, key))))


# ---- checking ----


def check_statement(stmt: Mapping[str, Any]) -> list[str]:
    """Every problem an LRS would reject the statement for, one readable line each.

    The xAPI schema first; then the score rules it cannot express: min below max, raw
    within [min, max], scaled within [-1, 1] (xAPI 1.0.3 Data 2.4.5.1)."""
    # a scaled score out of range is said once, below, in the score rules' words
    errors = [e for e in schema_errors(stmt, "statement") if not _is_scaled_range(e)]
    problems = _explain(errors, "statement")
    for where, score in scores(stmt):
        problems += score_problems(score, where)
    return problems


def schema_problems(instance: Any, type_name: str = "statement") -> list[str]:
    """What the xAPI schema says is wrong with an object checked as one of its types."""
    return _explain(schema_errors(instance, type_name), type_name)


def schema_errors(instance: Any, type_name: str) -> list[ValidationError]:
    errors = _validator(type_name).iter_errors(instance)
    return sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])


def score_problems(score: Mapping[str, Any], where: str = "result.score") -> list[str]:
    """The score rules the schema cannot express; values the schema rejects are left to it."""
    number = {k: v for k, v in score.items() if _is_number(v)}
    low, high, raw, scaled = (number.get(k) for k in ("min", "max", "raw", "scaled"))
    problems = []
    if low is not None and high is not None and not low < high:
        problems.append(f"{where}: min ({low}) must be below max ({high})")
    if raw is not None and low is not None and raw < low:
        problems.append(f"{where}: raw ({raw}) is below min ({low})")
    if raw is not None and high is not None and raw > high:
        problems.append(f"{where}: raw ({raw}) is above max ({high})")
    if scaled is not None and not -1 <= scaled <= 1:
        problems.append(f"{where}: scaled ({scaled}) must be between -1 and 1")
    return problems


def scores(stmt: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Scores in the statement and in a sub-statement it carries as its object."""
    holders = [("result", stmt)]
    if isinstance(obj := stmt.get("object"), Mapping) and obj.get("objectType") == "SubStatement":
        holders.append(("object.result", obj))
    for where, holder in holders:
        result = holder.get("result")
        if isinstance(result, Mapping) and isinstance(score := result.get("score"), Mapping):
            yield f"{where}.score", score


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_scaled_range(error: ValidationError) -> bool:
    path = list(error.absolute_path)
    return error.validator in ("minimum", "maximum") and path[-2:] == ["score", "scaled"]


def _explain(errors: list[ValidationError], root: str) -> list[str]:
    """One line per error: where, then what.

    "Matches none of the shapes" (oneOf, anyOf) is given with its most specific reason, the
    deepest one, and left out when that reason is already a line of its own."""
    plain = [_say(error, root) for error in errors if not error.context]
    lines = []
    for error in errors:
        if not error.context:
            lines.append(_say(error, root))
            continue
        nearest = _say(max(_leaves(error), key=lambda e: len(e.absolute_path)), root)
        if nearest not in plain:
            where = _where(error, root)
            lines.append(
                f"{where}: matches none of the shapes xAPI allows here (nearest: {nearest})"
            )
    return lines


def _say(error: ValidationError, root: str) -> str:
    return f"{_where(error, root)}: {_short(error.message)}"


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    if not error.context:
        yield error
    for child in error.context:
        yield from _leaves(child)


def _where(error: ValidationError, root: str) -> str:
    """A path as a reader writes it, e.g. context.contextActivities.parent[0].id."""
    text = ""
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.removeprefix(".") or root


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


@cache
def _validator(type_name: str) -> Any:
    """A draft-04 validator for one type of the joined TinCan schema, its formats as regexes."""
    schema = json.loads((SCHEMA_DIR / "tincan-schema-1.0.1-joined.json").read_text())
    if type_name not in schema["properties"]:
        raise ValueError(f"the xAPI schema has no type '{type_name}'")
    return Draft4Validator(schema | {"$ref": f"#{type_name}"}, format_checker=_formats())


@cache
def _formats() -> FormatChecker:
    checker = FormatChecker(formats=())
    patterns = json.loads((SCHEMA_DIR / "formats.json").read_text())
    for name, pattern in patterns.items():
        checker.checks(name)(_matcher(re.compile(pattern)))
    return checker


def _matcher(pattern: re.Pattern[str]) -> Any:
    # fullmatch: Python's $ also matches before a final newline
    return lambda value: not isinstance(value, str) or pattern.fullmatch(value) is not None
