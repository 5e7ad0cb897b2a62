"""Checks across content: scenario graphs, rule citations, pools, references, real names."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping

from course.content import grounding, item_checks, wording
from course.content.catalogue import Catalogue
from course.content.located import Located
from course.content.schema import Bank, Module, Quiz
from course.errors import ContentError
from course.learning import review_session


def check_all(
    catalogue: Catalogue,
    sources: Mapping[str, Located],
    names: list[str],
    texts: Mapping[str, str],
) -> Iterator[ContentError]:
    """Every check across files; `texts` holds the text of each file that loaded, by path."""
    if (rules := sources.get("rules")) is not None:
        yield from _safely(rules.path, check_rules(catalogue, rules))
        yield from _safely(rules.path, grounding.check_rule_binds(catalogue, rules))
    if (acts := sources.get("acts")) is not None:
        yield from _safely(acts.path, _used_twice(acts, "act"))
        yield from _safely(acts.path, grounding.check_acts(catalogue, acts))
    for module in catalogue.modules.values():
        located = sources[f"module:{module.id}"]
        yield from _safely(located.path, check_scenario(module, located))
        yield from _safely(located.path, check_module_citations(module, located, catalogue))
        yield from _safely(
            located.path, grounding.check_module_grounding(module, located, catalogue)
        )
        yield from _safely(located.path, item_checks.check_module(module, located))
    yield from check_banks(catalogue, sources)
    yield from _safely("quizzes", item_checks.check_duplicates(catalogue, sources))
    if (quizzes := sources.get("quizzes")) is not None:
        yield from _safely(quizzes.path, check_quizzes(catalogue, quizzes))
    if (tracks := sources.get("tracks")) is not None:
        yield from _safely(tracks.path, check_tracks(catalogue, tracks))
    for path in sorted(texts):
        yield from _safely(path, check_names(path, texts[path], names))
        yield from _safely(path, check_html(path, texts[path]))


def _safely(path: str, found: Iterator[ContentError]) -> Iterator[ContentError]:
    """The problems a check finds; a failure of the check itself becomes a problem of its file."""
    try:
        yield from found
    except Exception as failure:  # a bug in one check must not hide the other problems
        yield ContentError(path, 1, wording.internal(failure))


def check_rules(catalogue: Catalogue, located: Located) -> Iterator[ContentError]:
    seen: set[str] = set()
    for index, raw in enumerate(located.data if isinstance(located.data, list) else []):
        if not isinstance(raw, dict):
            continue
        rule_id = raw.get("id")
        if isinstance(rule_id, str):
            if rule_id in seen:
                yield located.error((index, "id"), f"rule id '{rule_id}' is used twice")
            seen.add(rule_id)
        later = raw.get("superseded_by")
        if isinstance(later, str) and later and later not in catalogue.rules:
            yield located.error((index, "superseded_by"), f"superseded by unknown rule '{later}'")


def check_scenario(module: Module, located: Located) -> Iterator[ContentError]:
    """Every next exists, every situation is reachable, no cycles, at least one ending."""
    situations = module.scenario.situations
    index_of: dict[str, int] = {}
    base = ("scenario", "situations")
    for i, situation in enumerate(situations):
        if situation.id in index_of:
            yield located.error((*base, i, "id"), f"situation id '{situation.id}' is used twice")
        index_of.setdefault(situation.id, i)
    if module.scenario.start not in index_of:
        yield located.error(
            ("scenario", "start"), f"start '{module.scenario.start}' is not a situation"
        )
        return
    for i, situation in enumerate(situations):
        for j, choice in enumerate(situation.choices):
            if choice.next not in index_of:
                yield located.error(
                    (*base, i, "choices", j, "next"),
                    f"choice '{choice.id}' leads to unknown situation '{choice.next}'",
                )
    if not any(s.ending for s in situations):
        yield located.error(("scenario",), "the scenario has no ending")
    yield from _cycles(module, located, index_of)
    reached = _reachable(module, index_of)
    for i, situation in enumerate(situations):
        if situation.id not in reached:
            what = "ending" if situation.ending else "situation"
            yield located.error(
                (*base, i, "id"),
                f"{what} '{situation.id}' cannot be reached from the start",
            )


def _reachable(module: Module, index_of: dict[str, int]) -> set[str]:
    seen: set[str] = set()
    todo = [module.scenario.start]
    while todo:
        here = todo.pop()
        if here in seen or here not in index_of:
            continue
        seen.add(here)
        todo.extend(c.next for c in module.scenario.situations[index_of[here]].choices)
    return seen


def _cycles(module: Module, located: Located, index_of: dict[str, int]) -> Iterator[ContentError]:
    """Each choice that leads back to a situation on the path to it (a depth-first walk).

    An explicit stack, not recursion: a scenario of thousands of situations in a chain is
    checked like any other.
    """
    situations = module.scenario.situations
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for first in situations:
        if first.id in state:
            continue
        state[first.id] = 1
        path: list[tuple[str, int]] = [(first.id, 0)]  # a situation and its next choice to follow
        while path:
            here, j = path[-1]
            i = index_of[here]
            choices = situations[i].choices
            if j == len(choices):
                state[here] = 2
                path.pop()
                continue
            path[-1] = (here, j + 1)
            there = choices[j].next
            if there not in index_of:
                continue
            if state.get(there) == 1:
                yield located.error(
                    ("scenario", "situations", i, "choices", j, "next"),
                    f"choice '{choices[j].id}' of '{here}' leads back to '{there}': "
                    "scenarios may not loop (make 'reconsider' a new situation)",
                )
            elif there not in state:
                state[there] = 1
                path.append((there, 0))


def check_module_citations(
    module: Module, located: Located, catalogue: Catalogue
) -> Iterator[ContentError]:
    for k, rule_id in enumerate(module.sources.rules):
        if rule_id not in catalogue.rules:
            yield located.error(("sources", "rules", k), f"sources cite unknown rule '{rule_id}'")
    if module.knowledge_check and module.knowledge_check not in catalogue.quizzes:
        yield located.error(
            ("knowledge_check",),
            f"knowledge check '{module.knowledge_check}' is not a quiz",
        )


def check_banks(catalogue: Catalogue, sources: Mapping[str, Located]) -> Iterator[ContentError]:
    seen: dict[str, str] = {}
    for bank in catalogue.banks.values():
        located = sources[f"bank:{bank.id}"]
        yield from _safely(located.path, _check_bank(bank, located, seen, catalogue))
        yield from _safely(located.path, item_checks.check_bank(bank, located))


def _check_bank(
    bank: Bank, located: Located, seen: dict[str, str], catalogue: Catalogue
) -> Iterator[ContentError]:
    for i, question in enumerate(bank.questions):
        where = ("questions", i)
        if question.id in seen:
            yield located.error(
                (*where, "id"),
                f"question id '{question.id}' is already used in {seen[question.id]}",
            )
        seen.setdefault(question.id, located.path)
        yield from grounding.check_question_grounding(question, located, where, catalogue)


def _used_twice(located: Located, what: str) -> Iterator[ContentError]:
    """Entries of a list file whose id an earlier entry already has (the first one is used)."""
    items = located.data if isinstance(located.data, list) else []
    seen: set[str] = set()
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            if item["id"] in seen:
                yield located.error((index, "id"), f"{what} id '{item['id']}' is used twice")
            seen.add(item["id"])


def check_quizzes(catalogue: Catalogue, located: Located) -> Iterator[ContentError]:
    yield from _used_twice(located, "quiz")
    largest: dict[str, tuple[int, int, str]] = {}
    position = located.positions()
    for quiz in catalogue.quizzes.values():
        i = position[quiz.id]
        yield from _check_fixed_questions(catalogue, located, quiz, i)
        yield from _check_review_keeps_keys(located, quiz, i)
        yield from _check_offered(located, quiz, i)
        per_competency: dict[str, int] = {}
        for k, draw in enumerate(quiz.draws):
            tagged = len(catalogue.quiz_pool(quiz, draw.competency, draw.tag))
            if draw.tag is not None and tagged < draw.count:
                use = "graded" if quiz.graded else "practice"
                yield located.error(
                    (i, "draws", k),
                    f"quiz '{quiz.id}' draws {draw.count} '{draw.tag}' questions "
                    f"but the {draw.competency} bank has {tagged} {use} ones",
                )
            if draw.tag is None:
                per_competency[draw.competency] = (
                    per_competency.get(draw.competency, 0) + draw.count
                )
        for competency, count in per_competency.items():
            if quiz.graded and count > largest.get(competency, (0, 0, ""))[0]:
                largest[competency] = (count, i, quiz.id)
    for competency, (count, i, quiz_id) in largest.items():
        size = len(catalogue.pool(competency, use="graded"))
        if size < 3 * count:
            yield located.error(
                (i, "draws"),
                f"quiz '{quiz_id}' draws {count} {competency} questions: the bank needs at least "
                f"{3 * count} graded ones (3 x the draw) but has {size}",
            )


def _check_fixed_questions(
    catalogue: Catalogue, located: Located, quiz: Quiz, i: int
) -> Iterator[ContentError]:
    for k, question_id in enumerate(quiz.questions):
        question = catalogue.questions.get(question_id)
        if question is None:
            yield located.error(
                (i, "questions", k), f"quiz '{quiz.id}' asks unknown question '{question_id}'"
            )
        elif quiz.graded and question.use == "practice":
            yield located.error(
                (i, "questions", k),
                f"graded quiz '{quiz.id}' asks '{question_id}', a practice question whose key "
                "learners have seen in a knowledge check: ask a graded question instead",
            )
        elif not quiz.graded and question.use == "graded":
            yield located.error(
                (i, "questions", k),
                f"'{quiz.id}' shows its questions with their keys, so '{question_id}' must be "
                "a practice question (`use: practice`); as it stands graded quizzes draw it",
            )


def _check_offered(located: Located, quiz: Quiz, i: int) -> Iterator[ContentError]:
    """A review session and an anchor check are offered by tracks and count towards no course;
    a review is short (the issue's ten questions, fifteen minutes); an anchor check asks the same
    few questions every time, and shows only the score, so that taking it teaches nothing that
    its next sitting would measure."""
    if quiz.kind not in ("review", "anchor"):
        return
    if quiz.tracks:
        yield located.error(
            (i, "tracks"),
            f"{quiz.kind} '{quiz.id}' names no tracks: a track offers it (`{quiz.kind}: "
            f"{quiz.id}`) and it counts towards no course's completion",
        )
    if quiz.kind == "review":
        if quiz.size > review_session.SIZE or quiz.questions:
            yield located.error(
                (i, "draws"),
                f"review '{quiz.id}' asks {quiz.size} questions: a review session draws at most "
                f"{review_session.SIZE} (and lists none: they are chosen for each officer)",
            )
        if quiz.time_limit_minutes is None or quiz.time_limit_minutes > review_session.MINUTES:
            yield located.error(
                (i, "time_limit_minutes"),
                f"review '{quiz.id}' needs a time limit of at most {review_session.MINUTES} "
                "minutes",
            )
        return
    if quiz.draws or not quiz.questions:
        yield located.error(
            (i, "questions"),
            f"anchor check '{quiz.id}' lists its questions (`questions`) and draws none: the "
            "same questions every time, or before and after cannot be compared",
        )
    shown = set(quiz.review.during) | set(quiz.review.after_attempt) | set(quiz.review.after_close)
    if shown - {"score"}:
        yield located.error(
            (i, "review"),
            f"anchor check '{quiz.id}' shows only the score (`after_attempt: [score]`, "
            "`after_close: [score]`): it asks the same questions again later",
        )


def _check_review_keeps_keys(located: Located, quiz: Quiz, i: int) -> Iterator[ContentError]:
    """A graded quiz never shows its key while the key could still earn marks."""
    if not quiz.graded:
        return
    if "key" in quiz.review.during:
        yield located.error(
            (i, "review", "during"),
            f"graded quiz '{quiz.id}' shows the key during an attempt: show it after the quiz "
            "closes (`after_close`) instead",
        )
    if "key" in quiz.review.after_attempt and quiz.attempts != 1:
        yield located.error(
            (i, "review", "after_attempt"),
            f"graded quiz '{quiz.id}' shows the key after an attempt but allows another "
            "attempt, where the key would count: show it `after_close`, or allow one attempt",
        )


def check_tracks(catalogue: Catalogue, located: Located) -> Iterator[ContentError]:
    yield from _used_twice(located, "track")
    position = located.positions()
    for track in catalogue.tracks.values():
        i = position[track.id]
        for k, module_id in enumerate(track.modules):
            if module_id not in catalogue.modules:
                yield located.error(
                    (i, "modules", k),
                    f"track '{track.id}' lists unknown module '{module_id}'",
                )
        for k, quiz_id in enumerate(track.quizzes):
            if quiz_id not in catalogue.quizzes:
                yield located.error(
                    (i, "quizzes", k),
                    f"track '{track.id}' lists unknown quiz '{quiz_id}'",
                )
            elif track.id not in catalogue.quizzes[quiz_id].tracks:
                yield located.error(
                    (i, "quizzes", k),
                    f"track '{track.id}' lists quiz '{quiz_id}', whose own `tracks` leave "
                    f"'{track.id}' out: list it in both places or in neither",
                )
        for field, kind, what in (
            ("review", "review", "review session"),
            ("anchor", "anchor", "anchor check"),
        ):
            offered_id = getattr(track, field)
            offered = catalogue.quizzes.get(offered_id) if offered_id else None
            if offered_id is not None and (offered is None or offered.kind != kind):
                yield located.error(
                    (i, field),
                    f"track '{track.id}' offers {what} '{offered_id}', which is not a quiz of "
                    f"`kind: {kind}`",
                )
        for k, module_id in enumerate(track.modules):
            module = catalogue.modules.get(module_id)
            if module is not None and track.id not in module.tracks:
                yield located.error(
                    (i, "modules", k),
                    f"track '{track.id}' lists module '{module_id}', whose own `tracks` leave "
                    f"'{track.id}' out: list it in both places or in neither",
                )
    for module in catalogue.modules.values():
        for track_id in module.tracks:
            listing = catalogue.tracks.get(track_id)
            if listing is not None and module.id not in listing.modules:
                yield located.error(
                    (position.get(track_id, 0), "modules"),
                    f"module '{module.id}' names track '{track_id}', which does not list it in "
                    "its `modules`: list it in both places or in neither",
                )
    for quiz in catalogue.quizzes.values():
        for track_id in quiz.tracks:
            listing = catalogue.tracks.get(track_id)
            if listing is not None and quiz.id not in listing.quizzes:
                yield located.error(
                    (position.get(track_id, 0), "quizzes"),
                    f"quiz '{quiz.id}' names track '{track_id}', which does not list it in "
                    "its `quizzes`: list it in both places or in neither",
                )


def check_names(path: str, text: str, names: list[str]) -> Iterator[ContentError]:
    """No real person from the source articles may be named in content (one problem a line)."""
    if not names or path.endswith("protected-names.yaml"):
        return
    line, counted, reported = 1, 0, 0
    for match in _names_pattern(tuple(names)).finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if line != reported:
            reported = line
            yield ContentError(
                path, line, f"names a real person ('{match.group(1)}'): use an invented name"
            )


# an HTML tag or comment as an author might type it: `<b>`, `</p>`, `<img src=x>`, `<!-- -->`
_HTML = re.compile(r"<(?:!--|/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)")


def check_html(path: str, text: str) -> Iterator[ContentError]:
    """HTML in content is shown as typed (raw HTML is off), so an author is told at once."""
    for number, line in enumerate(text.splitlines(), 1):
        if match := _HTML.search(line):
            yield ContentError(
                path,
                number,
                f"'{match.group(0)[:40]}' is HTML, which the course shows as typed, not as "
                "formatting: write Markdown instead (e.g. **bold**, *italic*, - lists)",
            )


@functools.lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # the lookahead on first letters lets most positions fail at once: 2.5 x quicker
    firsts = "".join(sorted({n[0] for n in names}))
    return re.compile(
        rf"(?=[{re.escape(firsts)}])(?<![\w])("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?![\w])",
        re.IGNORECASE,
    )
