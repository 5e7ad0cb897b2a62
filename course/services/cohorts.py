"""Cohorts, sections, trainer assignment and enrolment (one by one or from a roster)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock
from course.errors import BadInput, Conflict, CourseError, NotAllowed, NotFound
from course.services import accounts, audit
from course.services.access import Actor, require_admin, staff_cohort_ids, staff_scope
from course.store.db import reading, transaction
from course.store.models import Cohort, Enrolment, Section, User

TRACKS = ("probationer", "refresher")
ROLES = ("learner", "trainer", "viewer")


@dataclass(frozen=True)
class CohortSummary:
    id: int
    name: str
    track: str
    sections: tuple[str, ...]
    learners: int
    trainers: tuple[str, ...]


@dataclass(frozen=True)
class NewAccount:
    username: str
    full_name: str
    one_time_password: str | None  # None: the account existed and was only enrolled


def _cohort_by_name(db: Session, name: str) -> Cohort:
    cohort = db.scalar(sa.select(Cohort).where(Cohort.name == name))
    if cohort is None:
        raise NotFound(f"There is no cohort named '{name}'.")
    return cohort


def _section(db: Session, cohort: Cohort, name: str | None, create: bool) -> Section | None:
    if not name:
        return None
    found = db.scalar(
        sa.select(Section).where(Section.cohort_id == cohort.id, Section.name == name)
    )
    if found is None and create:
        found = Section(cohort_id=cohort.id, name=name)
        db.add(found)
        db.flush()
    if found is None:
        raise NotFound(f"Cohort '{cohort.name}' has no section '{name}'.")
    return found


def _placement(db: Session, actor: Actor, cohort: Cohort, name: str | None) -> Section | None:
    """The section to enrol into: administrators may name a new one, trainers only their own."""
    if actor.is_admin:
        return _section(db, cohort, name, create=True)
    scope = staff_scope(db, actor, cohort.id, ("trainer",))
    if not name:
        if scope is None:
            return None
        if len(scope) == 1:
            return db.get(Section, next(iter(scope)))
        raise BadInput("Name the section to enrol into: you train more than one.")
    section = _section(db, cohort, name, create=False)
    if scope is not None and section is not None and section.id not in scope:
        raise NotAllowed(f"You do not train section '{name}' of {cohort.name}.")
    return section


def create_cohort(actor: Actor, name: str, track: str, sections: Sequence[str] = ()) -> int:
    """Create a cohort (administrators only), with any sections named."""
    name = name.strip()
    if not name:
        raise BadInput("Give the cohort a name.")
    if track not in TRACKS:
        raise BadInput(f"Track must be one of: {', '.join(TRACKS)}.")
    with transaction() as db:
        require_admin(actor)
        if db.scalar(sa.select(Cohort.id).where(Cohort.name == name)) is not None:
            raise Conflict(f"A cohort named '{name}' already exists.")
        cohort = Cohort(name=name, track=track, created_at=clock.now())
        db.add(cohort)
        db.flush()
        for section in dict.fromkeys(s.strip() for s in sections if s.strip()):
            db.add(Section(cohort_id=cohort.id, name=section))
        audit.record(db, actor, "cohort.create", "cohort", cohort.id, name=name, track=track)
        return cohort.id


def enrol(
    actor: Actor, cohort_name: str, username: str, role: str, section: str | None = None
) -> None:
    """Give an existing user a role in a cohort (admins any role; trainers enrol learners)."""
    with transaction() as db:
        user = db.scalar(sa.select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise NotFound(f"There is no user '{username}'.")
        enrol_user(db, actor, cohort_name, user, role, section)


def enrol_user(
    db: Session, actor: Actor, cohort_name: str, user: User, role: str, section: str | None
) -> None:
    """Enrol a user in the caller's transaction, after the same checks as `enrol`."""
    cohort = _cohort_by_name(db, cohort_name)
    _may_enrol(db, actor, cohort, role)
    _enrol(db, actor, cohort, user, role, _placement(db, actor, cohort, section))


def _may_enrol(db: Session, actor: Actor, cohort: Cohort, role: str) -> None:
    if role not in ROLES:
        raise BadInput(f"Role must be one of: {', '.join(ROLES)}.")
    if actor.is_admin:
        return
    staff_scope(db, actor, cohort.id, ("trainer",))
    if role != "learner":
        raise NotAllowed("Trainers enrol learners; an administrator assigns trainers and viewers.")


def _enrol(
    db: Session,
    actor: Actor,
    cohort: Cohort,
    user: User,
    role: str,
    section: Section | None,
) -> None:
    existing = db.scalar(
        sa.select(Enrolment).where(
            Enrolment.user_id == user.id,
            Enrolment.cohort_id == cohort.id,
            Enrolment.role == role,
        )
    )
    if existing is not None:
        existing.section_id = section.id if section else existing.section_id
        existing.ends_at = None
    else:
        db.add(
            Enrolment(
                user_id=user.id,
                cohort_id=cohort.id,
                section_id=section.id if section else None,
                role=role,
                starts_at=clock.now(),
            )
        )
    audit.record(
        db,
        actor,
        "enrolment.set",
        "cohort",
        cohort.id,
        user=user.username,
        role=role,
        section=section.name if section else None,
    )


def add_member(
    actor: Actor,
    cohort_name: str,
    username: str,
    full_name: str,
    role: str = "learner",
    section: str | None = None,
    email: str | None = None,
) -> NewAccount:
    """Create an account if needed and enrol it; a new account gets a one-time password."""
    with transaction() as db:
        cohort = _cohort_by_name(db, cohort_name)
        _may_enrol(db, actor, cohort, role)
        return _add_member(db, actor, cohort, username, full_name, role, section, email)


def _add_member(
    db: Session,
    actor: Actor,
    cohort: Cohort,
    username: str,
    full_name: str,
    role: str,
    section: str | None,
    email: str | None,
) -> NewAccount:
    username = accounts.check_username(username)
    user = db.scalar(sa.select(User).where(User.username == username))
    issued = None
    if user is None:
        user, issued = accounts.add_user(db, actor, username, full_name, email=email or None)
    _enrol(db, actor, cohort, user, role, _placement(db, actor, cohort, section))
    return NewAccount(username=user.username, full_name=user.full_name, one_time_password=issued)


REQUIRED = ("username", "full_name")
OPTIONAL = ("section", "email")


def parse_roster(text: str) -> list[dict[str, str]]:
    """Rows of a roster CSV, every problem named by its row; raises BadInput listing them all."""
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if missing := [h for h in REQUIRED if h not in header]:
        raise BadInput(
            f"row 1: the header lacks {', '.join(missing)} "
            "(expected username,full_name[,section,email])"
        )
    if unknown := [h for h in header if h not in REQUIRED + OPTIONAL]:
        raise BadInput(f"row 1: unknown column(s) {', '.join(unknown)}")
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            problems.append(f"row {number}: more values than columns")
            continue
        row = {k: (raw.get(k) or "").strip() for k in REQUIRED + OPTIONAL}
        if not any(row.values()):
            continue
        try:
            row["username"] = accounts.check_username(row["username"])
        except BadInput as problem:
            problems.append(f"row {number}: {problem}")
            continue
        if not row["full_name"]:
            problems.append(f"row {number}: full_name is empty")
        if row["email"] and "@" not in row["email"]:
            problems.append(f"row {number}: email '{row['email']}' is not an address")
        if row["username"] in seen:
            problems.append(
                f"row {number}: username '{row['username']}' repeats row {seen[row['username']]}"
            )
        seen[row["username"]] = number
        rows.append(row | {"row": str(number)})
    if problems:
        raise BadInput("\n".join(problems))
    if not rows:
        raise BadInput("The roster has no learners in it.")
    return rows


def import_roster(actor: Actor, cohort_name: str, text: str) -> list[NewAccount]:
    """Enrol every learner in the roster, or none if any row is bad."""
    rows = parse_roster(text)
    with transaction() as db:
        cohort = _cohort_by_name(db, cohort_name)
        _may_enrol(db, actor, cohort, "learner")
        added, problems = [], []
        for r in rows:
            try:
                added.append(
                    _add_member(
                        db,
                        actor,
                        cohort,
                        r["username"],
                        r["full_name"],
                        "learner",
                        r["section"] or None,
                        r["email"],
                    )
                )
            except CourseError as problem:  # keep going, so every bad row is named at once
                problems.append(f"row {r['row']}: {problem}")
        if problems:
            raise BadInput("\n".join(problems))  # rolls the whole roster back
        audit.record(db, actor, "roster.import", "cohort", cohort.id, rows=len(rows))
        return added


def list_cohorts(actor: Actor) -> list[CohortSummary]:
    """Cohorts the actor may see: all for administrators, their own for trainers and viewers."""
    with reading() as db:
        query = sa.select(Cohort).order_by(Cohort.created_at.desc(), Cohort.name)
        if not actor.is_admin:
            query = query.where(Cohort.id.in_(staff_cohort_ids(db, actor, ("trainer", "viewer"))))
        cohorts = db.scalars(query).all()
        learners = dict(
            db.execute(
                sa.select(Enrolment.cohort_id, sa.func.count())
                .where(Enrolment.role == "learner")
                .group_by(Enrolment.cohort_id)
            ).all()
        )
        trainers: dict[int, list[str]] = {}
        for cohort_id, name in db.execute(
            sa.select(Enrolment.cohort_id, User.full_name)
            .join(User, User.id == Enrolment.user_id)
            .where(Enrolment.role == "trainer")
            .order_by(User.full_name)
        ):
            trainers.setdefault(cohort_id, []).append(name)
        return [
            CohortSummary(
                id=c.id,
                name=c.name,
                track=c.track,
                sections=tuple(s.name for s in c.sections),
                learners=learners.get(c.id, 0),
                trainers=tuple(trainers.get(c.id, [])),
            )
            for c in cohorts
        ]
