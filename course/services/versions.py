"""Content pinned to the records: every question, module and quiz version a learner met, by
content hash, and the last wording of every rule they cite.

A play or an attempt keeps the version it started with, so editing or removing content never
breaks a play in progress or the review of a finished one, and a grade never changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from course import clock
from course.content.current import catalogue
from course.content.schema import Module, Officer, Question, Quiz, Rule
from course.errors import NotFound
from course.store.models import ModuleVersion, QuestionVersion, QuizVersion, RuleSnapshot

_QUESTION: TypeAdapter[Question] = TypeAdapter(Question)
# content hash -> object: versions never change, so one process may share them across users.
# Stored bodies are validated against today's schema, so the schema only ever gains fields with
# defaults (the content checks, not the schema, insist that authors fill them in).
_QUESTIONS: dict[str, Question] = {}
_MODULES: dict[str, Module] = {}
_QUIZZES: dict[str, Quiz] = {}


@dataclass(frozen=True)
class CitedRule:
    """A rule as a review shows it, even after it has left the library."""

    id: str
    title: str
    instrument: str
    status: str  # verified | secondary | unverified | superseded | removed
    in_library: bool
    # whether it binds the officer the module or question is about; False: cited for comparison
    # (a foreign code, a principle, another province's rule); None: not known
    binding: bool | None = None


def _insert(db: Session, table: Any) -> Any:
    dialect = db.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def _keep(db: Session, model: type[Any], values: dict[str, Any]) -> None:
    """Insert a version once (two starts at once insert it once)."""
    db.execute(_insert(db, model).values(**values).on_conflict_do_nothing())


def _snapshot_rules(db: Session, rule_ids: Iterable[str]) -> None:
    rules = catalogue().rules
    # sorted: transactions that lock the same rows always lock them in the same order, so two
    # attempts starting at once on PostgreSQL wait for each other instead of deadlocking
    for rule_id in sorted(set(rule_ids)):
        if (rule := rules.get(rule_id)) is None:
            continue
        body = rule.model_dump(mode="json")
        statement = _insert(db, RuleSnapshot).values(
            rule_id=rule_id, body=body, seen_at=clock.now()
        )
        db.execute(
            statement.on_conflict_do_update(
                index_elements=["rule_id"], set_={"body": body, "seen_at": clock.now()}
            )
        )


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True)


def pin_questions(db: Session, questions: Iterable[Question]) -> None:
    """Keep each question's version and its rules' wording, locking rows in one fixed order."""
    chosen = {q.content_hash: q for q in questions}
    for content_hash in sorted(chosen):
        question = chosen[content_hash]
        _keep(
            db,
            QuestionVersion,
            {
                "content_hash": content_hash,
                "question_id": question.id,
                "body": _dump(question),
                "first_seen_at": clock.now(),
            },
        )
    _snapshot_rules(db, (r for q in chosen.values() for r in q.rules))


def pin_module(db: Session, module: Module) -> None:
    _keep(
        db,
        ModuleVersion,
        {
            "content_hash": module.content_hash,
            "module_id": module.id,
            "body": _dump(module),
            "first_seen_at": clock.now(),
        },
    )
    cited = [r for s in module.scenario.situations for c in s.choices for r in c.rules]
    _snapshot_rules(db, cited)


def pin_quiz(db: Session, quiz: Quiz) -> None:
    _keep(
        db,
        QuizVersion,
        {
            "content_hash": quiz.content_hash,
            "quiz_id": quiz.id,
            "body": _dump(quiz),
            "first_seen_at": clock.now(),
        },
    )


def question(db: Session, content_hash: str) -> Question:
    if (found := _QUESTIONS.get(content_hash)) is None:
        version = db.get(QuestionVersion, content_hash)
        if version is None:
            raise NotFound("A question of this attempt is missing from the records.")
        found = _QUESTIONS.setdefault(content_hash, _QUESTION.validate_python(version.body))
    return found


def module(db: Session, content_hash: str, module_id: str) -> Module:
    """The module a play started with (or today's, for plays older than kept versions)."""
    if (found := _MODULES.get(content_hash)) is not None:
        return found
    version = db.get(ModuleVersion, content_hash)
    if version is not None:
        return _MODULES.setdefault(content_hash, Module.model_validate(version.body))
    current = catalogue().modules.get(module_id)
    if current is None:
        raise NotFound(f"The module '{module_id}' this play belongs to is no longer kept.")
    return current


def quiz(db: Session, content_hash: str | None, quiz_id: str) -> Quiz:
    """The quiz an attempt started with (or today's, for attempts older than kept versions)."""
    if content_hash is not None:
        if (found := _QUIZZES.get(content_hash)) is not None:
            return found
        version = db.get(QuizVersion, content_hash)
        if version is not None:
            return _QUIZZES.setdefault(content_hash, Quiz.model_validate(version.body))
    return catalogue().quiz(quiz_id)


def cited_rules(
    db: Session, rule_ids: Iterable[str], officer: Officer | None = None
) -> tuple[CitedRule, ...]:
    """Rules as cited: today's entry if the library still has it, else the last one kept; the
    rules that bind `officer` first, then those cited for comparison."""
    library = catalogue().rules
    wanted = list(dict.fromkeys(rule_ids))
    missing = [r for r in wanted if r not in library]
    kept: dict[str, dict[str, Any]] = {}
    if missing:
        kept = dict(
            db.execute(
                sa.select(RuleSnapshot.rule_id, RuleSnapshot.body).where(
                    RuleSnapshot.rule_id.in_(missing)
                )
            ).all()
        )
    found = []
    for rule_id in wanted:
        if (rule := library.get(rule_id)) is not None:
            found.append(_cited(rule, True, officer))
        elif (body := kept.get(rule_id)) is not None:
            try:
                found.append(_cited(Rule.model_validate(body), False, officer))
            except ValidationError:  # kept under an older schema: read what it has
                status = "superseded" if body.get("superseded_by") else str(body.get("status"))
                title = str(body.get("title", rule_id))
                instrument = str(body.get("instrument", ""))
                found.append(CitedRule(rule_id, title, instrument, status, in_library=False))
        else:
            found.append(CitedRule(rule_id, rule_id, "no longer in the library", "removed", False))
    return tuple(sorted(found, key=lambda r: r.binding is False))


def _cited(rule: Rule, in_library: bool, officer: Officer | None) -> CitedRule:
    status = "superseded" if rule.superseded_by else rule.status
    binds = None if officer is None or rule.binds is None else officer.bound_by(rule.binds)
    return CitedRule(rule.id, rule.title, rule.instrument, status, in_library, binds)
