"""Cohorts, sections, trainer assignment and enrolment (one by one or from a roster).

Who may enrol whom, checked here whatever page or command calls:
- an administrator enrols anyone in any role and section (and may name a new section);
- a trainer enrols learners only, only into the sections they train, and only people who are
  new or already learners of those sections (so a trainer can move a learner between their own
  sections, but never take one from another section or cohort, nor enrol staff as learners);
- nobody is a learner and staff of the same cohort, and an administrator is never a learner.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock
from course.errors import BadInput, Conflict, CourseError, NotAllowed, NotFound
from course.services import accounts, audit, limits
from course.services.access import Actor, acting, require_admin, staff_cohort_ids, staff_scope
from course.store.db import reading, transaction
from course.store.models import Cohort, Enrolment, Section, User

TRACKS = ("probationer", "refresher")
ROLES = ("learner", "trainer", "viewer")
STAFF_ROLES = ("trainer", "viewer")


@dataclass(frozen=True)
class CohortSummary:
    id: int
    name: str
    track: str
    sections: tuple[str, ...]
    learners: int
    trainers: tuple[str, ...]


@dataclass(frozen=True)
class Enrolled:
    """Someone just enrolled: a new account carries its one-time password."""

    username: str
    full_name: str
    one_time_password: str | None  # None: the account existed and was only enrolled


def _cohort_by_name(db: Session, name: str) -> Cohort:
    cohort = db.scalar(sa.select(Cohort).where(Cohort.name == name.strip()))
    if cohort is None:
        raise NotFound(f"There is no cohort named '{name.strip()[:120]}'.")
    return cohort


def _section(db: Session, cohort: Cohort, name: str, create: bool) -> Section:
    name = limits.fit("section name", name, Section.name)
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
        return _section(db, cohort, name, create=True) if name else None
    scope = staff_scope(db, actor, cohort.id, ("trainer",))
    if not name:
        # a trainer of one section enrols into it; a trainer of the whole cohort into none
        return db.get(Section, next(iter(scope))) if scope else None
    section = _section(db, cohort, name, create=False)
    if scope is not None and section.id not in scope:
        raise NotAllowed(f"You do not train section '{section.name}' of {cohort.name}.")
    return section


def _may_enrol(db: Session, actor: Actor, cohort: Cohort, role: str) -> None:
    if role not in ROLES:
        raise BadInput(f"Role must be one of: {', '.join(ROLES)}.")
    if actor.is_admin:
        return
    staff_scope(db, actor, cohort.id, ("trainer",))
    if role != "learner":
        raise NotAllowed("Trainers enrol learners; an administrator assigns trainers and viewers.")


def _may_take(db: Session, actor: Actor, cohort: Cohort, user: User, role: str, new: bool) -> None:
    """Whether this existing (or just created) person may be given `role` in `cohort`."""
    held = dict(
        db.execute(
            sa.select(Enrolment.role, Enrolment.section_id).where(
                Enrolment.user_id == user.id, Enrolment.cohort_id == cohort.id
            )
        ).all()
    )
    if role == "learner" and (user.is_admin or set(held) & set(STAFF_ROLES)):
        raise Conflict(f"'{user.username}' is staff here, so cannot also be a learner.")
    if role in STAFF_ROLES and "learner" in held:
        raise Conflict(f"'{user.username}' is a learner of {cohort.name}, so cannot be its staff.")
    if actor.is_admin or new:
        return
    scope = staff_scope(db, actor, cohort.id, ("trainer",))
    if "learner" not in held or (scope is not None and held["learner"] not in scope):
        raise NotAllowed(
            f"'{user.username}' is not a learner of the sections you train; "
            "an administrator can enrol existing accounts."
        )


def _enrol(
    db: Session,
    actor: Actor,
    cohort: Cohort,
    user: User,
    role: str,
    section: Section | None,
    new: bool,
) -> None:
    _may_take(db, actor, cohort, user, role, new)
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


def create_cohort(
    actor: Actor,
    name: str,
    track: str,
    sections: Sequence[str] = (),
    trainer: str | None = None,
) -> int:
    """Create a cohort (administrators only), with any sections named and, optionally, an
    existing account as its trainer: all of it, or none."""
    name = limits.fit("cohort name", name, Cohort.name)
    if not name:
        raise BadInput("Give the cohort a name.")
    if track not in TRACKS:
        raise BadInput(f"Track must be one of: {', '.join(TRACKS)}.")
    named = [limits.fit("section name", s, Section.name) for s in sections]
    with transaction() as db:
        admin = require_admin(db, actor)
        if db.scalar(sa.select(Cohort.id).where(Cohort.name == name)) is not None:
            raise Conflict(f"A cohort named '{name}' already exists.")
        cohort = Cohort(name=name, track=track, created_at=clock.now())
        db.add(cohort)
        db.flush()
        for section in dict.fromkeys(s for s in named if s):
            db.add(Section(cohort_id=cohort.id, name=section))
        audit.record(db, admin, "cohort.create", "cohort", cohort.id, name=name, track=track)
        if trainer:
            user = db.scalar(sa.select(User).where(User.username == trainer.strip().lower()))
            if user is None:
                raise NotFound(f"There is no user '{trainer.strip()[:64]}'.")
            enrol_existing(db, admin, name, user, "trainer", None)
        return cohort.id


def enrol(
    actor: Actor, cohort_name: str, username: str, role: str, section: str | None = None
) -> None:
    """Give an existing account a role in a cohort (see the module's rules)."""
    with transaction() as db:
        me = acting(db, actor)
        user = db.scalar(sa.select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise NotFound(f"There is no user '{username.strip()[:64]}'.")
        enrol_existing(db, me, cohort_name, user, role, section)


def enrol_existing(
    db: Session,
    actor: Actor,
    cohort_name: str,
    user: User,
    role: str,
    section: str | None,
    new: bool = False,
) -> None:
    """Enrol a user in the caller's transaction (the caller verified the actor)."""
    cohort = _cohort_by_name(db, cohort_name)
    _may_enrol(db, actor, cohort, role)
    _enrol(db, actor, cohort, user, role, _placement(db, actor, cohort, section), new=new)


def add_member(
    actor: Actor,
    cohort_name: str,
    username: str,
    full_name: str,
    role: str = "learner",
    section: str | None = None,
    email: str | None = None,
) -> Enrolled:
    """Create an account if needed and enrol it; a new account gets a one-time password."""
    prepared = _prepare([(username, full_name, email)])
    with transaction() as db:
        me = acting(db, actor)
        cohort = _cohort_by_name(db, cohort_name)
        _may_enrol(db, me, cohort, role)
        return _add_member(db, me, cohort, prepared, username, role, section)


def _prepare(people: Sequence[tuple[str, str, str | None]]) -> dict[str, accounts.NewAccount]:
    """Accounts to create for the people who have none yet, hashed before any transaction."""
    names = {accounts.check_username(u): (n, e) for u, n, e in people}
    with reading() as db:
        known = set(db.scalars(sa.select(User.username).where(User.username.in_(names))))
    return {
        username: accounts.prepare_account(username, name, email=email)
        for username, (name, email) in names.items()
        if username not in known
    }


def _add_member(
    db: Session,
    actor: Actor,
    cohort: Cohort,
    prepared: dict[str, accounts.NewAccount],
    username: str,
    role: str,
    section: str | None,
) -> Enrolled:
    username = accounts.check_username(username)
    user = db.scalar(sa.select(User).where(User.username == username))
    issued = None
    if user is None:
        if username not in prepared:  # it was there a moment ago: someone removed it
            raise Conflict(f"The account '{username}' changed while enrolling; try again.")
        user = accounts.add_user(db, actor, prepared[username])
        issued = prepared[username].one_time_password
    placed = _placement(db, actor, cohort, section)
    _enrol(db, actor, cohort, user, role, placed, new=issued is not None)
    return Enrolled(username=user.username, full_name=user.full_name, one_time_password=issued)


REQUIRED = ("username", "full_name")
OPTIONAL = ("section", "email")


def parse_roster(text: str) -> list[dict[str, str]]:
    """Rows of a roster CSV, every problem named by its row; raises BadInput listing them all."""
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as problem:
        raise BadInput(f"row 1: the file is not a CSV table ({problem})") from None
    if missing := [h for h in REQUIRED if h not in header]:
        raise BadInput(
            f"row 1: the header lacks {', '.join(missing)} "
            "(expected username,full_name[,section,email])"
        )
    if unknown := [h for h in header if h not in REQUIRED + OPTIONAL]:
        raise BadInput(f"row 1: unknown column(s) {', '.join(unknown)}")
    reader.fieldnames = header
    rows: list[dict[str, str]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    try:
        for number, raw in enumerate(reader, start=2):
            if None in raw:
                problems.append(f"row {number}: more values than columns")
                continue
            row = {k: (raw.get(k) or "").strip() for k in REQUIRED + OPTIONAL}
            if not any(row.values()):
                continue
            try:
                _check_row(row)
            except BadInput as problem:
                problems.append(f"row {number}: {problem}")
                continue
            if row["username"] in seen:
                problems.append(
                    f"row {number}: username '{row['username']}' repeats "
                    f"row {seen[row['username']]}"
                )
            seen[row["username"]] = number
            rows.append(row | {"row": str(number)})
    except csv.Error as problem:
        problems.append(f"row {reader.line_num}: the line cannot be read as CSV ({problem})")
    if problems:
        raise BadInput("\n".join(problems))
    if not rows:
        raise BadInput("The roster has no learners in it.")
    return rows


def _check_row(row: dict[str, str]) -> None:
    row["username"] = accounts.check_username(row["username"])
    if not row["full_name"]:
        raise BadInput("full_name is empty")
    limits.fit("full name", row["full_name"], User.full_name)
    limits.fit("section name", row["section"], Section.name)
    limits.fit("email address", row["email"], User.email)
    if row["email"] and "@" not in row["email"]:
        raise BadInput(f"email '{row['email']}' is not an address")


def import_roster(actor: Actor, cohort_name: str, text: str) -> list[Enrolled]:
    """Enrol every learner in the roster, or none if any row is bad.

    New accounts' passwords are hashed before the one transaction opens, so a long roster
    holds the database's write lock only for the inserts.
    """
    rows = parse_roster(text)
    with reading() as db:  # refuse early, before the slow part
        me = acting(db, actor)
        _may_enrol(db, me, _cohort_by_name(db, cohort_name), "learner")
    prepared = _prepare([(r["username"], r["full_name"], r["email"] or None) for r in rows])
    with transaction() as db:
        me = acting(db, actor)
        cohort = _cohort_by_name(db, cohort_name)
        _may_enrol(db, me, cohort, "learner")
        added, problems = [], []
        for r in rows:
            try:
                with db.begin_nested():  # a refused row leaves nothing half-done behind
                    added.append(
                        _add_member(
                            db, me, cohort, prepared, r["username"], "learner", r["section"]
                        )
                    )
            except CourseError as problem:  # keep going, so every bad row is named at once
                problems.append(f"row {r['row']}: {problem}")
        if problems:
            raise BadInput("\n".join(problems))  # rolls the whole roster back
        audit.record(db, me, "roster.import", "cohort", cohort.id, rows=len(rows))
        return added


def list_cohorts(actor: Actor) -> list[CohortSummary]:
    """Cohorts the actor may see: all for administrators, their own for trainers and viewers."""
    with reading() as db:
        me = acting(db, actor)
        query = sa.select(Cohort).order_by(Cohort.created_at.desc(), Cohort.name)
        if not me.is_admin:
            query = query.where(Cohort.id.in_(staff_cohort_ids(db, me, STAFF_ROLES)))
        cohorts = db.scalars(query).all()
        ids = [c.id for c in cohorts]
        learners = dict(
            db.execute(
                sa.select(Enrolment.cohort_id, sa.func.count())
                .where(Enrolment.role == "learner", Enrolment.cohort_id.in_(ids))
                .group_by(Enrolment.cohort_id)
            ).all()
        )
        sections: dict[int, list[str]] = {}
        for cohort_id, name in db.execute(
            sa.select(Section.cohort_id, Section.name)
            .where(Section.cohort_id.in_(ids))
            .order_by(Section.name)
        ):
            sections.setdefault(cohort_id, []).append(name)
        trainers: dict[int, list[str]] = {}
        for cohort_id, name in db.execute(
            sa.select(Enrolment.cohort_id, User.full_name)
            .join(User, User.id == Enrolment.user_id)
            .where(Enrolment.role == "trainer", Enrolment.cohort_id.in_(ids))
            .order_by(User.full_name)
        ):
            trainers.setdefault(cohort_id, []).append(name)
        return [
            CohortSummary(
                id=c.id,
                name=c.name,
                track=c.track,
                sections=tuple(sections.get(c.id, [])),
                learners=learners.get(c.id, 0),
                trainers=tuple(trainers.get(c.id, [])),
            )
            for c in cohorts
        ]
