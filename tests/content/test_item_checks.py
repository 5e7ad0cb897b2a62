"""Item-writing checks: each cue that gives an answer away fails at the right line, and a waiver
with a reason lets one item off one check (and is listed)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from course.content.inventory import describe
from course.content.loader import load
from tests.content.test_broken_files import front_matter, with_front_matter
from tests.content.test_loader import MODULE, line_of, problems_in

BANK = "quizzes/banks/zz-checks.yaml"
ABOUT = {"officer": "federal", "service": "PAS"}
RULE = "pk-cr-r18-information"  # verified, federal


def option(oid: str, text: str, right: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {"id": oid, "text": text, "feedback": f"Feedback on {text[:20]}."}
    if right:
        found["correct"] = True
    else:
        found["misconception"] = "A plausible mistake."
    return found


def single(qid: str, stem: str, key: str, others: list[str], **extra: Any) -> dict[str, Any]:
    texts = [key, *others]
    return {
        "id": qid,
        "type": "single",
        "difficulty": "medium",
        "rules": [RULE],
        "about": ABOUT,
        "stem": stem,
        "options": [option("abcdef"[n], t, right=n == 0) for n, t in enumerate(texts)],
        **extra,
    }


def true_false(qid: str, statement: str, answer: bool) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "true_false",
        "difficulty": "easy",
        "rules": [RULE],
        "about": ABOUT,
        "stem": statement,
        "answer": answer,
        "feedback_true": "Feedback for true.",
        "feedback_false": "Feedback for false.",
        "misconception": "A plausible mistake.",
    }


# Six single-choice questions whose keys are twice each the shortest, a middle and the longest
# option, and two true/false questions, one of each answer: a bank that passes every check
# (length shares are judged from five single-choice questions).
CLEAN = [
    single(
        "zz-001",
        "A reporter rings Officer Quill about a flood survey. What does he do first?",
        "Refer the request.",
        ["Read out the survey findings.", "Agree to a short recorded interview tomorrow morning."],
    ),
    single(
        "zz-002",
        "Officer Larch is sent the draft budget by a friend in another ministry. What now?",
        "Return it and tell her superior.",
        ["Keep it for background.", "Share a summary with her whole team so they can prepare."],
    ),
    single(
        "zz-003",
        "A cousin asks Officer Birch for a copy of a pending tender evaluation. What does he say?",
        "That the evaluation is official information he cannot pass on to anyone outside.",
        ["Send only the scores.", "Read it to him on the phone."],
    ),
    true_false("zz-004", "Rule 18 covers passing official documents to the press.", True),
    true_false("zz-005", "A private message to a journalist falls outside Rule 18.", False),
    single(
        "zz-006",
        "A batchmate asks Officer Sahil to forward the draft transfer list. What does he do?",
        "Say no.",
        ["Forward only his own entry.", "Send it with a note that it is only a draft for now."],
    ),
    single(
        "zz-007",
        "A relative asks Officer Moeen to photograph a file about his land. What does he answer?",
        "That the file is official and stays in the office.",
        ["Take the photo but keep it.", "Describe what the file says in general terms over tea."],
    ),
    single(
        "zz-008",
        "A reporter asks Officer Rida to confirm a leaked inquiry report. What does she say?",
        "That she cannot discuss official documents and will pass the request to her office.",
        ["Confirm it off the record.", "Say only that it looks real."],
    ),
]


class _Plain(yaml.SafeDumper):
    """Writes shared values out in full (the loader refuses anchors and aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_bank(root: Path, questions: list[dict[str, Any]]) -> Path:
    bank = {
        "id": "zz-checks",
        "competency": "epistemic-insularity",
        "title": "Checks",
        "questions": questions,
    }
    path = root / BANK
    path.write_text(yaml.dump(bank, Dumper=_Plain, sort_keys=False, allow_unicode=True, width=1000))
    return path


def clean() -> list[dict[str, Any]]:
    return copy.deepcopy(CLEAN)


def test_a_bank_without_cues_has_no_problems(content: Path) -> None:
    write_bank(content, clean())

    assert problems_in(content, BANK) == []


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("None of the above.", 'says "None of the above"'),
        ("All of these options.", 'says "All of these"'),
        ("Both a and c.", "combines other options"),
    ],
)
def test_an_option_that_rests_on_others_fails_at_its_line(
    content: Path, text: str, check: str
) -> None:
    questions = clean()
    questions[2]["options"][1]["text"] = text  # shorter than the key, as the one it replaces
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, text)}: option 'b' of 'zz-003' {_rest(check)}"
    ]


def _rest(check: str) -> str:
    if check.startswith("says"):
        return f"{check}, which a learner judges without weighing the others: write a real option"
    return f"{check}: make it a multiple-response question instead"


def test_an_unemphasised_negative_stem_fails_and_an_emphasised_one_passes(content: Path) -> None:
    questions = clean()
    questions[0]["stem"] = "A reporter rings Officer Quill. Which of these should he not do?"
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, 'should he not do')}: 'zz-001' asks a negative question ('not'):"
        " emphasise the word (**not**) so that nobody misreads what is asked"
    ]

    questions[0]["stem"] = "A reporter rings Officer Quill. Which of these should he **not** do?"
    write_bank(content, questions)
    assert problems_in(content, BANK) == []


def test_a_blank_stem_and_a_stem_ending_in_an_article_fail(content: Path) -> None:
    questions = clean()
    questions[0]["stem"] = "Officer Quill should first ____ the request."
    questions[1]["stem"] = "The draft budget a friend sends Officer Larch is best handled as an"
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, 'should first ____')}: 'zz-001' is a fill-in-the-blank stem: "
        "ask a whole question instead",
        f"{BANK}:{line_of(path, 'best handled as an')}: the stem of 'zz-002' ends with 'a' or "
        "'an', which tells which options fit the grammar: move the article into the options",
    ]


def test_a_key_that_alone_repeats_the_stem_fails_until_a_distractor_repeats_it(
    content: Path,
) -> None:
    questions = clean()
    questions[2]["stem"] = "A cousin asks Officer Birch for the tender evaluation report. Reply?"
    questions[2]["options"][0]["text"] = (
        "That the tender evaluation report is official information he cannot pass on."
    )
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, 'That the tender evaluation')}: only the key of 'zz-003' "
        "repeats the stem's words (evaluation, report, tender): a learner matches the words, not "
        "the idea. Reword the key, or use the words in a distractor too"
    ]

    questions[2]["options"][1]["text"] = "Send only the tender report."
    write_bank(content, questions)
    assert problems_in(content, BANK) == []


def test_a_key_that_alone_hedges_fails(content: Path) -> None:
    questions = clean()
    questions[1]["options"][0]["text"] = "Usually return it and tell her superior."
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, 'Usually return it')}: only the key of 'zz-002' hedges "
        "('Usually'): careful wording marks it as the answer. Qualify a distractor too, or "
        "state the key plainly"
    ]


def test_a_waiver_with_a_reason_lets_one_item_off_and_is_listed(content: Path) -> None:
    questions = clean()
    questions[1]["options"][0]["text"] = "Usually return it and tell her superior."
    reason = "the key quotes the circular's own 'usually'"
    questions[1]["waive"] = {"hedge-in-key": reason}
    write_bank(content, questions)

    catalogue, _ = load(content)
    assert problems_in(content, BANK) == []
    assert {"item": "question zz-002", "check": "hedge-in-key", "reason": reason} in describe(
        catalogue
    )["waivers"]


def test_a_waiver_needs_a_known_check_and_a_reason(content: Path) -> None:
    questions = clean()
    questions[1]["waive"] = {"hedge-in-key": "", "longest": "it is long"}
    write_bank(content, questions)

    found = problems_in(content, BANK)
    assert len(found) == 2, found
    assert any("hedge-in-key" in p and "should not be empty" in p for p in found), found
    assert any("longest" in p and "should be one of" in p for p in found), found


def test_keys_that_are_the_longest_option_too_often_fail_at_the_banks_questions(
    content: Path,
) -> None:
    questions = clean()
    for question in questions:
        if question["type"] == "single":
            question["options"][0]["text"] += " " + "and the rest of the work follows in order " * 3
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, 'questions:')}: the key is the longest option in 6 of 6 "
        "single-choice questions (at most 2, a third, may be): vary the keys' lengths"
    ]


def test_keys_of_one_length_rank_fail_even_when_not_the_longest(content: Path) -> None:
    questions = clean()
    singles = [q for q in questions if q["type"] == "single"]
    for question in singles:  # the key becomes the second longest everywhere
        key, *others = question["options"]
        others[0]["text"] = "x" * (len(key["text"]) + 30)
        others[1]["text"] = "y" * max(1, len(key["text"]) - 5)
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, 'questions:')}: the key is the second longest option in 6 of 6 "
        "single-choice questions (more than 40%): a learner who learns the pattern finds the key "
        "by its length; vary it"
    ]


def test_true_false_keys_that_lean_one_way_fail(content: Path) -> None:
    questions = clean()
    questions += [
        true_false(f"zz-01{n}", f"Statement number {n} about Rule 18.", False) for n in (6, 7)
    ]
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, 'questions:')}: 1 of 4 true/false keys are true (25%): keep "
        "between 40% and 60% true, or answering all one way pays"
    ]


def test_absolute_words_only_in_distractors_fail(content: Path) -> None:
    questions = clean()
    for question in questions[:3]:
        question["options"][1]["text"] = "Always " + question["options"][1]["text"].lower()
    path = write_bank(content, questions)

    assert problems_in(content, BANK) == [
        f"{BANK}:{line_of(path, 'questions:')}: absolute words (always, never, every ...) appear "
        "only in distractors, in zz-001, zz-002, zz-003: a learner strikes those options out "
        "unread. Use such words in some keys too, or take them out of the distractors"
    ]


def test_a_question_copied_from_another_bank_fails_and_a_retelling_is_listed(
    content: Path,
) -> None:
    catalogue, _ = load(content)
    original = next(q for q in catalogue.questions.values() if q.type == "single")
    copied = original.model_dump(mode="json", exclude_defaults=True)
    copied["id"] = "zz-009"
    retold = copy.deepcopy(copied)
    retold["id"] = "zz-010"
    retold["stem"] = original.stem + " Explain your choice to the batch."
    path = write_bank(content, [*clean(), copied, retold])

    lines = path.read_text().splitlines()
    copied_at = line_of(path, "id: zz-009")
    stem_at = next(n for n in range(copied_at, len(lines) + 1) if "stem:" in lines[n - 1])
    assert [p for p in problems_in(content, BANK) if "question zz-009 repeats" in p] == [
        f"{BANK}:{stem_at}: question zz-009 repeats question {original.id} word for word: "
        "a quiz can draw both; rewrite one or remove it"
    ]
    near = describe(load(content)[0])["near_duplicates"]
    retelling = [d for d in near if d["second"] == "question zz-010"]
    assert [d["first"] for d in retelling if d["kind"] == "question"] == [
        f"question {original.id}",
        "question zz-009",
    ]
    assert all(0.35 <= d["similarity"] < 1 for d in retelling)


def test_inventory_reports_key_figures_per_bank(content: Path) -> None:
    write_bank(content, clean())

    bank = next(b for b in describe(load(content)[0])["banks"] if b["id"] == "zz-checks")
    assert bank["single_choice_keys"] == {
        "counted": 6,
        "longest": 2,
        "longest_rate": 0.333,
        "length_ranks": {"1": 2, "2": 2, "3": 2},
        "positions": {"a": 6},
    }
    assert bank["true_false"] == {"counted": 2, "true": 1, "false": 1, "true_rate": 0.5}
    assert bank["by_use"] == {"graded": 8, "practice": 0}
    assert bank["by_difficulty"] == {"easy": 2, "medium": 6, "hard": 0}


def test_a_bank_of_few_single_choice_questions_is_not_judged_on_shares(content: Path) -> None:
    questions = [q for q in clean() if q["id"] in ("zz-003", "zz-004", "zz-005")]
    write_bank(content, questions)  # one question, whose key is the longest option

    assert problems_in(content, BANK) == []


def test_wrong_answers_that_argue_for_themselves_fail_as_a_wording_cue(content: Path) -> None:
    questions = clean()
    for question in questions:
        if question["type"] == "single":
            for option in question["options"][1:]:
                option["text"] = option["text"].rstrip(".") + ", since nobody would mind."
    path = write_bank(content, questions)

    assert [p for p in problems_in(content, BANK) if "reason clause" in p] == [
        f"{BANK}:{line_of(path, 'questions:')}: a reason clause (since, because, so that) is in "
        "0% of the single-choice keys and 100% of the distractors: a learner finds the answer by "
        "the wording. Give some right answers their reason too, or take the excuses out of some "
        "wrong ones (at most 25% apart)"
    ]

    for question in questions[:3]:  # half the keys now give their reason too
        question["options"][0]["text"] = question["options"][0]["text"].rstrip(".") + (
            ", because the rules say so."
        )
    questions[0]["options"][0]["text"] = "Refer the request, since the office decides."
    write_bank(content, questions)
    assert [p for p in problems_in(content, BANK) if "reason clause" in p] != []  # 50% vs 100%


def edit_choices(content: Path, change: Callable[[dict[str, Any]], None]) -> int:
    """Change every choice of the test module, dropping waivers; return its decision points."""
    data = front_matter(content)
    points = [s for s in data["scenario"]["situations"] if s.get("choices")]  # type: ignore[index]
    for situation in points:
        for choice in situation["choices"]:
            change(choice)
        situation.pop("waive", None)
    (content / MODULE).write_bytes(with_front_matter(content, data))
    return len(points)


def test_a_module_whose_best_choices_name_the_channel_fails_as_a_wording_cue(
    content: Path,
) -> None:
    def best_in_writing(choice: dict[str, Any]) -> None:
        text = choice["text"].replace("in writing", "").replace("permission", "leave")
        if choice["grade"] == "best":
            text = text.rstrip(".") + ", in writing."
        choice["text"] = text

    edit_choices(content, best_in_writing)
    module = content / MODULE

    found = [p for p in problems_in(content, MODULE) if "proper-channel wording" in p]
    assert len(found) == 1
    assert found[0].startswith(
        f"{MODULE}:{line_of(module, 'scenario:')}: proper-channel wording (in writing, "
        "permission, a note, through the ...) is in 100% of the best choices"
    )
