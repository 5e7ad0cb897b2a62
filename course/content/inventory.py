"""A summary of what the content holds (the `inventory` command's JSON contract)."""

from __future__ import annotations

from typing import Any

from course.content.catalogue import Catalogue
from course.content.schema import QUESTION_TYPES


def describe(catalogue: Catalogue) -> dict[str, Any]:
    """Modules, banks, quizzes and rules, in the shape of DESIGN.md section 5."""
    return {
        "modules": [
            {
                "id": m.id,
                "title": m.title,
                "status": m.status,
                "version": m.version,
                "tracks": list(m.tracks),
                "competencies": list(m.competencies),
                "decision_points": m.scenario.decision_points,
                "estimated_minutes": m.estimated_minutes,
            }
            for m in catalogue.modules.values()
        ],
        "banks": [
            {
                "id": b.id,
                "competency": b.competency,
                "questions": len(b.questions),
                "by_type": {t: sum(1 for q in b.questions if q.type == t) for t in QUESTION_TYPES},
            }
            for b in catalogue.banks.values()
        ],
        "quizzes": [
            {
                "id": q.id,
                "kind": q.kind,
                "tracks": list(q.tracks),
                "draws": q.size,
                "pass_mark": q.pass_mark,
            }
            for q in catalogue.quizzes.values()
        ],
        "rules": len(catalogue.rules),
        "verified_rules": sum(1 for r in catalogue.rules.values() if r.verified),
        "superseded_rules": {
            r.id: catalogue.citing(r.id) for r in catalogue.rules.values() if r.superseded_by
        },
    }
