"""Small questions of each type, shared by the learning tests (keys noted beside each)."""

from __future__ import annotations

from course.content.schema import (
    Item,
    Matching,
    MultipleResponse,
    Option,
    Ordering,
    Pair,
    SingleChoice,
    TrueFalse,
)

RULES = ("pk-cr-r22-statements",)


def option(option_id: str, correct: bool = False) -> Option:
    return Option(
        id=option_id,
        text=f"Option {option_id}",
        correct=correct,
        feedback=f"Why {option_id} is {'right' if correct else 'wrong'}.",
        misconception=None if correct else f"The belief behind {option_id}.",
    )


# key: b
SINGLE = SingleChoice(
    type="single",
    id="tq-001",
    difficulty="easy",
    rules=RULES,
    stem="Which one?",
    options=tuple(option(i, correct=i == "b") for i in "abcd"),
    general_feedback="GENERAL: b, because it is the rule.",
)

# key: a, b (k = 2); wrong: c, d, e (w = 3)
MULTIPLE = MultipleResponse(
    type="multiple",
    id="tq-002",
    difficulty="medium",
    rules=RULES,
    stem="Which ones?",
    options=tuple(option(i, correct=i in "ab") for i in "abcde"),
    general_feedback="GENERAL: a and b, because both are rules.",
)

TRUE_FALSE = TrueFalse(
    type="true_false",
    id="tq-003",
    difficulty="easy",
    rules=RULES,
    stem="A reporter may accept a gift from a source.",
    answer=False,
    feedback_true="No: a gift creates an obligation.",
    feedback_false="Right: a gift creates an obligation.",
    misconception="Small gifts do not count.",
    general_feedback="GENERAL: false, since every gift creates an obligation.",
)

# prompt a goes with answer a, b with b, and so on
MATCHING = Matching(
    type="matching",
    id="tq-004",
    difficulty="medium",
    rules=RULES,
    stem="Match each situation to its rule.",
    pairs=tuple(
        Pair(id=i, prompt=f"Prompt {i}", match=f"Answer {i}", feedback=f"Why {i} fits {i}.")
        for i in "abcd"
    ),
    general_feedback="GENERAL: each prompt goes with its own answer.",
)

# key order: a b c d
ORDERING = Ordering(
    type="ordering",
    id="tq-005",
    difficulty="hard",
    rules=RULES,
    stem="Put the steps in order.",
    items=tuple(Item(id=i, text=f"Step {i}", feedback=f"Why {i} goes here.") for i in "abcd"),
    feedback="Check the facts before you publish.",
)
