"""A demo academy with synthetic activity, so every page has something to show.

What it holds: an administrator, three trainers and a viewer; a probationer cohort in two
sections and a refresher cohort (three learners in four are probationers); for each learner,
module plays with their choices, and quiz attempts on every quiz of their track (graded quizzes,
the final assessment, knowledge checks, the refresher check), written as the quiz pages write
them: a layout drawn by `assembly.assemble`, each answer graded by `grading.grade`, each attempt
scored by `results.score_attempt`, within the quiz's attempts and time limits.

How the learners answer (`course.learning.synthetic` gives the rule for one question):
- each learner has an ability θ ~ N(1.2, 0.9) logits, moved per competency by the cohort's
  shift (conflict of interest is the cohort's weakest, by about half a logit) and a little noise
  of their own;
- the chance of a right answer is 1 / (1 + exp(-a (θ' - b))), with the question's difficulty b
  (from its `difficulty`) and discrimination a; θ' adds what the learner has learnt so far
  (up to +0.5 by the end of the course), +0.3 for each earlier attempt at a graded quiz and +1.5
  for each earlier attempt at a knowledge check (its key was shown, and its pool is small);
- "cautious but wrong" distractors (their misconception says the safest course is to stop,
  withdraw or say nothing), three among graded questions and three among practice ones, draw
  most wrong answers to their questions, and retakes cure them only as slowly as a graded quiz's,
  so the misconception report has a clear top three (of all answers: the practice ones; of
  graded answers: the graded ones, clear from a few hundred learners up); two graded questions
  are traps the ablest get wrong (negative discrimination): `DemoAcademy` names them all;
- a learner retakes a failed graded quiz while attempts remain (most do, and most do better);
  some who passed below 85 % retake to raise a "highest" grade; a failed knowledge check is
  retaken; probationers revise before the final by retaking the knowledge checks of the modules
  they finished (six rounds on average), which is most of their answers.

Who needs help, by design (in every section of four or more learners, and the refresher cohort;
their usernames are in `DemoAcademy`): about 5 % have not started (no play, no attempt), about
8 % stopped 3 to 6 weeks ago after the first graded quiz or more (every stamp of theirs is that
old), about 8 % struggle (ability 2 logits lower: below the pass mark even after retakes). A few
active probationers are in the middle of the final assessment (an unfinished attempt, started
minutes ago, deadline still ahead). Activity is spread over the eight weeks since the cohort
opened, in the track's order, so mastery over time has a shape.

Speed: rows are written in batches of learners with bulk inserts, in one transaction; a learner
gives about 190 answers on average, so 5,000 learners make about a million (a minute on SQLite).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock
from course.content.current import catalogue
from course.content.schema import Module, Question, Quiz, Scenario, SingleChoice
from course.errors import BadInput, Conflict
from course.learning import assembly, certification, grading, quiz_rules, results, synthetic
from course.learning import scenario as walking
from course.services import audit, certificates, passwords, versions
from course.services.access import Actor, require_admin
from course.store.db import transaction
from course.store.models import (
    Answer,
    Attempt,
    Base,
    Certificate,
    Cohort,
    Enrolment,
    ModuleVersion,
    QuestionVersion,
    QuizVersion,
    ScenarioPlay,
    ScenarioStep,
    Section,
    User,
)

DEMO_PASSWORD = "demo-academy-2026"
FIRST = [
    "Ayan",
    "Zara",
    "Hamid",
    "Noor",
    "Saad",
    "Mehwish",
    "Taimur",
    "Iqra",
    "Junaid",
    "Sobia",
    "Daniyal",
    "Hira",
    "Omer",
    "Rida",
    "Shahzaib",
    "Maham",
    "Fahad",
    "Anam",
    "Waleed",
    "Komal",
]
LAST = [
    "Awan",
    "Baloch",
    "Chaudhry",
    "Durrani",
    "Gill",
    "Hashmi",
    "Jatoi",
    "Kazmi",
    "Lodhi",
    "Mirza",
    "Niazi",
    "Qazi",
    "Rana",
    "Sheikh",
    "Tiwana",
    "Warraich",
    "Yusufzai",
    "Zaidi",
]

COHORT_DAYS = 59  # how long ago the probationers' cohort opened
REFRESHER_DAYS = 29  # and the refresher cohort
ABILITY = (1.2, 0.9)  # mean and spread of θ, in logits
STRUGGLING = 2.0  # how much lower a struggling learner's ability is
COMPETENCY_SHIFT = {
    "epistemic-insularity": 0.15,
    "conflict-of-interest": -0.45,
    "ethical-engagement": 0.05,
}
GROWTH = 0.5  # ability gained by the end of the course
RETAKE_GAIN = {"graded": 0.3, "practice": 1.5}  # per earlier attempt at the same quiz
REVISION_ROUNDS = 6.0  # mean knowledge-check rounds a probationer takes before the final
STRONG = 0.85  # below this, some who passed a graded quiz try to raise their grade
SHARE = {"not started": 0.05, "inactive": 0.08, "struggling": 0.08}
POPULAR = 3  # "cautious but wrong" distractors most wrong answers go to, per use below
USES = ("graded", "practice")
TRAPS = 2  # questions the ablest learners get wrong
CAUTIOUS = re.compile(r"\b(safest|safe course|safer|say nothing|publish nothing)\b", re.I)
BATCH = 200  # learners simulated and written at a time


@dataclass(frozen=True)
class DemoAcademy:
    cohorts: tuple[str, ...]
    staff: tuple[str, ...]
    learners: int
    password: str
    # the learners at risk by design (usernames); others may fall below a pass mark by chance
    not_started: tuple[str, ...] = ()
    inactive: tuple[str, ...] = ()  # nothing for 3 weeks or more
    struggling: tuple[str, ...] = ()  # ability well below the cohort's
    attempts: int = 0
    answers: int = 0
    # what item analysis and the misconception report should find: the "cautious but wrong"
    # distractors most wrong answers go to, as (question id, option id), three among graded
    # questions and three among practice ones; and the questions with negative discrimination
    popular: tuple[tuple[str, str], ...] = ()
    traps: tuple[str, ...] = ()


@dataclass
class _Learner:
    user_id: int
    username: str
    track: str
    plan: str  # active | not started | inactive | struggling
    ability: dict[str, float]  # competency -> θ
    start: datetime
    until: datetime  # the last moment of activity
    live: bool = False  # in the middle of the final assessment now
    trained: datetime | None = None  # an officer: when they completed the probationer course


@dataclass
class _Batch:
    """Rows of a batch of learners, written together (steps and answers once their parents
    have ids)."""

    plays: list[dict[str, Any]] = field(default_factory=list)
    steps: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (play index, row)
    attempts: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def write(self, db: Session, user_ids: list[int]) -> tuple[int, int]:
        """Write the batch; the parents' ids are read back by their natural keys (RETURNING
        in bulk is slow on SQLite)."""
        _insert(db, ScenarioPlay, self.plays)
        plays = {
            (user_id, module_id, number): play_id
            for play_id, user_id, module_id, number in db.execute(
                sa.select(
                    ScenarioPlay.id,
                    ScenarioPlay.user_id,
                    ScenarioPlay.module_id,
                    ScenarioPlay.play_no,
                ).where(ScenarioPlay.user_id.in_(user_ids))
            )
        }
        _insert(db, Attempt, self.attempts)
        attempts = {
            (user_id, quiz_id, number): attempt_id
            for attempt_id, user_id, quiz_id, number in db.execute(
                sa.select(Attempt.id, Attempt.user_id, Attempt.quiz_id, Attempt.attempt_no).where(
                    Attempt.user_id.in_(user_ids)
                )
            )
        }
        play_ids = [plays[(p["user_id"], p["module_id"], p["play_no"])] for p in self.plays]
        attempt_ids = [
            attempts[(a["user_id"], a["quiz_id"], a["attempt_no"])] for a in self.attempts
        ]
        _insert(db, ScenarioStep, [{**row, "play_id": play_ids[n]} for n, row in self.steps])
        _insert(db, Answer, [{**row, "attempt_id": attempt_ids[n]} for n, row in self.answers])
        return len(self.attempts), len(self.answers)


def _insert(db: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    # Core inserts on the table: the ORM's bulk path costs a third more for the same rows
    table = Base.metadata.tables[model.__tablename__]
    for at in range(0, len(rows), 10_000):
        db.execute(sa.insert(table), rows[at : at + 10_000])


class _Course:
    """One track's content, looked up once: the order learners meet it in, quiz pools, question
    hashes and how each question behaves in the synthetic cohort."""

    def __init__(
        self, track: str, items: dict[str, synthetic.ItemModel], popular: dict[str, str]
    ) -> None:
        content = catalogue()
        self.track = track
        self.modules = content.track_modules(track)
        self.quizzes = [content.quiz(q) for q in content.track(track).quizzes]
        self.checks = {
            m.id: content.quiz(m.knowledge_check)
            for m in self.modules
            if m.knowledge_check and m.knowledge_check in content.quizzes
        }
        anchor = content.track(track).anchor
        self.anchor = content.quiz(anchor) if anchor else None  # before and after, or once
        self.items = items
        self.popular = popular  # question id -> its popular distractor
        self.competency = content.competency_of
        self.question = content.questions.__getitem__
        self.hashes: dict[str, str] = {}
        self.pools: dict[str, Callable[[str, str | None], list[Question]]] = {}
        for quiz in self.every_quiz:
            self.pools[quiz.id] = _pool(quiz)
            for draw in quiz.draws:
                for question in content.quiz_pool(quiz, draw.competency, draw.tag):
                    self.hashes[question.id] = question.content_hash
            for question_id in quiz.questions:
                self.hashes[question_id] = content.questions[question_id].content_hash
        self.quiz_hashes = {q.id: q.content_hash for q in self.every_quiz}
        self.module_hashes = {m.id: m.content_hash for m in self.modules}

    @property
    def every_quiz(self) -> list[Quiz]:
        return [*self.quizzes, *self.checks.values(), *([self.anchor] if self.anchor else [])]

    def events(self, learner: _Learner, rng: random.Random) -> list[tuple[str, Any]]:
        """What the learner does, in order: modules (each with its knowledge check), each
        competency quiz after its competency's modules, revision rounds, then the final."""
        last_of: dict[str, int] = {}
        for n, module in enumerate(self.modules):
            last_of[module.competencies[0]] = n
        after: dict[int, list[Quiz]] = {}
        for quiz in self.quizzes:
            drawn = {d.competency for d in quiz.draws} | {
                self.competency[q] for q in quiz.questions
            }
            at = len(self.modules) - 1
            if quiz.kind != "final" and len(drawn) == 1:
                at = last_of.get(drawn.pop(), at)
            after.setdefault(at, []).append(quiz)
        found: list[tuple[str, Any]] = []
        for n, module in enumerate(self.modules):
            found.append(("module", module))
            for quiz in sorted(after.get(n, []), key=lambda q: q.kind == "final"):
                if quiz.kind == "final" and self.checks:
                    rounds = max(0, round(rng.gauss(REVISION_ROUNDS, 2.0)))
                    found.extend(("revision", None) for _ in range(rounds))
                found.append(("quiz", quiz))
        if learner.plan == "inactive":  # stopped somewhere after their first graded quiz
            first = next((n for n, e in enumerate(found) if e[0] == "quiz"), len(found) - 1)
            found = found[: rng.randint(first + 1, max(first + 1, int(len(found) * 0.6)))]
        return found


def _pool(quiz: Quiz) -> Callable[[str, str | None], list[Question]]:
    content = catalogue()
    cache: dict[tuple[str, str | None], list[Question]] = {}

    def pool(competency: str, tag: str | None) -> list[Question]:
        if (competency, tag) not in cache:
            cache[(competency, tag)] = content.quiz_pool(quiz, competency, tag)
        return cache[(competency, tag)]

    return pool


def build(actor: Actor, learners: int = 40, seed: int = 7) -> DemoAcademy:
    """Fill an empty database with a demo academy (administrators and the command line)."""
    if learners < 1:
        raise BadInput("The demo needs at least one learner.")
    rng = random.Random(seed)
    now = clock.now()
    opened = now - timedelta(days=COHORT_DAYS)
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    with transaction() as db:
        actor = require_admin(db, actor)
        if db.scalar(sa.select(sa.func.count()).select_from(User).where(User.is_demo.is_(False))):
            raise Conflict("This database holds real accounts; the demo only fills an empty one.")
        if db.scalar(sa.select(sa.func.count()).select_from(Cohort)):
            raise Conflict("The demo academy is already here.")
        ctp, refresher, sections = _staff(db, password_hash, now)
        design = _design(rng)
        courses = design.courses
        _pin_versions(db, courses, opened)
        people = _enrol(db, rng, learners, ctp, refresher, sections, password_hash, now)
        attempts = answers = 0
        for at in range(0, len(people), BATCH):
            batch, some = _Batch(), people[at : at + BATCH]
            for learner in some:
                _activity(batch, courses[learner.track], learner, rng, now)
            made = batch.write(db, [learner.user_id for learner in some])
            attempts, answers = attempts + made[0], answers + made[1]
            _certify(db, some, now)
        audit.record(db, actor, "demo.build", "database", "demo", learners=learners, seed=seed)

    def planned(plan: str) -> tuple[str, ...]:
        return tuple(p.username for p in people if p.plan == plan)

    return DemoAcademy(
        cohorts=(ctp.name, refresher.name),
        staff=("admin", "trainer1", "trainer2", "trainer3", "viewer"),
        learners=learners,
        password=DEMO_PASSWORD,
        not_started=planned("not started"),
        inactive=planned("inactive"),
        struggling=planned("struggling"),
        attempts=attempts,
        answers=answers,
        popular=design.popular,
        traps=design.traps,
    )


def _staff(db: Session, password_hash: str, now: datetime) -> tuple[Cohort, Cohort, list[Section]]:
    """The administrator, the two cohorts and their sections, trainers and a viewer."""

    def person(username: str, name: str, admin: bool = False) -> User:
        user = User(
            username=username,
            full_name=name,
            password_hash=password_hash,
            must_change_password=False,
            is_admin=admin,
            is_demo=True,
            notice_accepted_at=now - timedelta(days=COHORT_DAYS + 1),
            created_at=now - timedelta(days=60),
        )
        db.add(user)
        return user

    person("admin", "Academy Administrator", admin=True)
    ctp = Cohort(
        name="CTP 2026 Batch A",
        track="probationer",
        is_demo=True,
        created_at=now - timedelta(days=60),
    )
    refresher = Cohort(
        name="Officers' refresher 2026",
        track="refresher",
        is_demo=True,
        created_at=now - timedelta(days=30),
    )
    db.add_all([ctp, refresher])
    db.flush()
    sections = [Section(cohort_id=ctp.id, name=n) for n in ("Section 1", "Section 2")]
    db.add_all(sections)
    staff = [
        (person("trainer1", "Dr Saima Rauf"), ctp, sections[0], "trainer"),
        (person("trainer2", "Mr Adeel Khokhar"), ctp, sections[1], "trainer"),
        (person("trainer3", "Ms Farah Naqvi"), refresher, None, "trainer"),
        (person("viewer", "Director Training"), ctp, None, "viewer"),
    ]
    db.flush()
    for user, cohort, section, role in staff:
        db.add(
            Enrolment(
                user_id=user.id,
                cohort_id=cohort.id,
                section_id=section.id if section else None,
                role=role,
                starts_at=now - timedelta(days=60),
            )
        )
    return ctp, refresher, sections


# ---- the cohort's design ----


@dataclass(frozen=True)
class _Design:
    courses: dict[str, _Course]
    popular: tuple[tuple[str, str], ...]  # (question id, option id) of the popular distractors
    traps: tuple[str, ...]


def _design(rng: random.Random) -> _Design:
    """Both tracks' content, with one item model per question shared by all (a question
    behaves the same whichever quiz draws it): popular "cautious but wrong" distractors among
    the graded questions and among the practice ones (a report of graded answers and one of
    all answers each have a top three), and a few traps among the graded."""
    content = catalogue()
    items: dict[str, synthetic.ItemModel] = {}
    popular: dict[str, str] = {}
    courses = {track: _Course(track, items, popular) for track in content.tracks}
    asked = {q for course in courses.values() for q in course.hashes}
    singles = [
        q for q in content.questions.values() if q.id in asked and isinstance(q, SingleChoice)
    ]
    for use in USES:
        cautious = [
            (q.id, o.id)
            for q in singles
            if q.use == use
            for o in q.options
            if not o.correct and o.misconception and CAUTIOUS.search(o.misconception)
        ]
        popular.update(rng.sample(cautious, min(POPULAR, len(cautious))))
    others = [q.id for q in singles if q.use == "graded" and q.id not in popular]
    traps = sorted(rng.sample(others, min(TRAPS, len(others))))
    for question in content.questions.values():
        items[question.id] = synthetic.item_model(
            question, rng, popular=popular.get(question.id), trap=question.id in traps
        )
    return _Design(courses, tuple(popular.items()), tuple(traps))


def _pin_versions(db: Session, courses: dict[str, _Course], opened: datetime) -> None:
    """Pin every version the attempts and plays point at, first seen when the cohort opened."""
    content = catalogue()
    for module in content.modules.values():
        if module.status == "approved":
            versions.pin_module(db, module)
    quizzes = {q.id: q for c in courses.values() for q in c.every_quiz}
    for quiz in quizzes.values():
        versions.pin_quiz(db, quiz)
    questions = {q: h for c in courses.values() for q, h in c.hashes.items()}
    versions.pin_questions(db, (content.questions[question_id] for question_id in questions))
    pinned: list[tuple[type[ModuleVersion | QuizVersion | QuestionVersion], list[str]]] = [
        (ModuleVersion, [m.content_hash for m in content.modules.values()]),
        (QuizVersion, [q.content_hash for q in quizzes.values()]),
        (QuestionVersion, list(questions.values())),
    ]
    for model, hashes in pinned:
        db.execute(
            sa.update(model)
            .where(model.content_hash.in_(hashes), model.first_seen_at > opened)
            .values(first_seen_at=opened)
        )


def _enrol(
    db: Session,
    rng: random.Random,
    learners: int,
    ctp: Cohort,
    refresher: Cohort,
    sections: list[Section],
    password_hash: str,
    now: datetime,
) -> list[_Learner]:
    """The learners' accounts and enrolments, each with a plan, an ability and a timeline."""
    pool = [f"{f} {s}" for f in FIRST for s in LAST]
    rng.shuffle(pool)
    groups: dict[int | None, list[int]] = {}  # section id (None: refresher) -> numbers
    where: dict[int, tuple[Cohort, Section | None]] = {}
    for number in range(1, learners + 1):
        in_refresher = number > learners * 3 // 4
        section = None if in_refresher else sections[number % 2]
        where[number] = (refresher if in_refresher else ctp, section)
        groups.setdefault(section.id if section else None, []).append(number)
    plans = {number: "active" for number in where}
    for members in groups.values():
        if len(members) < 4:
            continue  # too few to spare any
        chosen = iter(rng.sample(members, len(members)))
        for plan, share in SHARE.items():
            for _ in range(max(1, round(share * len(members)))):
                plans[next(chosen)] = plan
    accounts = [
        {
            "username": f"learner{number}",
            "full_name": pool[(number - 1) % len(pool)],  # repeats only past 360 learners
            "password_hash": password_hash,
            "must_change_password": False,
            "is_admin": False,
            "is_demo": True,
            "notice_accepted_at": now
            - timedelta(days=_opened_days(where[number][0].track), hours=rng.uniform(0, 20)),
            "created_at": now - timedelta(days=60),
        }
        for number in where
    ]
    _insert(db, User, accounts)
    made = dict(db.execute(sa.select(User.username, User.id).where(User.is_demo.is_(True))).all())
    ids = [made[f"learner{number}"] for number in where]
    db.execute(
        sa.insert(Enrolment),
        [
            {
                "user_id": user_id,
                "cohort_id": where[number][0].id,
                "section_id": section.id if (section := where[number][1]) else None,
                "role": "learner",
                "starts_at": now - timedelta(days=_opened_days(where[number][0].track)),
            }
            for number, user_id in zip(where, ids, strict=True)
        ],
    )
    return [
        _learner(rng, user_id, number, where[number][0].track, plans[number], now)
        for number, user_id in zip(where, ids, strict=True)
    ]


def _certify(db: Session, learners: list[_Learner], now: datetime) -> None:
    """Officers' old probationer certificates (their training dates), and the certificates
    the learners' activity has earned, as the course would have issued them."""
    names = dict(
        db.execute(
            sa.select(User.id, User.full_name).where(User.id.in_([p.user_id for p in learners]))
        ).all()
    )
    for learner in learners:
        if learner.trained is not None:
            db.add(
                Certificate(
                    code=certification.new_code(),
                    user_id=learner.user_id,
                    track="probationer",
                    name=names[learner.user_id],
                    completed_at=learner.trained,
                    issued_at=learner.trained,
                    expires_at=certification.add_months(learner.trained, 12),
                )
            )
        certificates.award(db, learner.user_id, now)


def _opened_days(track: str) -> int:
    return COHORT_DAYS if track == "probationer" else REFRESHER_DAYS


def _learner(
    rng: random.Random, user_id: int, number: int, track: str, plan: str, now: datetime
) -> _Learner:
    base = rng.gauss(*ABILITY) - (STRUGGLING if plan == "struggling" else 0.0)
    ability = {c: base + shift + rng.gauss(0.0, 0.35) for c, shift in COMPETENCY_SHIFT.items()}
    start = now - timedelta(days=_opened_days(track) - rng.uniform(0.2, 3.0))
    if plan == "inactive":
        until = now - timedelta(days=rng.uniform(22, 40))
    else:
        until = now - timedelta(hours=rng.uniform(1, 24 * 9))
    until = max(until, start + timedelta(days=3))
    live = plan == "active" and track == "probationer" and rng.random() < 0.02
    # officers were trained half a year to seven years ago (their certificates say when); drawn
    # aside, so that the rest of the demo is as it was before officers had training dates
    years = random.Random(f"trained-{user_id}").uniform(180, 2555)
    trained = now - timedelta(days=years) if track == "refresher" else None
    return _Learner(user_id, f"learner{number}", track, plan, ability, start, until, live, trained)


def _anchor_sittings(
    batch: _Batch,
    course: _Course,
    learner: _Learner,
    events: list[tuple[str, Any]],
    taken: dict[str, int],
    now: datetime,
) -> None:
    """The anchor check: before the first event, and (probationers) after a finished final;
    an officer once, keeping less the longer ago their training was. Drawn from a generator of
    its own, so that which questions the anchor check asks leaves the rest of the demo as it is."""
    if course.anchor is None:
        return
    side = random.Random(f"anchor-{learner.user_id}")
    kept = 0.0 if learner.trained is None else _kept(learner.trained, now)
    before = learner.start - timedelta(minutes=side.uniform(20, 60))
    _attempt(batch, course, learner, course.anchor, taken, side, before, kept)
    last = events[-1] if events else None
    if last is not None and last[0] == "quiz" and last[1].kind == "final" and not learner.live:
        after = learner.until + timedelta(minutes=side.uniform(5, 30))
        _attempt(batch, course, learner, course.anchor, taken, side, min(after, now), 1.0)


def _kept(trained: datetime, now: datetime) -> float:
    """What an officer trained then keeps of the course's learning now (1: all of it): a
    forgetting curve that halves in about three years."""
    return float(0.5 ** ((now - trained).days / 1100))


# ---- one learner's activity ----


def _activity(
    batch: _Batch, course: _Course, learner: _Learner, rng: random.Random, now: datetime
) -> None:
    """The learner's plays and attempts, each event in its own stretch of their timeline."""
    if learner.plan == "not started":
        return
    events = course.events(learner, rng)
    taken: dict[str, int] = {}  # quiz id -> attempts so far
    _anchor_sittings(batch, course, learner, events, taken, now)
    span = learner.until - learner.start
    finished: list[Module] = []  # modules played to the end, for their knowledge checks
    for n, (kind, what) in enumerate(events):
        begin = learner.start + span * ((n + rng.uniform(0, 0.4)) / len(events))
        end = learner.start + span * ((n + 1) / len(events))
        progress = n / len(events)
        if kind == "module":
            ended = _play(batch, course, learner, what, rng, begin, progress)
            if ended is not None:
                finished.append(what)
                check = course.checks.get(what.id)
                if check is not None and rng.random() < 0.9:
                    later = ended + timedelta(minutes=rng.uniform(1, 30))
                    _practise(batch, course, learner, check, taken, rng, later, progress, True)
        elif kind == "revision":
            at = begin
            for module in finished:
                if (check := course.checks.get(module.id)) is not None:
                    at = _practise(batch, course, learner, check, taken, rng, at, progress, False)
        elif learner.live and n == len(events) - 1 and what.kind == "final":
            started = now - timedelta(minutes=rng.uniform(5, 40))
            _attempt(batch, course, learner, what, taken, rng, started, progress, now)
        else:
            _sit(batch, course, learner, what, taken, rng, begin, end, progress)


def _play(
    batch: _Batch,
    course: _Course,
    learner: _Learner,
    module: Module,
    rng: random.Random,
    started: datetime,
    progress: float,
) -> datetime | None:
    """Play a module (most to the end, some part-way, a few not at all); when it finished."""
    roll = rng.random()
    skip, partial = (0.15, 0.35) if learner.plan == "struggling" else (0.06, 0.15)
    if roll < skip:
        return None
    ability = sum(learner.ability.values()) / len(learner.ability) - ABILITY[0]
    path = _plausible_path(module.scenario, rng, ability + GROWTH * progress)
    if roll < partial:
        path = path[: max(1, len(path) // 2)]
    here = walking.replay(module.scenario, path)
    ended = started + timedelta(minutes=3 * len(path) + 10) if here.ending else None
    batch.plays.append(
        {
            "user_id": learner.user_id,
            "module_id": module.id,
            "play_no": 1,
            "module_version": module.version,
            "module_hash": course.module_hashes[module.id],
            "stage": "debrief" if here.ending else "scenario",
            "situation_id": here.id,
            "ending_id": here.id if here.ending else None,
            "choice_order": walking.choice_orders(module.scenario, rng),
            "started_at": started,
            "finished_at": ended,
        }
    )
    play = len(batch.plays) - 1
    for number, step in enumerate(path):
        choice = module.scenario.situation(step.situation_id).choice(step.choice_id)
        row = {
            "module_id": module.id,
            "step_no": number,
            "situation_id": step.situation_id,
            "choice_id": step.choice_id,
            "grade": choice.grade,
            "chosen_at": started + timedelta(minutes=3 * number + 5),
        }
        batch.steps.append((play, row))
    return ended


def _practise(
    batch: _Batch,
    course: _Course,
    learner: _Learner,
    check: Quiz,
    taken: dict[str, int],
    rng: random.Random,
    started: datetime,
    progress: float,
    until_passed: bool,
) -> datetime:
    """A knowledge check (retaken, up to three times, until passed); when the last ended."""
    for _ in range(3 if until_passed else 1):
        score, ended = _attempt(batch, course, learner, check, taken, rng, started, progress)
        started = ended + timedelta(minutes=rng.uniform(1, 10))
        if results.passed(check.pass_mark, score) or rng.random() < 0.3:
            break
    return started


def _sit(
    batch: _Batch,
    course: _Course,
    learner: _Learner,
    quiz: Quiz,
    taken: dict[str, int],
    rng: random.Random,
    begin: datetime,
    end: datetime,
    progress: float,
) -> None:
    """A graded quiz, retaken within the quiz's attempts: after a failure most learners try
    again; a few who passed narrowly try to raise their grade."""
    limit = quiz.attempts or 3
    gap = (end - begin) / (limit + 1)
    for number in range(limit):
        score, _ = _attempt(
            batch, course, learner, quiz, taken, rng, begin + gap * number, progress
        )
        if not results.passed(quiz.pass_mark, score):
            again = 0.6 if learner.plan == "struggling" else 0.85
        else:
            again = 0.45 if score < STRONG else 0.05
        if rng.random() >= again:
            break


def _attempt(
    batch: _Batch,
    course: _Course,
    learner: _Learner,
    quiz: Quiz,
    taken: dict[str, int],
    rng: random.Random,
    started: datetime,
    progress: float,
    now: datetime | None = None,
) -> tuple[float, datetime]:
    """One attempt as the quiz page records it; its score and when it ended. With `now`, the
    attempt is still going on: answers given so far, not finished."""
    earlier = taken.get(quiz.id, 0)
    taken[quiz.id] = earlier + 1
    slots = assembly.assemble(quiz, course.pools[quiz.id], course.question, rng)
    deadline = quiz_rules.deadline(quiz, started)
    learnt = RETAKE_GAIN["graded" if quiz.graded else "practice"]
    pace = rng.uniform(20, 70)  # seconds a question, on average
    attempt = len(batch.attempts)
    at, scores = started, []
    for number, slot in enumerate(slots):
        moment = at + timedelta(seconds=pace * rng.uniform(0.5, 1.5))
        if deadline is not None and moment >= deadline - timedelta(seconds=30):
            break  # time ran out: the rest stay unanswered and score 0
        if now is not None and moment >= now:
            break
        at = moment
        if rng.random() < 0.01:
            continue  # left blank
        question = slot.question
        # a popular misconception survives a shown key: retakes cure it only slowly
        gain = RETAKE_GAIN["graded"] if question.id in course.popular else learnt
        ability = learner.ability[course.competency[question.id]]
        ability += GROWTH * progress + earlier * gain
        response = synthetic.respond(question, course.items[question.id], ability, rng)
        score = grading.grade(question, response)
        scores.append(score)
        row = {
            "slot": number,
            "question_id": question.id,
            "question_hash": course.hashes[question.id],
            "response": response,
            "score": score,
            "answered_at": at,
        }
        batch.answers.append((attempt, row))
    ended = at + timedelta(seconds=rng.uniform(10, 90))
    if deadline is not None:
        ended = min(ended, deadline)
    total = results.score_attempt(scores, len(slots))
    live = now is not None
    batch.attempts.append(
        {
            "user_id": learner.user_id,
            "quiz_id": quiz.id,
            "quiz_hash": course.quiz_hashes[quiz.id],
            "attempt_no": earlier + 1,
            "layout": [
                {
                    "slot": n,
                    "question_id": s.question.id,
                    "hash": course.hashes[s.question.id],
                    "order": list(s.order),
                }
                for n, s in enumerate(slots)
            ],
            "started_at": started,
            "deadline_at": deadline,
            "finished_at": None if live else ended,
            "score": None if live else total,
        }
    )
    return total, ended


def _plausible_path(
    scenario: Scenario, rng: random.Random, ability: float = 0.0
) -> list[walking.Step]:
    """A path where better choices are likelier, as in a real cohort, and the more so the abler
    the learner (`ability` in logits from the cohort's mean), so choices go with quiz scores."""
    weights = {"best": 5, "acceptable": 3, "risky": 2, "breach": 1}
    lean = {"best": 1.0, "acceptable": 0.3, "risky": -0.3, "breach": -1.0}
    steps, here = [], scenario.situation(scenario.start)
    while not here.ending:
        pulls = [weights[c.grade] * math.exp(0.6 * ability * lean[c.grade]) for c in here.choices]
        choice = rng.choices(here.choices, pulls)[0]
        steps.append(walking.Step(here.id, choice.id))
        here = scenario.situation(choice.next)
    return steps
