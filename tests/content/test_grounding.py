"""Grades grounded in rules that bind the officer, one grade per act, and practice questions kept
out of graded quizzes: broken copies of the content fail at the right line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from course.content.grading_policy import policy_markdown
from course.content.inventory import describe
from course.content.loader import load
from tests.content.test_broken_files import front_matter, with_front_matter
from tests.content.test_item_checks import BANK, CLEAN, clean, edit_choices, write_bank
from tests.content.test_loader import MODULE, edit, line_of, problems_in
from tests.helpers import edit_yaml

PROJECT = Path(__file__).resolve().parents[2]


def field_line(path: Path, question_id: str, field: str = "rules:") -> int:
    """The line of a question's first `field` in a bank written by write_bank."""
    lines = path.read_text().splitlines()
    start = line_of(path, f"id: {question_id}")
    return next(n for n in range(start, len(lines) + 1) if field in lines[n - 1])


def quiz_problems(root: Path) -> list[str]:
    """The problems named in quizzes.yaml about the quizzes these tests add."""
    return [p for p in problems_in(root, "quizzes/quizzes.yaml") if "'zz-" in p]


def key_problem(question_id: str, officer: str, reasons: str) -> str:
    return (
        f"question '{question_id}' (its answer key) must rest on at least one verified rule in "
        f"force that binds {officer}; {reasons}"
    )


def test_a_key_resting_only_on_a_foreign_code_fails_and_names_it_for_comparison(
    content: Path,
) -> None:
    questions = clean()
    questions[0]["rules"] = ["uk-cs-code", "us-hatch-act"]
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{field_line(path, 'zz-001')}: "
        + key_problem(
            "zz-001",
            "a federal officer (PAS)",
            "uk-cs-code does not bind them (for comparison only), us-hatch-act does not bind "
            "them (for comparison only)",
        )
    ]


def test_a_foreign_code_beside_a_binding_rule_is_allowed(content: Path) -> None:
    questions = clean()
    questions[0]["rules"] = ["uk-cs-code", "pk-cr-r18-information"]
    write_bank(content, questions)

    assert problems_in(content, BANK) == []


def test_a_provincial_rule_binds_its_own_officers_only(content: Path) -> None:
    questions = clean()
    questions[0]["rules"] = ["pk-kp-34a"]
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{field_line(path, 'zz-001')}: "
        + key_problem(
            "zz-001",
            "a federal officer (PAS)",
            "pk-kp-34a does not bind them (for comparison only)",
        )
    ]

    questions[0]["about"] = {"officer": "provincial", "province": "kp", "service": "PMS"}
    write_bank(content, questions)
    assert problems_in(content, BANK) == []

    questions[0]["about"] = {"officer": "provincial", "province": "punjab", "service": "PMS"}
    path = write_bank(content, questions)
    assert problems_in(content, BANK) == [
        f"{BANK}:{field_line(path, 'zz-001')}: "
        + key_problem(
            "zz-001",
            "a Punjab provincial officer (PMS)",
            "pk-kp-34a does not bind them (for comparison only)",
        )
    ]


def test_a_key_resting_on_a_superseded_rule_says_what_replaced_it(content: Path) -> None:
    questions = clean()
    questions[0]["rules"] = ["pk-misconduct-1973"]
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{field_line(path, 'zz-001')}: "
        + key_problem(
            "zz-001",
            "a federal officer (PAS)",
            "pk-misconduct-1973 is superseded by pk-ed-rules-2020",
        )
    ]


def test_a_question_that_does_not_say_whom_it_is_about_fails_at_its_id(content: Path) -> None:
    questions = clean()
    del questions[1]["about"]
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, 'id: zz-002')}: question 'zz-002' does not say whom it is about: "
        "add `about:` (`officer: federal` with a `service`, `officer: provincial` with a "
        "`province`, or `officer: any`)"
    ]


def test_a_rule_that_does_not_say_whom_it_binds_fails_at_its_id(content: Path) -> None:
    rules = content / "rules" / "rules.yaml"
    text = rules.read_text()
    first = yaml.safe_load(text)[0]["id"]
    lines = text.splitlines(keepends=True)
    at = line_of(rules, f"- id: {first}")
    binds = next(n for n in range(at, len(lines)) if lines[n].startswith("  binds:"))
    del lines[binds]
    rules.write_text("".join(lines))

    assert problems_in(content, "rules/rules.yaml") == [
        f"rules/rules.yaml:{at}: rule '{first}' does not say whom it binds: add `binds:` with "
        "the governments whose servants it binds (`governments: []` for a foreign code or a "
        "principle)"
    ]


def _act_of_grade(grade: str) -> dict[str, Any]:
    acts = yaml.safe_load((PROJECT / "rules" / "acts.yaml").read_text())
    found: dict[str, Any] = next(a for a in acts if a["grade"] == grade)
    return found


def test_a_key_that_performs_a_breach_act_fails_unless_it_says_why(content: Path) -> None:
    act = _act_of_grade("breach")
    questions = clean()
    questions[0]["options"][0]["act"] = act["id"]
    path = write_bank(content, questions)

    correct_at = field_line(path, "zz-001", "correct: true")
    assert problems_in(content, BANK) == [
        f"{BANK}:{correct_at}: option 'a' of question 'zz-001' is keyed correct but performs "
        f"act '{act['id']}', which the course grades breach: key another option, or say in "
        "`act_reason` what makes it different"
    ]

    reason = "the request comes from the officer's own ministry, which is entitled to it"
    questions[0]["options"][0]["act_reason"] = reason
    write_bank(content, questions)
    catalogue, _ = load(content)
    assert problems_in(content, BANK) == []
    assert {
        "item": "question zz-001, option a",
        "act": act["id"],
        "grade": "keyed correct",
        "reason": reason,
    } in describe(catalogue)["grades_differing_from_act"]
    assert reason in policy_markdown(catalogue)


def test_a_choice_graded_otherwise_than_its_act_fails_at_its_grade(content: Path) -> None:
    best = _act_of_grade("best")
    data = front_matter(content)
    situation, index = next(
        (s, i)
        for s in data["scenario"]["situations"]  # type: ignore[index]
        for i, c in enumerate(s.get("choices", []))
        if c["grade"] != "best"
    )
    choice = situation["choices"][index]
    choice["act"] = best["id"]
    choice["rules"] = [*choice["rules"], best["rules"][0]]
    choice["text"] = "A marker text for this choice."
    module = content / MODULE
    module.write_bytes(with_front_matter(content, data))

    found = [p for p in problems_in(content, MODULE) if "performs act" in p]
    assert found == [
        f"{MODULE}:{_line_after(module, 'A marker text', 'grade:')}: choice '{choice['id']}' of "
        f"'{situation['id']}' (graded {choice['grade']}) performs act '{best['id']}', which the "
        f"course grades best everywhere: grade it best, or say in `act_reason` what makes this "
        "case different"
    ]

    choice["act_reason"] = "A fact of this case."
    module.write_bytes(with_front_matter(content, data))
    assert [p for p in problems_in(content, MODULE) if "performs act" in p] == []


def _line_after(path: Path, marker: str, field: str) -> int:
    """The line of `field` nearest to the line holding `marker` (the same choice's field)."""
    lines = path.read_text().splitlines()
    at = line_of(path, marker)
    candidates = [n for n, line in enumerate(lines, 1) if line.strip().startswith(field)]
    return min(candidates, key=lambda n: abs(n - at))


def test_a_module_whose_best_choices_are_the_longest_fails_at_its_scenario(
    content: Path,
) -> None:
    def lengthen_best(choice: dict[str, Any]) -> None:
        if choice["grade"] == "best":
            choice["text"] += " " + "and then, in writing, through the proper channel" * 4

    points = edit_choices(content, lengthen_best)
    module = content / MODULE

    found = [p for p in problems_in(content, MODULE) if "longest option" in p]
    assert len(found) == 1
    assert found[0].startswith(
        f"{MODULE}:{line_of(module, 'scenario:')}: the best choice is the longest option at "
        f"{points} of {points} decision points"
    )


def test_a_module_that_does_not_say_whom_it_is_about_fails(content: Path) -> None:
    data = front_matter(content)
    del data["about"]
    module = content / MODULE
    module.write_bytes(with_front_matter(content, data))

    assert [p for p in problems_in(content, MODULE) if "whom it is about" in p] == [
        f"{MODULE}:{line_of(module, 'id: walk-away')}: module 'walk-away' does not say whom it "
        "is about: add `about:` (e.g. `officer: federal` with `service: PAS`, or `officer: "
        "provincial` with `province: kp`)"
    ]


# ---- formative and summative ----


def _add_quiz(root: Path, quiz: dict[str, Any]) -> Path:
    path = root / "quizzes" / "quizzes.yaml"
    edit_yaml(path, lambda quizzes: quizzes.append(quiz))
    return path


def test_a_graded_quiz_may_not_ask_a_practice_question(content: Path) -> None:
    questions = clean()
    questions[0]["use"] = "practice"
    write_bank(content, questions)
    path = _add_quiz(
        content,
        {
            "id": "zz-quiz",
            "title": "Z",
            "kind": "competency",
            "questions": ["zz-001", "zz-002"],
            "pass_mark": 0.5,
        },
    )

    assert quiz_problems(content) == [
        f"quizzes/quizzes.yaml:{line_of(path, '- zz-001')}: graded quiz 'zz-quiz' asks "
        "'zz-001', a practice question whose key learners have seen in a knowledge check: ask a "
        "graded question instead"
    ]


def test_a_knowledge_check_draws_practice_questions_only(content: Path) -> None:
    questions = clean()
    for question in questions:
        question["tags"] = ["zz-tag"]
    write_bank(content, questions)
    path = _add_quiz(
        content,
        {
            "id": "zz-check",
            "title": "Z",
            "kind": "knowledge_check",
            "draws": [{"competency": "epistemic-insularity", "count": 2, "tag": "zz-tag"}],
            "pass_mark": 0.5,
        },
    )

    draw_at = line_of(path, "tag: zz-tag")
    assert quiz_problems(content) == [
        f"quizzes/quizzes.yaml:{draw_at - 2}: quiz 'zz-check' draws 2 'zz-tag' questions but "
        "the epistemic-insularity bank has 0 practice ones"
    ]

    for question in questions[:2]:
        question["use"] = "practice"
    write_bank(content, questions)
    assert quiz_problems(content) == []


def test_a_graded_quiz_that_shows_its_key_while_attempts_remain_fails(content: Path) -> None:
    path = _add_quiz(
        content,
        {
            "id": "zz-quiz",
            "title": "Z",
            "kind": "competency",
            "questions": [q["id"] for q in CLEAN[:2]],
            "attempts": 0,
            "pass_mark": 0.5,
            "review": {"during": ["key"], "after_attempt": ["score", "key"]},
        },
    )
    write_bank(content, clean())

    text = path.read_text().splitlines()
    quiz_at = line_of(path, "id: zz-quiz")
    during = next(n for n in range(quiz_at, len(text) + 1) if "during:" in text[n - 1])
    after = next(n for n in range(quiz_at, len(text) + 1) if "after_attempt:" in text[n - 1])
    assert quiz_problems(content) == [
        f"quizzes/quizzes.yaml:{during}: graded quiz 'zz-quiz' shows the key during an attempt: "
        "show it after the quiz closes (`after_close`) instead",
        f"quizzes/quizzes.yaml:{after}: graded quiz 'zz-quiz' shows the key after an attempt but "
        "allows another attempt, where the key would count: show it `after_close`, or allow one "
        "attempt",
    ]


def test_the_committed_grading_policy_is_written_from_the_acts() -> None:
    catalogue, problems = load(PROJECT)
    assert problems == []
    committed = (PROJECT / "docs" / "grading-policy.md").read_text(encoding="utf-8")
    assert committed == policy_markdown(catalogue), (
        "docs/grading-policy.md is out of date: run `python -m course grading-policy --write`"
    )


def test_editing_an_act_is_reported_where_it_is_used(content: Path) -> None:
    acts = content / "rules" / "acts.yaml"
    first = yaml.safe_load(acts.read_text())[0]
    edit(acts, f"  rules: [{', '.join(first['rules'])}]", "  rules: [uk-cs-code]")

    assert problems_in(content, "rules/acts.yaml") == [
        f"rules/acts.yaml:{line_of(acts, '  rules: [uk-cs-code]')}: act '{first['id']}' (graded "
        f"{first['grade']}) must rest on at least one verified rule in force that binds any "
        "public servant; uk-cs-code does not bind them (for comparison only)"
    ]
