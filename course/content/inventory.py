"""A summary of what the content holds (the `inventory` command's JSON contract)."""

from __future__ import annotations

from typing import Any

from course.content import grounding, item_checks
from course.content.catalogue import Catalogue
from course.content.item_checks import KeyFigures
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
                "about": m.about.describe() if m.about else None,
                "best_choices": _keys(item_checks.module_figures(m)),
            }
            for m in catalogue.modules.values()
        ],
        "banks": [
            {
                "id": b.id,
                "competency": b.competency,
                "questions": len(b.questions),
                "by_type": {t: sum(1 for q in b.questions if q.type == t) for t in QUESTION_TYPES},
                "by_use": {u: sum(1 for q in b.questions if q.use == u) for u in USES},
                "by_difficulty": {
                    d: sum(1 for q in b.questions if q.difficulty == d) for d in DIFFICULTIES
                },
                "single_choice_keys": _keys(item_checks.bank_figures(b)),
                "true_false": _true_false(*item_checks.true_false_balance(b)),
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
        "acts": [
            {"id": a.id, "grade": a.grade, "rules": list(a.rules), "used_by": used}
            for a in catalogue.acts.values()
            for used in [grounding.act_users(catalogue, a.id)]
        ],
        "grades_differing_from_act": grounding.act_reasons(catalogue),
        "near_duplicates": [
            {
                "kind": d.kind,
                "first": d.first,
                "second": d.second,
                "similarity": d.similarity,
            }
            for d in item_checks.duplicates(catalogue)
        ],
        "waivers": item_checks.waivers(catalogue),
    }


USES = ("graded", "practice")
DIFFICULTIES = ("easy", "medium", "hard")


def _keys(figures: KeyFigures) -> dict[str, Any]:
    """Where the keys (best choices) sit: how often the longest, by length rank and by place."""
    return {
        "counted": figures.items,
        "longest": figures.longest,
        "longest_rate": round(figures.longest_rate, 3),
        "length_ranks": {str(rank): n for rank, n in sorted(figures.ranks.items())},
        "positions": dict(sorted(figures.positions.items())),
    }


def _true_false(true: int, counted: int) -> dict[str, Any]:
    return {
        "counted": counted,
        "true": true,
        "false": counted - true,
        "true_rate": round(true / counted, 3) if counted else None,
    }
