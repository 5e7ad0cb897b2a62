"""Item-writing checks: cues that let a test-wise learner find the answer without knowing it.

Each check has an id an author may waive for one item (`waive: {id: reason}`); `inventory`
lists the waivers. The thresholds (documented in docs/content-format.md, section 13):

- `longest-option`: the best choice of a decision point, or the key of a single-choice question,
  is the longest option in at most a third of a module's decision points or a bank's questions
  (banks with five single-choice questions or more).
- `length-rank`: no single length rank (longest, second longest, ...) holds more than 40 % of a
  bank's single-choice keys.
- `true-false-balance`: a bank's true/false keys are true in 40 % to 60 % of its items.
- `all-none-of-the-above`, `combined-options`: no "all/none of the above" and no option that
  combines others ("a and b").
- `stem-words-in-key`: the key does not repeat the stem's distinctive words when no distractor does.
- `absolute-words`: absolute words (always, never, ...) are not found only in distractors.
- `hedge-in-key`: hedging words (usually, may, ...) are not found only in the key.
- `negative-stem`: a question asking what is *not* so emphasises the negative word.
- `blank-stem`, `article-cue`: no fill-in-the-blank stem; no stem ending in "a"/"an".
- `near-duplicate`: no two questions, and no two long options in different questions, are the
  same text; those alike by their words (NEAR_QUESTION, NEAR_OPTION) are listed by `inventory`.
- `wording-cue`: a reason clause ("since ...") or proper-channel words ("in writing",
  "permission") are not used by right answers and wrong ones more than CUE_GAP apart, in a
  module's choices or a bank's single-choice options.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from course.content.catalogue import Catalogue
from course.content.located import Located, Path_
from course.content.schema import (
    Bank,
    CheckId,
    Matching,
    Module,
    MultipleResponse,
    Ordering,
    Question,
    SingleChoice,
    Situation,
    TrueFalse,
)
from course.errors import ContentError

LONGEST_SHARE = 1 / 3
RANK_SHARE = 0.40
TRUE_SHARE = (0.40, 0.60)
MIN_SHARED = 5  # single-choice questions a bank needs before its length shares are judged
CUE_GAP = 0.25  # how much more often a wording may mark the right answers than the wrong ones
# word-set (Jaccard) similarity from which two texts are listed as near-duplicates. Set on the
# first banks: the three retellings of one case that the content review found (0.36 to 0.50)
# are listed and no pair it did not name is (the next was 0.33). Items that test one point in
# new words share few words; finding those is the reviewer's part.
NEAR_QUESTION = 0.35
NEAR_OPTION = 0.60  # options are short: two at 0.6 say the same thing in the same words
MIN_OPTION_CHARS = 20  # shorter options ("Yes", "Report it") are not compared
MIN_STEM_WORDS = 12  # stems compared on their own; short ones ("Match each ...") say little

_WORD = re.compile(r"[a-z0-9']+")
_STOP = frozenset(
    """a an and are as at be been but by can could do does for from had has have he her his
    how i if in into is it its may might of on or our she should so than that the their them
    then there these they this those to was we were what when where which while who whom why
    will with would you your about after before between does not no yes also just more most
    other some such only own same very""".split()
)
_ALL_NONE = re.compile(r"\b(all|none|both|neither) of (the )?(above|options|answers|these)\b", re.I)
_COMBINED = re.compile(r"^\s*(both\s+)?\(?[a-h1-9]\)?\s*(and|&|,)\s*\(?[a-h1-9]\)?(\W|$)", re.I)
_ABSOLUTE = re.compile(
    r"\b(always|never|every|everyone|everything|nobody|nothing|entirely|completely|"
    r"absolutely|invariably|under no circumstances|in all cases)\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(usually|often|sometimes|generally|typically|might|in most cases|as a rule)\b"
    r"|(?<!\d )\bmay\b(?! \d)",  # "may", not the month in "3 May" or "May 2024"
    re.I,
)
# quoted words (a bio, a post, a caption) are the case's, not the question's wording
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^'\n]{3,}'(?!\w)")
_NEGATIVE = re.compile(r"\b(not|except|least|never)\b", re.I)
_EMPHASISED_NEGATIVE = re.compile(
    r"(\*{1,2}|_)\s*(not|except|least|never)\s*\1|\b(NOT|EXCEPT|LEAST|NEVER)\b"
)
# wordings that, used by right and wrong answers unequally, let a learner pick without knowing:
# a wrong answer that argues for itself ("..., since ..."), a right one that names the channel
CUES: dict[str, tuple[str, re.Pattern[str]]] = {
    "a reason clause (since, because, so that)": (
        "Give some right answers their reason too, or take the excuses out of some wrong ones",
        re.compile(r"\b(since|because|so that|as long as|in case)\b|,\s*as\b", re.I),
    ),
    "proper-channel wording (in writing, permission, a note, through the ...)": (
        "Let some wrong answers use the proper channel's words too (a wrong authority, a note "
        "that comes too late), or state some right answers without them",
        re.compile(
            r"\b(in writing|written|a note|permission|through (the|your)|formally|on file)\b",
            re.I,
        ),
    ),
}
_BLANK = re.compile(r"_{3,}")
_ARTICLE_END = re.compile(r"\b(a|an)\s*(_{3,})?\s*[.:]?\s*$", re.I)


def words(text: str) -> frozenset[str]:
    """The distinctive words of a text: lowercase, without small common words."""
    return frozenset(w for w in _WORD.findall(text.lower()) if len(w) > 3 and w not in _STOP)


def normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def similarity(one: frozenset[str], other: frozenset[str]) -> float:
    if not one or not other:
        return 0.0
    return len(one & other) / len(one | other)


def waived(waive: Mapping[CheckId, str], check: CheckId) -> bool:
    return check in waive


# ---- the figures (inventory reports them; the checks judge them) ----


@dataclass(frozen=True)
class KeyFigures:
    """How the keys of a set of items sit among their options."""

    items: int
    longest: int  # keys (or best choices) that are the longest option
    ranks: dict[int, int]  # length rank of the key (1 = longest) -> how many
    positions: dict[str, int]  # the key's option id in the file -> how many

    @property
    def longest_rate(self) -> float:
        return self.longest / self.items if self.items else 0.0


def _rank(key_length: int, lengths: Sequence[int]) -> int:
    return 1 + sum(1 for n in lengths if n > key_length)


def module_figures(module: Module) -> KeyFigures:
    points = [s for s in module.scenario.situations if not s.ending]
    counted = [s for s in points if not waived(s.waive, "longest-option")]
    ranks: Counter[int] = Counter()
    positions: Counter[str] = Counter()
    longest = 0
    for situation in counted:
        lengths = [len(c.text) for c in situation.choices]
        best = [c for c in situation.choices if c.grade == "best"]
        if not best:
            continue
        top = max(best, key=lambda c: len(c.text))
        rank = _rank(len(top.text), lengths)
        ranks[rank] += 1
        positions[top.id] += 1
        longest += rank == 1
    return KeyFigures(len(counted), longest, dict(ranks), dict(positions))


def bank_figures(bank: Bank, check: CheckId = "longest-option") -> KeyFigures:
    singles = [
        q for q in bank.questions if isinstance(q, SingleChoice) and not waived(q.waive, check)
    ]
    ranks: Counter[int] = Counter()
    positions: Counter[str] = Counter()
    longest = 0
    for question in singles:
        key = next(o for o in question.options if o.correct)
        rank = _rank(len(key.text), [len(o.text) for o in question.options])
        ranks[rank] += 1
        positions[key.id] += 1
        longest += rank == 1
    return KeyFigures(len(singles), longest, dict(ranks), dict(positions))


def true_false_balance(bank: Bank) -> tuple[int, int]:
    """How many true/false keys are true, and how many true/false items are counted."""
    counted = [
        q
        for q in bank.questions
        if isinstance(q, TrueFalse) and not waived(q.waive, "true-false-balance")
    ]
    return sum(1 for q in counted if q.answer), len(counted)


@dataclass(frozen=True)
class Duplicate:
    kind: str  # "question" or "option"
    first: str  # "question ei-001" or "option c of ei-001"
    second: str
    similarity: float


def item_text(question: Question) -> str:
    """A question's whole text: stem, and its options, pairs or items."""
    parts = [question.stem]
    if isinstance(question, SingleChoice | MultipleResponse):
        parts += [o.text for o in question.options]
    elif isinstance(question, Matching):
        parts += [f"{p.prompt} {p.match}" for p in question.pairs]
    elif isinstance(question, Ordering):
        parts += [i.text for i in question.items]
    return " ".join(parts)


def duplicates(catalogue: Catalogue, near: bool = True) -> list[Duplicate]:
    """Questions, and long options, that repeat one another across every bank (with `near`,
    also those alike by their words; without, only word-for-word copies)."""
    questions = [q for q in catalogue.questions.values() if not waived(q.waive, "near-duplicate")]
    names = [f"question {q.id}" for q in questions]
    texts = [item_text(q) for q in questions]
    found = _same("question", names, texts)
    if near:
        # a long stem retold with other options is as much a duplicate as a copied item
        stems = [words(q.stem) for q in questions]
        scores = _near([words(t) for t in texts], NEAR_QUESTION)
        for pair, score in _near(
            [s if len(s) >= MIN_STEM_WORDS else frozenset() for s in stems], NEAR_QUESTION
        ).items():
            scores[pair] = max(score, scores.get(pair, 0.0))
        found += _listed_pairs("question", names, texts, scores)
    options = [
        (f"option {o.id} of {q.id}", o.text)
        for q in questions
        if isinstance(q, SingleChoice | MultipleResponse)
        for o in q.options
        if len(o.text) >= MIN_OPTION_CHARS
    ]
    option_names = [name for name, _ in options]
    option_texts = [text for _, text in options]
    found += _same("option", option_names, option_texts)
    if near:
        scores = _near([words(t) for t in option_texts], NEAR_OPTION)
        found += _listed_pairs("option", option_names, option_texts, scores)
    return found


def _same(kind: str, names: Sequence[str], texts: Sequence[str]) -> list[Duplicate]:
    first: dict[str, int] = {}
    found: list[Duplicate] = []
    for index, text in enumerate(texts):
        key = normal(text)
        if key in first and _apart(names[first[key]], names[index]):
            found.append(Duplicate(kind, names[first[key]], names[index], 1.0))
        first.setdefault(key, index)
    return found


def _apart(one: str, other: str) -> bool:
    """Whether two names belong to different questions (a distractor may echo its own key)."""
    return one.split()[-1] != other.split()[-1]


def _listed_pairs(
    kind: str, names: Sequence[str], texts: Sequence[str], scores: Mapping[tuple[int, int], float]
) -> list[Duplicate]:
    return [
        Duplicate(kind, names[a], names[b], round(score, 2))
        for (a, b), score in sorted(scores.items())
        if _apart(names[a], names[b]) and normal(texts[a]) != normal(texts[b])
    ]


def _near(sets: Sequence[frozenset[str]], threshold: float) -> dict[tuple[int, int], float]:
    """Pairs whose word sets are at least `threshold` alike (Jaccard), found by prefix filtering.

    Two sets that alike must share a word among the rarest len - ceil(threshold * len) + 1 words
    of each, so only pairs sharing such a word are compared: exact, and near linear on real text
    (10 x the shipped banks' options take milliseconds, not the minutes of every pair).
    """
    frequency: Counter[str] = Counter(w for s in sets for w in s)
    index: dict[str, list[int]] = {}
    found: dict[tuple[int, int], float] = {}
    for b, words_b in enumerate(sets):
        ordered = sorted(words_b, key=lambda w: (frequency[w], w))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
        candidates = {a for w in prefix for a in index.get(w, ())}
        for a in candidates:
            score = similarity(sets[a], words_b)
            if score >= threshold:
                found[(a, b)] = score
        for w in prefix:
            index.setdefault(w, []).append(b)
    return found


# ---- the checks ----


def check_module(module: Module, located: Located) -> Iterator[ContentError]:
    figures = module_figures(module)
    allowed = int(figures.items * LONGEST_SHARE)
    if figures.longest > allowed:
        longest = [
            s.id
            for s in module.scenario.situations
            if not s.ending and not waived(s.waive, "longest-option") and _best_is_longest(s)
        ]
        yield located.error(
            ("scenario",),
            f"the best choice is the longest option at {figures.longest} of {figures.items} "
            f"decision points (at most {allowed}, a third, may be): a learner who picks the "
            f"longest choice finds it. Shorten it, or lengthen another, at: {', '.join(longest)}",
        )
    points = [
        s for s in module.scenario.situations if s.choices and not waived(s.waive, "wording-cue")
    ]
    right = [c.text for s in points for c in s.choices if c.grade == "best"]
    wrong = [c.text for s in points for c in s.choices if c.grade != "best"]
    yield from _wording_cues(located, ("scenario",), "best choices", right, "other choices", wrong)


def cue_shares(right: Sequence[str], wrong: Sequence[str]) -> dict[str, tuple[float, float]]:
    """For each cue wording: the share of right answers and of wrong answers that use it."""

    def share(texts: Sequence[str], pattern: re.Pattern[str]) -> float:
        return sum(1 for t in texts if pattern.search(t)) / len(texts) if texts else 0.0

    return {name: (share(right, rx), share(wrong, rx)) for name, (_, rx) in CUES.items()}


def _wording_cues(
    located: Located,
    where: Path_,
    right_name: str,
    right: Sequence[str],
    wrong_name: str,
    wrong: Sequence[str],
) -> Iterator[ContentError]:
    if len(right) < 4:  # too few to call anything a pattern
        return
    for name, (in_right, in_wrong) in cue_shares(right, wrong).items():
        if abs(in_right - in_wrong) > CUE_GAP:
            yield located.error(
                where,
                f"{name} is in {in_right:.0%} of the {right_name} and {in_wrong:.0%} of the "
                f"{wrong_name}: a learner finds the answer by the wording. {CUES[name][0]} "
                f"(at most {CUE_GAP:.0%} apart)",
            )


def _best_is_longest(situation: Situation) -> bool:
    best = [c for c in situation.choices if c.grade == "best"]
    if not best:
        return False
    top = max(len(c.text) for c in best)
    return all(top >= len(c.text) for c in situation.choices)


def check_bank(bank: Bank, located: Located) -> Iterator[ContentError]:
    figures = bank_figures(bank)
    allowed = int(figures.items * LONGEST_SHARE)
    # shares of one or two questions say nothing: a bank's length figures count from five
    if figures.items >= MIN_SHARED and figures.longest > allowed:
        yield located.error(
            ("questions",),
            f"the key is the longest option in {figures.longest} of {figures.items} "
            f"single-choice questions (at most {allowed}, a third, may be): vary the keys' "
            "lengths",
        )
    ranked = bank_figures(bank, "length-rank")
    for rank, count in sorted(ranked.ranks.items()):
        if rank == 1 and figures.longest > allowed:
            continue  # said above
        if ranked.items >= MIN_SHARED and count / ranked.items > RANK_SHARE:
            yield located.error(
                ("questions",),
                f"the key is the {_ordinal(rank)}longest option in {count} of {ranked.items} "
                f"single-choice questions (more than {RANK_SHARE:.0%}): a learner who learns the "
                "pattern finds the key by its length; vary it",
            )
    true, counted = true_false_balance(bank)
    if counted >= 3 and not TRUE_SHARE[0] <= true / counted <= TRUE_SHARE[1]:
        yield located.error(
            ("questions",),
            f"{true} of {counted} true/false keys are true ({true / counted:.0%}): keep between "
            f"{TRUE_SHARE[0]:.0%} and {TRUE_SHARE[1]:.0%} true, or answering all one way pays",
        )
    singles = [
        q
        for q in bank.questions
        if isinstance(q, SingleChoice) and not waived(q.waive, "wording-cue")
    ]
    if len(singles) >= MIN_SHARED:
        keys = [o.text for q in singles for o in q.options if o.correct]
        others = [o.text for q in singles for o in q.options if not o.correct]
        yield from _wording_cues(
            located, ("questions",), "single-choice keys", keys, "distractors", others
        )
    yield from _absolute_words(bank, located)
    for i, question in enumerate(bank.questions):
        yield from check_question(question, located, ("questions", i))


def _ordinal(rank: int) -> str:
    return {1: "", 2: "second ", 3: "third ", 4: "fourth ", 5: "fifth "}.get(rank, f"{rank}th ")


def _absolute_words(bank: Bank, located: Located) -> Iterator[ContentError]:
    """Absolute words only in distractors let a learner strike those options out unread."""
    in_distractors: list[str] = []
    in_keys = 0
    for question in bank.questions:
        if not isinstance(question, SingleChoice | MultipleResponse):
            continue
        if waived(question.waive, "absolute-words"):
            continue
        if any(_ABSOLUTE.search(o.text) for o in question.options if not o.correct):
            in_distractors.append(question.id)
        in_keys += any(_ABSOLUTE.search(o.text) for o in question.options if o.correct)
    if len(in_distractors) >= 3 and in_keys == 0:
        yield located.error(
            ("questions",),
            f"absolute words (always, never, every ...) appear only in distractors, in "
            f"{', '.join(in_distractors)}: a learner strikes those options out unread. Use "
            "such words in some keys too, or take them out of the distractors",
        )


def check_question(question: Question, located: Located, where: Path_) -> Iterator[ContentError]:
    yield from _stem_checks(question, located, where)
    if not isinstance(question, SingleChoice | MultipleResponse):
        return
    for k, option in enumerate(question.options):
        at = (*where, "options", k, "text")
        all_none = _ALL_NONE.search(option.text)
        if all_none and not waived(question.waive, "all-none-of-the-above"):
            yield located.error(
                at,
                f"option '{option.id}' of '{question.id}' says \"{all_none.group(0)}\", which "
                "a learner judges without weighing the others: write a real option",
            )
        if _COMBINED.search(option.text) and not waived(question.waive, "combined-options"):
            yield located.error(
                at,
                f"option '{option.id}' of '{question.id}' combines other options: make it a "
                "multiple-response question instead",
            )
    if isinstance(question, SingleChoice):
        yield from _key_cues(question, located, where)


def _stem_checks(question: Question, located: Located, where: Path_) -> Iterator[ContentError]:
    stem = question.stem
    at = (*where, "stem")
    asked = _QUOTED.sub("", _question_sentence(stem))
    negative = _NEGATIVE.search(asked)
    if (
        negative
        and not _EMPHASISED_NEGATIVE.search(asked)
        and not waived(question.waive, "negative-stem")
    ):
        yield located.error(
            at,
            f"'{question.id}' asks a negative question ('{negative.group(0)}'): emphasise the "
            f"word (**{negative.group(0).lower()}**) so that nobody misreads what is asked",
        )
    if _BLANK.search(stem) and not waived(question.waive, "blank-stem"):
        yield located.error(
            at,
            f"'{question.id}' is a fill-in-the-blank stem: ask a whole question instead",
        )
    if _ARTICLE_END.search(stem.strip()) and not waived(question.waive, "article-cue"):
        yield located.error(
            at,
            f"the stem of '{question.id}' ends with 'a' or 'an', which tells which options fit "
            "the grammar: move the article into the options",
        )


def _question_sentence(stem: str) -> str:
    """The sentence that asks (the last one with a question mark, else the last sentence)."""
    sentences = re.split(r"(?<=[.?!])\s+", stem.strip())
    asking = [s for s in sentences if "?" in s]
    return asking[-1] if asking else (sentences[-1] if sentences else "")


def _key_cues(question: SingleChoice, located: Located, where: Path_) -> Iterator[ContentError]:
    key_index, key = next((k, o) for k, o in enumerate(question.options) if o.correct)
    others = [o for o in question.options if not o.correct]
    at = (*where, "options", key_index, "text")
    stem_words = words(question.stem)
    shared = sorted(stem_words & words(key.text))
    if (
        len(shared) >= 2
        and not any(stem_words & words(o.text) for o in others)
        and not waived(question.waive, "stem-words-in-key")
    ):
        yield located.error(
            at,
            f"only the key of '{question.id}' repeats the stem's words ({', '.join(shared[:4])}):"
            " a learner matches the words, not the idea. Reword the key, or use the words in a "
            "distractor too",
        )
    hedge = _HEDGE.search(key.text)
    if (
        hedge
        and not any(_HEDGE.search(o.text) for o in others)
        and not waived(question.waive, "hedge-in-key")
    ):
        yield located.error(
            at,
            f"only the key of '{question.id}' hedges ('{hedge.group(0)}'): careful wording marks"
            " it as the answer. Qualify a distractor too, or state the key plainly",
        )


def check_duplicates(
    catalogue: Catalogue, sources: Mapping[str, Located]
) -> Iterator[ContentError]:
    """Exact duplicates across all banks fail (near-duplicates are listed by `inventory`)."""
    where = _question_places(catalogue, sources)
    for duplicate in duplicates(catalogue, near=False):
        question_id = duplicate.second.split()[-1]
        located, path = where[question_id]
        yield located.error(
            path,
            f"{duplicate.second} repeats {duplicate.first} word for word: a quiz can draw both;"
            " rewrite one or remove it",
        )


def _question_places(
    catalogue: Catalogue, sources: Mapping[str, Located]
) -> dict[str, tuple[Located, Path_]]:
    places: dict[str, tuple[Located, Path_]] = {}
    for bank in catalogue.banks.values():
        located = sources[f"bank:{bank.id}"]
        for i, question in enumerate(bank.questions):
            places.setdefault(question.id, (located, ("questions", i, "stem")))
    return places


def waivers(catalogue: Catalogue) -> list[dict[str, str]]:
    """Every waiver in the content, with its reason (for `inventory`)."""
    found: list[dict[str, str]] = []
    for module in catalogue.modules.values():
        for situation in module.scenario.situations:
            found += _listed(f"module {module.id}, {situation.id}", situation.waive.items())
    for question in catalogue.questions.values():
        found += _listed(f"question {question.id}", question.waive.items())
    return found


def _listed(item: str, pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"item": item, "check": check, "reason": reason} for check, reason in pairs]
