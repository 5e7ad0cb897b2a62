"""Imported questions waiting for an author: quizzes/drafts/<bank>.yaml.

A draft lives outside the banks, so no quiz can draw it; an author completes it (the binding
rule its key cites, the misconception each wrong option names, an id, the officer it is about)
and moves it into quizzes/banks/<bank>.yaml, where every content check applies. `validate`
lists what each draft still needs (`needs`), read afresh from the file, so an author sees the
list shrink as they work.

The file:

    bank: conflict-of-interest
    drafts:
      - from: "moodle-export.gift, line 12"
        title: Sponsored videos
        question: {type: single, stem: ..., options: [...]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from course.content import wording
from course.content.loader import Problems, read_yaml
from course.content.schema import Question, Rule
from course.errors import ContentError

FOLDER = Path("quizzes") / "drafts"
_QUESTION: TypeAdapter[Question] = TypeAdapter(Question)
HEADER = (
    "# Imported questions waiting for an author (course/content/drafts.py). No quiz draws them.\n"
    "# Complete each one (`python -m course validate` lists what it needs), then move it into\n"
    "# quizzes/banks/{bank}.yaml.\n"
)


@dataclass(frozen=True)
class NewDraft:
    source: str  # where it came from: "file.gift, line 12"
    title: str
    question: dict[str, Any]  # a bank entry as far as the import could fill it


def path_of(root: Path, bank_id: str) -> Path:
    return root / FOLDER / f"{bank_id}.yaml"


def add(root: Path, bank_id: str, new: Sequence[NewDraft]) -> Path:
    """Append drafts to the bank's drafts file (made if missing); the file's path."""
    path = path_of(root, bank_id)
    held: list[dict[str, Any]] = []
    if path.exists():
        problems = Problems()
        located = read_yaml(path, root, problems)
        if located is None or not isinstance(located.data, dict):
            said = problems.items[0] if problems.items else "it holds no `drafts`"
            raise ContentError(str(path), 1, f"the drafts file cannot be added to: {said}")
        held = list(located.data.get("drafts") or [])
    held += [{"from": d.source, "title": d.title, "question": d.question} for d in new]
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(
        {"bank": bank_id, "drafts": held}, allow_unicode=True, sort_keys=False, width=100
    )
    path.write_text(HEADER.format(bank=bank_id) + body, encoding="utf-8")
    return path


def needs(root: Path, rules: Mapping[str, Rule]) -> list[str]:
    """`path:line: draft N ('title') needs: ...` for every draft still incomplete."""
    found: list[str] = []
    for path in sorted((root / FOLDER).glob("*.yaml")):
        problems = Problems()
        located = read_yaml(path, root, problems)
        if located is None:
            found += problems.items
            continue
        data = located.data if isinstance(located.data, dict) else {}
        for n, draft in enumerate(data.get("drafts") or []):
            missing = _missing(draft.get("question") if isinstance(draft, dict) else None, rules)
            if missing:
                title = draft.get("title", "") if isinstance(draft, dict) else ""
                found.append(
                    f"{located.at(('drafts', n))}: draft {n + 1} ('{title}') needs: "
                    + "; ".join(missing)
                )
    return found


def _missing(question: Any, rules: Mapping[str, Rule]) -> list[str]:
    if not isinstance(question, dict):
        return ["a `question` with the bank entry"]
    missing = []
    try:
        _QUESTION.validate_python(question)
    except ValidationError as failure:
        for error in failure.errors():
            where = ".".join(str(p) for p in error["loc"][1:]) or "question"
            missing.append(wording.field_problem(error, where))
    if not question.get("about"):
        missing.append("about: name the officer whose rules decide the key")
    for rule_id in question.get("rules") or []:
        rule = rules.get(rule_id)
        if rule is None:
            missing.append(f"rule '{rule_id}' is not in rules/rules.yaml")
        elif not rule.verified:
            missing.append(f"rule '{rule_id}' is not verified")
    return missing
