"""How the course grades each recurring act, written for trainers from rules/acts.yaml.

The same text is `docs/grading-policy.md` (`python -m course grading-policy --write`; a test
keeps the two equal) and the staff page "How the course grades".
"""

from __future__ import annotations

from course.content import grounding
from course.content.catalogue import Catalogue
from course.content.schema import Rule

GRADE_MEANINGS = {
    "best": "what the rules ask, done well: the choice a trainer would hold up as the model",
    "acceptable": "within the rules, but a better course was open",
    "risky": "no verified rule is broken, but the act invites harm or a breach",
    "breach": "breaks a verified rule in force that binds the officer",
}


def _rule_line(rule: Rule | None, rule_id: str) -> str:
    if rule is None:
        return f"- `{rule_id}` (not in the rules library)"
    status = "" if rule.verified else f" ({'superseded' if rule.superseded_by else rule.status})"
    return f"- {rule.title}: {rule.instrument}{status}"


TITLE = "How the course grades recurring acts"


def policy_markdown(catalogue: Catalogue, file: bool = True) -> str:
    """The whole policy as Markdown (deterministic: the order of the content files); as a
    `file`, with its title and a note on where it comes from."""
    lines = (
        [
            f"# {TITLE}",
            "",
            "*Written by `python -m course grading-policy --write` from `rules/acts.yaml`: "
            "edit that file, not this one.*",
            "",
        ]
        if file
        else []
    )
    lines += [
        "Every scenario choice is graded on one scale, and an act that recurs across the course "
        "gets the same grade wherever it appears. The content checks hold the course to this: a "
        "choice that performs one of these acts gets its grade unless it says what fact of its "
        "case makes it different, and those cases are listed at the end.",
        "",
    ]
    lines += [
        f"- **{grade.capitalize()}**: {meaning}." for grade, meaning in GRADE_MEANINGS.items()
    ]
    lines += [
        "",
        "A best or breach grade, and every quiz answer key, rests on at least one verified rule "
        "in force that binds the officer in the case. Codes of other countries, principles and "
        "other governments' rules are cited for comparison only, and the course says so where it "
        "shows them.",
        "",
    ]
    for act in catalogue.acts.values():
        lines += [f"## {act.title}", "", f"**Grade: {act.grade}.**", "", act.says.strip(), ""]
        lines += ["It turns on:", ""]
        lines += [_rule_line(catalogue.rules.get(r), r) for r in act.rules]
        used = grounding.act_users(catalogue, act.id)
        choices = sum(1 for u in used if u.startswith("module"))
        lines += [
            "",
            f"Where the course uses it: {choices} scenario choice(s) and "
            f"{len(used) - choices} quiz option(s).",
            "",
        ]
    reasons = grounding.act_reasons(catalogue)
    lines += ["## Where a choice is graded otherwise, and why", ""]
    if not reasons:
        lines += ["None: every choice that performs a listed act gets the act's grade.", ""]
    for one in reasons:
        reason = " ".join(one["reason"].split())  # one list item, however the YAML wrapped it
        lines.append(f"- {one['item']} ({one['act']}, {one['grade']}): {reason}")
    if reasons:
        lines.append("")
    return "\n".join(lines)
