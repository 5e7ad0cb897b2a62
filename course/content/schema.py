"""Content schema: rules, modules, question banks, quizzes and tracks, once checked."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Competency = Literal["epistemic-insularity", "conflict-of-interest", "ethical-engagement"]
TrackId = Literal["probationer", "refresher"]
Grade = Literal["best", "acceptable", "risky", "breach"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
# Pakistani governments whose rules bind their servants (foreign codes bind none of ours)
Government = Literal["federal", "punjab", "kp", "sindh", "balochistan", "gb", "ajk"]
GOVERNMENT_NAMES: dict[str, str] = {
    "federal": "federal",
    "punjab": "Punjab",
    "kp": "Khyber Pakhtunkhwa",
    "sindh": "Sindh",
    "balochistan": "Balochistan",
    "gb": "Gilgit-Baltistan",
    "ajk": "Azad Jammu and Kashmir",
}
# the item-writing checks an author may waive for one item, with a reason
CheckId = Literal[
    "longest-option",
    "length-rank",
    "true-false-balance",
    "all-none-of-the-above",
    "stem-words-in-key",
    "absolute-words",
    "negative-stem",
    "blank-stem",
    "combined-options",
    "article-cue",
    "hedge-in-key",
    "near-duplicate",
    "wording-cue",
]

COMPETENCY_TITLES: dict[str, str] = {
    "epistemic-insularity": "Epistemic insularity",
    "conflict-of-interest": "Conflict of interest",
    "ethical-engagement": "Ethical engagement",
}


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for one in ids:
        if one in seen:
            raise ValueError(f"{what} id '{one}' is used twice")
        seen.add(one)


# ---- rules library ----


class Binds(Frozen):
    """Whom a rule binds, as data: the Pakistani governments whose servants it binds (none for a
    foreign code or a principle), and, where it binds only some services, which."""

    governments: tuple[Government, ...] = ()
    services: tuple[Text, ...] = ()  # empty: every service of those governments


class Rule(Frozen):
    id: Slug
    kind: Literal["rule", "principle", "guidance"]
    title: Text
    jurisdiction: Text  # as a reader would say it ("Pakistan (federal)"); `binds` is the data
    instrument: Text
    says: Text
    source: Text
    status: Literal["verified", "secondary", "unverified"]
    effective_from: date | None = None
    superseded_by: Slug | None = None
    binds: Binds | None = None  # required of every rule by the checks

    @property
    def verified(self) -> bool:
        return self.status == "verified" and self.superseded_by is None


class Officer(Frozen):
    """Whom a module or question is about: the officer whose rules decide its grades.

    - `federal`: a federal government servant, or an All-Pakistan Service officer (PAS, PSP)
      wherever posted (Conduct Rules 1964, r.2); name the service.
    - `provincial`: a servant of a province's government (e.g. PMS); name the province.
    - `any`: any public servant; only a principle common to every Pakistani government is
      tested. The federal rules stand for all of them (the provinces' conduct rules follow the
      1964 federal rules), so a key rests on a federal rule; one province's rule alone does not
      show that the principle is common to all.
    """

    officer: Literal["federal", "provincial", "any"]
    service: Text | None = None  # e.g. PAS, PSP, FSP, OMG, Secretariat Group, PMS
    province: Government | None = None  # provincial officers: their province; others: posting

    @model_validator(mode="after")
    def _named(self) -> Officer:
        if self.officer == "federal" and not self.service:
            raise ValueError("a federal officer names their service (e.g. `service: PAS`)")
        if self.officer == "provincial" and self.province in (None, "federal"):
            raise ValueError("a provincial officer names their province (e.g. `province: kp`)")
        return self

    def bound_by(self, binds: Binds) -> bool:
        """Whether a rule with these `binds` binds this officer."""
        if not binds.governments:
            return False
        government = self.province if self.officer == "provincial" else "federal"
        if government not in binds.governments:
            return False
        return not binds.services or (self.service or "") in binds.services

    def describe(self) -> str:
        if self.officer == "any":
            return "any public servant"
        if self.officer == "federal":
            return f"a federal officer ({self.service})"
        return f"a {GOVERNMENT_NAMES[self.province or 'federal']} provincial officer" + (
            f" ({self.service})" if self.service else ""
        )


class Act(Frozen):
    """A kind of conduct that recurs across the course, with the one grade it gets everywhere."""

    id: Slug
    title: Text  # what the officer does, e.g. "Speaking to the media without permission"
    grade: Grade
    rules: tuple[Slug, ...] = Field(min_length=1)  # what the grade turns on
    says: Text  # why, in a sentence or two a trainer can read out


# ---- scenario modules ----


class Choice(Frozen):
    id: str = Field(pattern=r"^[a-d]$")
    text: Text
    grade: Grade
    consequence: Text
    why: Text
    rules: tuple[Slug, ...] = Field(min_length=1)
    next: Slug
    act: Slug | None = None  # a listed act this choice performs (its grade must match)
    act_reason: Text | None = None  # the fact that makes this grade differ from the act's


class Situation(Frozen):
    id: Slug
    title: Text
    text: Text
    whom_to_ask: bool = False
    ending: bool = False
    choices: tuple[Choice, ...] = ()
    waive: dict[CheckId, Text] = Field(default_factory=dict)  # one check, with a reason

    @model_validator(mode="after")
    def _shape(self) -> Situation:
        if self.ending and self.choices:
            raise ValueError("an ending has no choices")
        if not self.ending and not 2 <= len(self.choices) <= 4:
            raise ValueError("a situation offers 2 to 4 choices (or is marked `ending: true`)")
        _unique([c.id for c in self.choices], "choice")
        return self

    def choice(self, choice_id: str) -> Choice:
        for one in self.choices:
            if one.id == choice_id:
                return one
        raise KeyError(choice_id)


class Scenario(Frozen):
    start: Slug
    situations: tuple[Situation, ...] = Field(min_length=2)

    def situation(self, situation_id: str) -> Situation:
        for one in self.situations:
            if one.id == situation_id:
                return one
        raise KeyError(situation_id)

    @property
    def decision_points(self) -> int:
        return sum(1 for s in self.situations if not s.ending)


class Sources(Frozen):
    articles: tuple[Text, ...] = ()
    rules: tuple[Slug, ...] = ()


class Provenance(Frozen):
    retold_from: Text
    jurisdiction: Text
    review_due: date


class ReadingSection(Frozen):
    title: Text
    markdown: str
    line: int


class Module(Frozen):
    id: Slug
    title: Text
    summary: Text
    competencies: tuple[Competency, ...] = Field(min_length=1)
    estimated_minutes: int = Field(ge=1, le=240)
    tracks: tuple[TrackId, ...] = Field(min_length=1)
    objectives: tuple[Text, ...] = Field(min_length=1)
    sources: Sources
    provenance: Provenance
    status: Literal["draft", "in_review", "approved", "retired"]
    version: int = Field(ge=1)
    reviewer: str | None = None
    approved_on: date | None = None
    counter_argument: Text
    debrief: Text
    reflection_prompt: Text
    knowledge_check: Slug | None = None
    scenario: Scenario
    reading: tuple[ReadingSection, ...] = Field(min_length=1)
    about: Officer | None = None  # required by the checks; optional for versions kept earlier

    @model_validator(mode="after")
    def _approval(self) -> Module:
        if self.status == "approved" and not (self.reviewer and self.approved_on):
            raise ValueError("an approved module names its reviewer and approval date")
        return self

    @property
    def content_hash(self) -> str:
        return content_hash(self)


# ---- question banks ----


class Option(Frozen):
    id: str = Field(pattern=r"^[a-h]$")
    text: Text
    correct: bool = False
    feedback: Text
    misconception: str | None = None
    act: Slug | None = None  # a listed act this option describes (its grade must fit)
    act_reason: Text | None = None


class QuestionBase(Frozen):
    id: str = Field(pattern=r"^[a-z]{2,4}-\d{3}$")
    difficulty: Literal["easy", "medium", "hard"]
    tags: tuple[Slug, ...] = ()
    rules: tuple[Slug, ...] = Field(min_length=1)
    stem: Text
    general_feedback: str | None = None
    about: Officer | None = None  # required by the checks; optional for versions kept earlier
    # practice: shown with its key in knowledge checks, so never drawn into a graded quiz
    use: Literal["graded", "practice"] = "graded"
    waive: dict[CheckId, Text] = Field(default_factory=dict)  # one check, with a reason

    @property
    def content_hash(self) -> str:
        return content_hash(self)


NO_KEY = "no option is marked correct: mark the right answer with `correct: true`"


def _check_options(options: tuple[Option, ...]) -> None:
    """What every option list needs once its key is right: distinct ids, named misconceptions."""
    _unique([o.id for o in options], "option")
    for option in options:
        if not option.correct and not option.misconception:
            raise ValueError(f"wrong option '{option.id}' does not name its misconception")


class SingleChoice(QuestionBase):
    type: Literal["single"]
    options: tuple[Option, ...] = Field(min_length=3, max_length=6)
    fixed_order: bool = False  # true when the options' order means something (a scale)

    @field_validator("options")
    @classmethod
    def _one_key(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        # the key first: a question without one has no other problem worth reading
        right = sum(o.correct for o in options)
        if right == 0:
            raise ValueError(NO_KEY)
        if right > 1:
            raise ValueError(
                f"{right} options are marked correct: a single-choice question has exactly one"
            )
        _check_options(options)
        return options


class MultipleResponse(QuestionBase):
    type: Literal["multiple"]
    options: tuple[Option, ...] = Field(min_length=3, max_length=8)
    fixed_order: bool = False

    @field_validator("options")
    @classmethod
    def _key(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        right = sum(o.correct for o in options)
        if right == 0:
            raise ValueError(NO_KEY)
        if right < 2 or right == len(options):
            raise ValueError(
                "a multiple-response question has 2 or more correct and 1 or more wrong"
            )
        _check_options(options)
        return options


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: bool
    feedback_true: Text
    feedback_false: Text
    misconception: Text


class Pair(Frozen):
    id: str = Field(pattern=r"^[a-h]$")
    prompt: Text
    match: Text
    feedback: Text


class Matching(QuestionBase):
    type: Literal["matching"]
    pairs: tuple[Pair, ...] = Field(min_length=3, max_length=6)

    @model_validator(mode="after")
    def _distinct(self) -> Matching:
        _unique([p.id for p in self.pairs], "pair")
        if len({p.match for p in self.pairs}) != len(self.pairs):
            raise ValueError("two pairs have the same match text")
        return self


class Item(Frozen):
    id: str = Field(pattern=r"^[a-h]$")
    text: Text
    feedback: Text


class Ordering(QuestionBase):
    type: Literal["ordering"]
    items: tuple[Item, ...] = Field(min_length=3, max_length=6)
    feedback: Text

    @model_validator(mode="after")
    def _distinct(self) -> Ordering:
        _unique([i.id for i in self.items], "item")
        return self


Question = Annotated[
    SingleChoice | MultipleResponse | TrueFalse | Matching | Ordering,
    Field(discriminator="type"),
]
QUESTION_TYPES = ("single", "multiple", "true_false", "matching", "ordering")


class Bank(Frozen):
    id: Slug
    competency: Competency
    title: Text
    questions: tuple[Question, ...] = Field(min_length=1)


class ProtectedNames(Frozen):
    """Real people's names that content must never contain (rules/protected-names.yaml)."""

    names: tuple[str, ...] = ()


# ---- quizzes and tracks ----

Review = Literal["score", "correctness", "feedback", "key"]


class ReviewPolicy(Frozen):
    during: tuple[Review, ...] = ()  # after each answer, while the attempt is open
    after_attempt: tuple[Review, ...] = ("score",)
    after_close: tuple[Review, ...] = ("score", "correctness", "feedback", "key")


class Draw(Frozen):
    competency: Competency
    count: int = Field(ge=1)
    tag: Slug | None = None


class Band(Frozen):
    from_score: float = Field(ge=0, le=1, alias="from")
    text: Text


class Quiz(Frozen):
    id: Slug
    title: Text
    # knowledge checks are formative: they draw practice questions only; a review is a serving
    # officer's short spaced review, whose questions are chosen for them (learning/review_session);
    # an anchor check asks the same questions before and after training, and of officers years
    # on, to measure learning gain and retention (learning/anchors.py)
    kind: Literal["competency", "final", "knowledge_check", "review", "anchor"]
    intro: str = ""
    tracks: tuple[TrackId, ...] = ()
    draws: tuple[Draw, ...] = ()
    questions: tuple[str, ...] = ()  # a fixed set, asked in full
    shuffle_questions: bool = True
    shuffle_options: bool = True
    pass_mark: float = Field(ge=0, le=1)
    attempts: int = Field(ge=0, default=0)  # 0: no limit
    grading: Literal["highest", "last", "average", "first"] = "highest"
    time_limit_minutes: int | None = Field(default=None, ge=1)
    review: ReviewPolicy = ReviewPolicy()
    feedback_bands: tuple[Band, ...] = ()
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    @model_validator(mode="after")
    def _asks_something(self) -> Quiz:
        if not self.draws and not self.questions:
            raise ValueError("a quiz draws questions (`draws`) or lists them (`questions`)")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError("the quiz closes before it opens")
        for moment in (self.opens_at, self.closes_at):
            if moment is not None and moment.tzinfo is None:
                raise ValueError(
                    "open and close times need a time zone, e.g. 2027-01-10T09:00+05:00"
                )
        return self

    @property
    def size(self) -> int:
        return len(self.questions) + sum(d.count for d in self.draws)

    @property
    def graded(self) -> bool:
        """Whether the quiz asks graded questions (never shown with their key) and its answers
        count: towards grades (competency, final), or towards the review schedule (review, and
        anchor, whose answers are measurements too)."""
        return self.kind in ("competency", "final", "review", "anchor")

    @property
    def content_hash(self) -> str:
        return content_hash(self)


class Track(Frozen):
    id: TrackId
    title: Text
    description: Text
    modules: tuple[Slug, ...] = ()
    quizzes: tuple[Slug, ...] = ()
    completion: Text
    certificate_months: int | None = Field(default=None, ge=1)
    review: Slug | None = None  # the review session offered to its learners (a `kind: review` quiz)
    anchor: Slug | None = None  # the anchor check its learners take (a `kind: anchor` quiz)


def content_hash(model: BaseModel) -> str:
    """A stable hash of a content object's meaning (key order and YAML layout do not matter)."""
    canonical = json.dumps(model.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
