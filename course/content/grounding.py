"""Grades grounded in rules that bind the officer, and one grade for each recurring act.

- Every rule says whom it binds (`binds`), every module and question whom it is about (`about`).
- A best or breach grade, and every answer key, cites at least one verified rule, not
  superseded, that binds that officer. Other rules may be cited too; the app shows those that
  do not bind the officer as "for comparison".
- A choice or option that performs a listed act (rules/acts.yaml) gets the act's grade, unless
  it says why not (`act_reason`: an aggravating or mitigating fact).
"""

from __future__ import annotations

from collections.abc import Iterator

from course.content.catalogue import Catalogue
from course.content.located import Located, Path_
from course.content.schema import (
    Act,
    Module,
    MultipleResponse,
    Officer,
    Option,
    Question,
    Rule,
    SingleChoice,
)
from course.errors import ContentError

GRADED_STRICTLY = ("best", "breach")


def binding(rule: Rule, officer: Officer | None) -> bool:
    """Whether a rule binds the officer (never, for an unknown officer or a rule without binds)."""
    return officer is not None and rule.binds is not None and officer.bound_by(rule.binds)


def grounds(
    cited: tuple[str, ...], catalogue: Catalogue, officer: Officer | None, what: str, strict: bool
) -> list[str]:
    """What is wrong with a grade's or key's citations (nothing when it is well grounded)."""
    unknown = [r for r in cited if r not in catalogue.rules]
    if unknown:
        return [f"{what} cites unknown rule '{r}'" for r in unknown]
    if not strict or officer is None:
        return []
    rules = [catalogue.rules[r] for r in cited]
    if any(r.verified and binding(r, officer) for r in rules):
        return []
    reasons = []
    for rule in rules:
        if rule.superseded_by:
            reasons.append(f"{rule.id} is superseded by {rule.superseded_by}")
        elif rule.status != "verified":
            reasons.append(f"{rule.id} is {rule.status}")
        elif not binding(rule, officer):
            reasons.append(f"{rule.id} does not bind them (for comparison only)")
    return [
        f"{what} must rest on at least one verified rule in force that binds "
        f"{officer.describe()}; {', '.join(reasons)}"
    ]


def check_rule_binds(catalogue: Catalogue, located: Located) -> Iterator[ContentError]:
    """Every rule says whom it binds, as data."""
    positions = located.positions()
    for rule in catalogue.rules.values():
        if rule.binds is None:
            yield located.error(
                (positions.get(rule.id, 0), "id"),
                f"rule '{rule.id}' does not say whom it binds: add `binds:` with the "
                "governments whose servants it binds (`governments: []` for a foreign code "
                "or a principle)",
            )


def check_acts(catalogue: Catalogue, located: Located) -> Iterator[ContentError]:
    """Each act's rules exist, and a best or breach act rests on a verified Pakistani rule."""
    positions = located.positions()
    everyone = Officer(officer="any")
    for act in catalogue.acts.values():
        i = positions.get(act.id, 0)
        what = f"act '{act.id}' (graded {act.grade})"
        strict = act.grade in GRADED_STRICTLY
        for problem in grounds(act.rules, catalogue, everyone, what, strict):
            yield located.error((i, "rules"), problem)


def check_module_grounding(
    module: Module, located: Located, catalogue: Catalogue
) -> Iterator[ContentError]:
    if module.about is None:
        yield located.error(
            ("id",),
            f"module '{module.id}' does not say whom it is about: add `about:` (e.g. "
            "`officer: federal` with `service: PAS`, or `officer: provincial` with `province: kp`)",
        )
    for i, situation in enumerate(module.scenario.situations):
        for j, choice in enumerate(situation.choices):
            where: Path_ = ("scenario", "situations", i, "choices", j)
            what = f"choice '{choice.id}' of '{situation.id}' (graded {choice.grade})"
            strict = choice.grade in GRADED_STRICTLY
            for problem in grounds(choice.rules, catalogue, module.about, what, strict):
                yield located.error((*where, "rules"), problem)
            yield from _act_fits(
                catalogue, located, where, what, choice.act, choice.act_reason, choice.grade
            )
            if choice.act and choice.act in catalogue.acts:
                act = catalogue.acts[choice.act]
                if not set(act.rules) & set(choice.rules):
                    yield located.error(
                        (*where, "rules"),
                        f"{what} performs act '{act.id}' but cites none of the rules it turns "
                        f"on: cite at least one of {', '.join(act.rules)}",
                    )


def check_question_grounding(
    question: Question, located: Located, where: Path_, catalogue: Catalogue
) -> Iterator[ContentError]:
    if question.about is None:
        yield located.error(
            (*where, "id"),
            f"question '{question.id}' does not say whom it is about: add `about:` "
            "(`officer: federal` with a `service`, `officer: provincial` with a `province`, "
            "or `officer: any`)",
        )
    what = f"question '{question.id}' (its answer key)"
    for problem in grounds(question.rules, catalogue, question.about, what, strict=True):
        yield located.error((*where, "rules"), problem)
    if isinstance(question, SingleChoice | MultipleResponse):
        for k, option in enumerate(question.options):
            yield from _option_act_fits(
                catalogue, located, (*where, "options", k), question.id, option
            )


def _act_fits(
    catalogue: Catalogue,
    located: Located,
    where: Path_,
    what: str,
    act_id: str | None,
    reason: str | None,
    grade: str,
) -> Iterator[ContentError]:
    if act_id is None:
        if reason:
            yield located.error((*where, "act_reason"), f"{what} gives an act_reason but no act")
        return
    act = catalogue.acts.get(act_id)
    if act is None:
        yield located.error((*where, "act"), f"{what} names unknown act '{act_id}'")
    elif act.grade != grade and not reason:
        yield located.error(
            (*where, "grade"),
            f"{what} performs act '{act.id}', which the course grades {act.grade} everywhere: "
            f"grade it {act.grade}, or say in `act_reason` what makes this case different",
        )


def _option_act_fits(
    catalogue: Catalogue, located: Located, where: Path_, question_id: str, option: Option
) -> Iterator[ContentError]:
    """A keyed option never performs a risky or breach act; a wrong one never a best act."""
    what = f"option '{option.id}' of question '{question_id}'"
    if option.act is None:
        return
    act: Act | None = catalogue.acts.get(option.act)
    if act is None:
        yield located.error((*where, "act"), f"{what} names unknown act '{option.act}'")
        return
    right, reason = option.correct, option.act_reason
    if right and act.grade in ("risky", "breach") and not reason:
        yield located.error(
            (*where, "correct"),
            f"{what} is keyed correct but performs act '{act.id}', which the course grades "
            f"{act.grade}: key another option, or say in `act_reason` what makes it different",
        )
    if not right and act.grade == "best" and not reason:
        yield located.error(
            (*where, "correct"),
            f"{what} is keyed wrong but performs act '{act.id}', which the course grades best: "
            "key it, or say in `act_reason` what makes it different",
        )


def act_users(catalogue: Catalogue, act_id: str) -> list[str]:
    """Where an act is performed: choices of modules and options of questions."""
    found = [
        f"module {m.id}, choice {c.id} of {s.id}"
        for m in catalogue.modules.values()
        for s in m.scenario.situations
        for c in s.choices
        if c.act == act_id
    ]
    found += [
        f"question {q.id}, option {o.id}"
        for q in catalogue.questions.values()
        if isinstance(q, SingleChoice | MultipleResponse)
        for o in q.options
        if o.act == act_id
    ]
    return found


def act_reasons(catalogue: Catalogue) -> list[dict[str, str]]:
    """Choices and options graded otherwise than their act, with the reason each gives."""
    found: list[dict[str, str]] = []
    for module in catalogue.modules.values():
        for situation in module.scenario.situations:
            for choice in situation.choices:
                if choice.act and choice.act_reason:
                    found.append(
                        {
                            "item": f"module {module.id}, choice {choice.id} of {situation.id}",
                            "act": choice.act,
                            "grade": choice.grade,
                            "reason": choice.act_reason,
                        }
                    )
    for question in catalogue.questions.values():
        if isinstance(question, SingleChoice | MultipleResponse):
            for option in question.options:
                if option.act and option.act_reason:
                    found.append(
                        {
                            "item": f"question {question.id}, option {option.id}",
                            "act": option.act,
                            "grade": "keyed correct" if option.correct else "keyed wrong",
                            "reason": option.act_reason,
                        }
                    )
    return found
