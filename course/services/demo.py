"""A demo academy with synthetic activity, so every page has something to show."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock
from course.content.current import catalogue
from course.content.schema import Scenario
from course.errors import BadInput, Conflict
from course.learning import scenario as walking
from course.services import audit, passwords, versions
from course.services.access import Actor, require_admin
from course.store.db import transaction
from course.store.models import (
    Cohort,
    Enrolment,
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


@dataclass(frozen=True)
class DemoAcademy:
    cohorts: tuple[str, ...]
    staff: tuple[str, ...]
    learners: int
    password: str


def build(actor: Actor, learners: int = 40, seed: int = 7) -> DemoAcademy:
    """Fill an empty database with a demo academy (administrators and the command line)."""
    if learners < 1:
        raise BadInput("The demo needs at least one learner.")
    rng = random.Random(seed)
    now = clock.now()
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    with transaction() as db:
        actor = require_admin(db, actor)
        if db.scalar(sa.select(sa.func.count()).select_from(User).where(User.is_demo.is_(False))):
            raise Conflict("This database holds real accounts; the demo only fills an empty one.")
        if db.scalar(sa.select(sa.func.count()).select_from(Cohort)):
            raise Conflict("The demo academy is already here.")

        def person(username: str, name: str, admin: bool = False) -> User:
            user = User(
                username=username,
                full_name=name,
                password_hash=password_hash,
                must_change_password=False,
                is_admin=admin,
                is_demo=True,
                notice_accepted_at=now,
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
        for module in catalogue().modules.values():  # the plays below point at these versions
            if module.status == "approved":
                versions.pin_module(db, module)
        pool = [f"{f} {s}" for f in FIRST for s in LAST]
        rng.shuffle(pool)
        names = (pool[n % len(pool)] for n in range(learners))  # repeats only past 360 learners
        for number in range(1, learners + 1):
            in_refresher = number > learners * 3 // 4
            cohort = refresher if in_refresher else ctp
            user = person(f"learner{number}", next(names))
            db.flush()
            section = None if in_refresher else sections[number % 2]
            db.add(
                Enrolment(
                    user_id=user.id,
                    cohort_id=cohort.id,
                    section_id=section.id if section else None,
                    role="learner",
                    starts_at=now - timedelta(days=59),
                )
            )
            _activity(db, rng, user, cohort.track, now)
        audit.record(db, actor, "demo.build", "database", "demo", learners=learners, seed=seed)
    return DemoAcademy(
        cohorts=(ctp.name, refresher.name),
        staff=("admin", "trainer1", "trainer2", "trainer3", "viewer"),
        learners=learners,
        password=DEMO_PASSWORD,
    )


def _activity(db: Session, rng: random.Random, user: User, track: str, now: datetime) -> None:
    """Plays of the track's modules: most finished, some part-way, a few not started."""
    for module in catalogue().track_modules(track):
        roll = rng.random()
        if roll < 0.15:
            continue
        path = _plausible_path(module.scenario, rng)
        if roll < 0.3:
            path = path[: max(1, len(path) // 2)]
        started = now - timedelta(days=rng.randint(1, 50), minutes=rng.randint(0, 600))
        here = walking.replay(module.scenario, path)
        play = ScenarioPlay(
            user_id=user.id,
            module_id=module.id,
            play_no=1,
            module_version=module.version,
            module_hash=module.content_hash,
            stage="debrief" if here.ending else "scenario",
            situation_id=here.id,
            ending_id=here.id if here.ending else None,
            choice_order=walking.choice_orders(module.scenario, rng),
            started_at=started,
            finished_at=started + timedelta(minutes=25) if here.ending else None,
        )
        db.add(play)
        db.flush()
        for number, step in enumerate(path):
            choice = module.scenario.situation(step.situation_id).choice(step.choice_id)
            db.add(
                ScenarioStep(
                    play_id=play.id,
                    module_id=module.id,
                    step_no=number,
                    situation_id=step.situation_id,
                    choice_id=step.choice_id,
                    grade=choice.grade,
                    chosen_at=started + timedelta(minutes=3 * number + 5),
                )
            )


def _plausible_path(scenario: Scenario, rng: random.Random) -> list[walking.Step]:
    """A path where better choices are likelier, as in a real cohort."""
    weights = {"best": 5, "acceptable": 3, "risky": 2, "breach": 1}
    steps, here = [], scenario.situation(scenario.start)
    while not here.ending:
        choice = rng.choices(here.choices, [weights[c.grade] for c in here.choices])[0]
        steps.append(walking.Step(here.id, choice.id))
        here = scenario.situation(choice.next)
    return steps
