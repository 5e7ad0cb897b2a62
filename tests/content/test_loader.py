"""Loading content: broken copies of the shipped course, each problem named as path:line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from course.content.loader import load
from course.content.markdown import to_html

MODULE = "modules/walk-away/module.md"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"expected {old!r} {count} time(s) in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def lines_of(path: Path, needle: str) -> list[int]:
    text = path.read_text(encoding="utf-8")
    return [n for n, line in enumerate(text.splitlines(), 1) if needle in line]


def line_of(path: Path, needle: str) -> int:
    found = lines_of(path, needle)
    assert len(found) == 1, f"expected {needle!r} on one line of {path}, found it on {found}"
    return found[0]


def problems_in(root: Path, rel: str) -> list[str]:
    """The problems the loader names in one file."""
    return [p for p in load(root)[1] if p.startswith(f"{rel}:")]


def rule_with(root: Path, status: str) -> str:
    rules = yaml.safe_load((root / "rules" / "rules.yaml").read_text(encoding="utf-8"))
    return next(r["id"] for r in rules if r["status"] == status and not r.get("superseded_by"))


# ---- the shipped content ----


def test_load_shipped_content_has_no_problems(content: Path) -> None:
    catalogue, problems = load(content)

    assert problems == []
    assert set(catalogue.modules) == {p.name for p in (content / "modules").iterdir()}
    assert catalogue.rules


# ---- front matter ----


def test_load_module_without_front_matter_names_line_one(content: Path) -> None:
    module = content / MODULE
    edit(module, "---\nid: walk-away\n", "id: walk-away\n")

    assert problems_in(content, MODULE) == [
        f"{MODULE}:1: a module starts with YAML front matter between '---' lines"
    ]


def test_load_module_with_invalid_yaml_names_its_line(content: Path) -> None:
    module = content / MODULE
    edit(module, "title: Walking away from", "title: Walking: away from")

    line = line_of(module, "title: Walking: away")
    assert problems_in(content, MODULE) == [
        f"{MODULE}:{line}: not valid YAML: mapping values are not allowed here"
    ]


def test_load_module_with_unknown_field_names_its_line(content: Path) -> None:
    module = content / MODULE
    edit(
        module,
        "title: Walking away from the tirade\n",
        "title: Walking away from the tirade\ncolour: blue\n",
    )

    line = line_of(module, "colour: blue")
    assert problems_in(content, MODULE) == [
        f"{MODULE}:{line}: colour: unknown field (check its spelling)"
    ]


def test_load_module_without_summary_says_it_is_required(content: Path) -> None:
    module = content / MODULE
    text = module.read_text(encoding="utf-8")
    module.write_text(re.sub(r"(?m)^summary:.*\n", "", text, count=1), encoding="utf-8")

    # a field that is not there has no line: the front matter's first line stands for it
    assert problems_in(content, MODULE) == [f"{MODULE}:2: summary: this field is required"]


def test_load_choice_without_grade_names_the_choice(content: Path) -> None:
    module = content / MODULE
    edit(
        module,
        "on your personal account.\n          grade: breach\n",
        "on your personal account.\n",
    )

    line = line_of(module, "Record a calm two-minute video") - 1  # its `- id: a` line
    assert problems_in(content, MODULE) == [
        f"{MODULE}:{line}: scenario.situations.0.choices.0.grade: this field is required"
    ]


def test_load_duplicate_yaml_key_names_the_second_key(content: Path) -> None:
    module = content / MODULE
    competencies = "competencies: [epistemic-insularity, ethical-engagement]\n"
    edit(module, competencies, competencies + "title: Walking away again\n")

    line = line_of(module, "title: Walking away again")
    assert problems_in(content, MODULE) == [f"{MODULE}:{line}: key 'title' appears twice"]


def test_load_module_id_differing_from_folder_names_the_id_line(content: Path) -> None:
    (content / "modules" / "walk-away").rename(content / "modules" / "walking-away")
    moved = "modules/walking-away/module.md"

    line = line_of(content / moved, "id: walk-away")
    assert load(content)[1] == [
        f"{moved}:{line}: id 'walk-away' differs from its folder 'walking-away'"
    ]


# ---- the scenario graph ----

# the last choice of the last decision point; end-cautioned is also reached by choice 'c'
LAST_CHOICE = "          next: end-cautioned\n\n    - id: end-steady"


def test_load_choice_to_unknown_situation_names_its_next_line(content: Path) -> None:
    module = content / MODULE
    edit(module, LAST_CHOICE, LAST_CHOICE.replace("end-cautioned", "press"))

    line = line_of(module, "next: press")
    assert load(content)[1] == [f"{MODULE}:{line}: choice 'd' leads to unknown situation 'press'"]


def test_load_cycle_names_the_choice_that_leads_back(content: Path) -> None:
    module = content / MODULE
    edit(module, LAST_CHOICE, LAST_CHOICE.replace("end-cautioned", "s1-clip"))

    line = line_of(module, "next: s1-clip")
    assert load(content)[1] == [
        f"{MODULE}:{line}: choice 'd' of 's5-offer' leads back to 's1-clip': "
        "scenarios may not loop (make 'reconsider' a new situation)"
    ]


def test_load_unreachable_situation_names_its_id_line(content: Path) -> None:
    module = content / MODULE
    edit(module, "next: s4-repair", "next: s5-offer", count=2)

    line = line_of(module, "- id: s4-repair")
    assert load(content)[1] == [
        f"{MODULE}:{line}: situation 's4-repair' cannot be reached from the start"
    ]


def test_load_unreachable_ending_names_its_id_line(content: Path) -> None:
    module = content / MODULE
    edit(module, "next: end-open", "next: end-show-cause")

    line = line_of(module, "- id: end-open")
    assert load(content)[1] == [
        f"{MODULE}:{line}: ending 'end-open' cannot be reached from the start"
    ]


def _situation(here: str, there: str, rule: str) -> str:
    choices = "".join(
        f"""
        - id: {choice}
          text: {text}
          grade: {grade}
          consequence: Nothing changes.
          why: The question comes back.
          rules: [{rule}]
          next: {there}"""
        for choice, text, grade in (("a", "Go on.", "acceptable"), ("b", "Wait.", "risky"))
    )
    return f"""
    - id: {here}
      title: Round and round
      text: The same question again.
      choices:{choices}"""


def test_load_scenario_without_ending_names_the_scenario_line(content: Path) -> None:
    module = content / MODULE
    rule = rule_with(content, "verified")
    text = module.read_text(encoding="utf-8")
    start = text.index("\nscenario:\n") + 1
    end = text.index("\n---\n", start) + 1
    scenario = (
        "scenario:\n  start: s1-here\n  situations:"
        + _situation("s1-here", "s2-there", rule)
        + _situation("s2-there", "s1-here", rule)
        + "\n"
    )
    module.write_text(text[:start] + scenario + text[end:], encoding="utf-8")

    back_a, back_b = lines_of(module, "next: s1-here")
    loop = "scenarios may not loop (make 'reconsider' a new situation)"
    assert problems_in(content, MODULE) == [
        f"{MODULE}:{line_of(module, 'scenario:')}: the scenario has no ending",
        f"{MODULE}:{back_a}: choice 'a' of 's2-there' leads back to 's1-here': {loop}",
        f"{MODULE}:{back_b}: choice 'b' of 's2-there' leads back to 's1-here': {loop}",
    ]


def test_load_duplicate_situation_id_is_refused(content: Path) -> None:
    module = content / MODULE
    edit(module, "    - id: end-open\n", "    - id: end-steady\n")

    problems = problems_in(content, MODULE)
    second = lines_of(module, "    - id: end-steady")[1]
    assert problems[0] == f"{MODULE}:{second}: situation id 'end-steady' is used twice"
    # the choices that led to the renamed situation are reported too
    assert problems[1].endswith("leads to unknown situation 'end-open'")


# ---- rule citations ----

BEST_FIRST_CHOICE = "rules: [pk-cr-r22-statements, pk-ed-2020-media-permission, pr-weber-sine-ira]"


def test_load_unknown_rule_names_the_rules_line(content: Path) -> None:
    module = content / MODULE
    edit(module, BEST_FIRST_CHOICE, "rules: [pk-cr-r22-statements, pk-cr-r99-invented]")

    line = line_of(module, "pk-cr-r99-invented")
    assert load(content)[1] == [
        f"{MODULE}:{line}: choice 'd' of 's1-clip' (graded best) cites unknown rule "
        "'pk-cr-r99-invented'"
    ]


def test_load_best_grade_citing_only_unverified_rule_is_refused(content: Path) -> None:
    module = content / MODULE
    unverified = rule_with(content, "unverified")
    edit(module, BEST_FIRST_CHOICE, f"rules: [{unverified}]")

    line = line_of(module, f"rules: [{unverified}]")
    assert load(content)[1] == [
        f"{MODULE}:{line}: choice 'd' of 's1-clip' (graded best) must rest on at least one "
        f"verified rule in force that binds a federal officer (PAS); {unverified} is unverified"
    ]


# ---- banks ----


def _bank(bank_id: str, question_id: str, rule: str) -> str:
    return f"""id: {bank_id}
competency: epistemic-insularity
title: Synthetic bank {bank_id}
questions:
  - id: {question_id}
    type: true_false
    difficulty: easy
    about: {{officer: any}}
    rules: [{rule}]
    stem: An officer may post about an official dispute without permission.
    answer: false
    feedback_true: Not so; permission comes first.
    feedback_false: Right; permission comes first.
    misconception: A personal account is outside the rules.
"""


def test_load_question_id_in_two_banks_names_the_second(content: Path) -> None:
    banks = content / "quizzes" / "banks"
    banks.mkdir(exist_ok=True)
    rule = rule_with(content, "verified")
    (banks / "zz-first.yaml").write_text(_bank("zz-first", "zzz-901", rule), encoding="utf-8")
    (banks / "zz-second.yaml").write_text(_bank("zz-second", "zzz-901", rule), encoding="utf-8")

    line = line_of(banks / "zz-second.yaml", "id: zzz-901")
    assert load(content)[1] == [
        f"quizzes/banks/zz-second.yaml:{line}: question id 'zzz-901' is already used in "
        "quizzes/banks/zz-first.yaml"
    ]


def test_load_bank_id_used_twice_names_the_second_file(content: Path) -> None:
    banks = content / "quizzes" / "banks"
    banks.mkdir(exist_ok=True)
    rule = rule_with(content, "verified")
    (banks / "zz-first.yaml").write_text(_bank("zz-same", "zzz-901", rule), encoding="utf-8")
    (banks / "zz-second.yaml").write_text(_bank("zz-same", "zzz-902", rule), encoding="utf-8")

    line = line_of(banks / "zz-second.yaml", "id: zz-same")
    assert any(
        p.startswith(f"quizzes/banks/zz-second.yaml:{line}:") and "zz-same" in p
        for p in load(content)[1]
    )


# ---- lists: rules and quizzes ----


def test_load_rule_missing_a_field_names_the_rule_line(content: Path) -> None:
    rules = content / "rules" / "rules.yaml"
    second = yaml.safe_load(rules.read_text(encoding="utf-8"))[1]["id"]
    text = rules.read_text(encoding="utf-8")
    rules.write_text(re.sub(rf"(- id: {second}\n)  kind: .*\n", r"\1", text), encoding="utf-8")

    line = line_of(rules, f"- id: {second}")
    assert problems_in(content, "rules/rules.yaml") == [
        f"rules/rules.yaml:{line}: kind: this field is required"
    ]


def test_load_unknown_question_after_an_invalid_quiz_names_its_line(content: Path) -> None:
    quizzes = content / "quizzes" / "quizzes.yaml"
    quizzes.write_text(
        "- id: zz-broken\n  title: No pass mark\n  kind: competency\n"
        "  questions: [zzz-001]\n"
        "- id: zz-second\n  title: Asks a lost question\n  kind: competency\n"
        "  questions: [nope-001]\n  pass_mark: 0.5\n",
        encoding="utf-8",
    )

    problems = problems_in(content, "quizzes/quizzes.yaml")
    line = line_of(quizzes, "nope-001")
    assert f"quizzes/quizzes.yaml:{line}: quiz 'zz-second' asks unknown question 'nope-001'" in (
        problems
    )


# ---- real names ----


@pytest.mark.parametrize("spelling", [str, str.upper], ids=["as-listed", "upper-case"])
def test_load_real_officers_name_in_module_names_the_line(
    content: Path, spelling: Callable[[str], str]
) -> None:
    listed = yaml.safe_load((content / "rules" / "protected-names.yaml").read_text("utf-8"))
    name = spelling(listed["names"][0])
    module = content / MODULE
    with module.open("a", encoding="utf-8") as out:
        out.write(f"\nAs {name} once said, keep walking.\n")

    line = line_of(module, f"As {name} once said")
    assert load(content)[1] == [
        f"{MODULE}:{line}: names a real person ('{name}'): use an invented name"
    ]


# ---- Markdown ----


def test_to_html_shows_a_script_tag_as_text() -> None:
    html = to_html("Before.\n\n<script>alert(1)</script>\n\nAfter.")

    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JavaScript:alert(1)"])
def test_to_html_refuses_a_javascript_link(target: str) -> None:
    html = to_html(f"Click [x]({target}) now.")

    assert 'href="javascript' not in html.lower()
    assert "<a" not in html
    assert f"[x]({target})" in html


def test_load_names_html_typed_in_content(content: Path) -> None:
    module = content / MODULE
    text = module.read_text(encoding="utf-8")
    heading = text.index("\n## ") + 1  # the first reading section: add a line to its text
    after = text.index("\n", heading) + 1
    module.write_text(
        text[:after] + "\n<script>alert(1)</script> and <b>bold</b>\n" + text[after:],
        encoding="utf-8",
    )
    line = text[:after].count("\n") + 2
    assert problems_in(content, MODULE) == [
        f"{MODULE}:{line}: '<script>' is HTML, which the course shows as typed, not as "
        "formatting: write Markdown instead (e.g. **bold**, *italic*, - lists)"
    ]


# ---- the review session ----


def test_load_review_session_longer_than_ten_questions_or_fifteen_minutes(content: Path) -> None:
    quizzes = content / "quizzes" / "quizzes.yaml"
    # the review session's limit (the anchor check's is 15 minutes too, with another review)
    session = "  time_limit_minutes: 15\n  review:\n    during: []\n    after_attempt: [score, corr"
    edit(quizzes, session, session.replace("15", "20"))
    edit(
        quizzes,
        "    - {competency: epistemic-insularity, count: 4}\n",
        "    - {competency: epistemic-insularity, count: 6}\n",
    )
    found = problems_in(content, "quizzes/quizzes.yaml")
    assert any(
        "review 'spaced-review' asks 12 questions: a review session draws at most 10" in p
        for p in found
    )
    assert any("needs a time limit of at most 15 minutes" in p for p in found)


def test_load_track_offering_a_quiz_that_is_not_a_review(content: Path) -> None:
    edit(content / "tracks.yaml", "  review: spaced-review", "  review: refresher-review")
    assert any(
        "offers review session 'refresher-review', which is not a quiz of `kind: review`" in p
        for p in problems_in(content, "tracks.yaml")
    )


def test_load_anchor_check_that_shows_answers_or_draws_questions(content: Path) -> None:
    quizzes = content / "quizzes" / "quizzes.yaml"
    edit(
        quizzes,
        "    after_attempt: [score]\n    after_close: [score]\n",
        "    after_attempt: [score, correctness]\n    after_close: [score]\n",
    )
    edit(
        quizzes,
        "  questions: [ei-019, ei-021, coi-006, coi-050, ee-043, ee-007]\n",
        "  draws:\n    - {competency: epistemic-insularity, count: 6}\n",
    )
    found = problems_in(content, "quizzes/quizzes.yaml")
    assert any("anchor check 'anchor-check' shows only the score" in p for p in found)
    assert any("anchor check 'anchor-check' lists its questions" in p for p in found)
