"""The loaded course: every rule, module, bank, quiz and track, looked up by id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from course.content.schema import Act, Bank, Module, Question, Quiz, Rule, Track
from course.errors import NotFound

T = TypeVar("T")


def _by_id(items: Iterable[T]) -> Mapping[str, T]:
    # first wins: duplicates are reported by the checks, not silently merged
    found: dict[str, T] = {}
    for item in items:
        found.setdefault(item.id, item)  # type: ignore[attr-defined]
    return MappingProxyType(found)


@dataclass(frozen=True)
class Catalogue:
    rules: Mapping[str, Rule]
    modules: Mapping[str, Module]
    banks: Mapping[str, Bank]
    quizzes: Mapping[str, Quiz]
    tracks: Mapping[str, Track]
    acts: Mapping[str, Act]
    questions: Mapping[str, Question]
    competency_of: Mapping[str, str]

    @classmethod
    def build(
        cls,
        rules: list[Rule],
        modules: list[Module],
        banks: list[Bank],
        quizzes: list[Quiz],
        tracks: list[Track],
        acts: list[Act],
    ) -> Catalogue:
        questions = [q for bank in banks for q in bank.questions]
        competency = {q.id: bank.competency for bank in banks for q in bank.questions}
        return cls(
            rules=_by_id(rules),
            modules=_by_id(modules),
            banks=_by_id(banks),
            quizzes=_by_id(quizzes),
            tracks=_by_id(tracks),
            acts=_by_id(acts),
            questions=_by_id(questions),
            competency_of=MappingProxyType(competency),
        )

    def module(self, module_id: str) -> Module:
        if (found := self.modules.get(module_id)) is None:
            raise NotFound(f"There is no module '{module_id}'.")
        return found

    def quiz(self, quiz_id: str) -> Quiz:
        if (found := self.quizzes.get(quiz_id)) is None:
            raise NotFound(f"There is no quiz '{quiz_id}'.")
        return found

    def track(self, track_id: str) -> Track:
        if (found := self.tracks.get(track_id)) is None:
            raise NotFound(f"There is no track '{track_id}'.")
        return found

    def track_modules(self, track_id: str) -> list[Module]:
        """The approved modules of a track, in the track's order."""
        track = self.track(track_id)
        return [
            self.modules[m]
            for m in track.modules
            if m in self.modules and self.modules[m].status == "approved"
        ]

    def pool(
        self, competency: str, tag: str | None = None, use: str | None = None
    ) -> list[Question]:
        """Questions of a competency (and tag, and use: graded or practice), in file order."""
        return [
            q
            for q in self.questions.values()
            if self.competency_of[q.id] == competency
            and (tag is None or tag in q.tags)
            and (use is None or q.use == use)
        ]

    def quiz_pool(self, quiz: Quiz, competency: str, tag: str | None) -> list[Question]:
        """What a quiz may draw: a graded quiz graded questions only, a formative one practice
        questions only (their keys are shown there, so they never count)."""
        return self.pool(competency, tag, "graded" if quiz.graded else "practice")

    def citing(self, rule_id: str) -> list[str]:
        """Content ids that cite a rule (to list what a superseded rule still supports)."""
        found = [
            f"module {m.id}"
            for m in self.modules.values()
            if rule_id in m.sources.rules
            or any(rule_id in c.rules for s in m.scenario.situations for c in s.choices)
        ]
        found += [f"question {q.id}" for q in self.questions.values() if rule_id in q.rules]
        found += [f"act {a.id}" for a in self.acts.values() if rule_id in a.rules]
        return found
