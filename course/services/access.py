"""Who may see what: the acting person, checked against the records in every unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock
from course.errors import NotAllowed
from course.store.models import Cohort, Enrolment, SignInSession, User

SIGNED_OUT = "Your sign-in has ended (signed out, expired or revoked). Sign in again to go on."


@dataclass(frozen=True)
class Actor:
    """A signed-in person acting through one sign-in session, or the server's command line.

    A value of this class proves nothing by itself: every service passes it to `acting`, which
    checks the session and the account in the service's own transaction.
    """

    user_id: int | None
    username: str
    full_name: str
    is_admin: bool = False
    session_id: int | None = None  # None only for the command line

    @classmethod
    def command_line(cls) -> Actor:
        """The operator at the server's command line (who could edit the database anyway)."""
        return cls(user_id=None, username="command line", full_name="Command line", is_admin=True)

    @property
    def is_command_line(self) -> bool:
        return self.user_id is None


def open_session(now: datetime) -> sa.ColumnElement[bool]:
    """Conditions on SignInSession for a sign-in that is neither revoked nor expired."""
    return sa.and_(SignInSession.revoked_at.is_(None), SignInSession.expires_at > now)


def acting(db: Session, actor: Actor, *, ready: bool = True) -> Actor:
    """The actor as the records know them now, in the caller's transaction.

    A person acts through an open sign-in session of their own on an active account; whether
    they are an administrator comes from the records, not from the value passed in. With
    `ready`, the person must also have chosen their password and accepted the data notice.
    """
    if actor.is_command_line:
        if actor != Actor.command_line():
            raise NotAllowed(SIGNED_OUT)
        return actor
    if actor.session_id is None:
        raise NotAllowed(SIGNED_OUT)
    row = db.execute(
        sa.select(
            User.username,
            User.full_name,
            User.is_admin,
            User.must_change_password,
            User.notice_accepted_at,
        )
        .join(SignInSession, SignInSession.user_id == User.id)
        .where(
            SignInSession.id == actor.session_id,
            User.id == actor.user_id,
            User.deactivated_at.is_(None),
            open_session(clock.now()),
        )
    ).first()
    if row is None:
        raise NotAllowed(SIGNED_OUT)
    if ready and (row.must_change_password or row.notice_accepted_at is None):
        raise NotAllowed("Choose your password and read the data notice first.")
    return Actor(actor.user_id, row.username, row.full_name, row.is_admin, actor.session_id)


def require_admin(db: Session, actor: Actor) -> Actor:
    """The verified actor, who must be an administrator."""
    checked = acting(db, actor)
    if not checked.is_admin:
        raise NotAllowed("Only an administrator can do this.")
    return checked


def in_force(now: datetime) -> sa.ColumnElement[bool]:
    """Conditions on Enrolment for one that has started and not ended."""
    return sa.and_(
        Enrolment.starts_at <= now, sa.or_(Enrolment.ends_at.is_(None), Enrolment.ends_at > now)
    )


AnySelect = TypeVar("AnySelect", bound=sa.Select[*tuple[Any, ...]])


def active(query: AnySelect) -> AnySelect:
    """Only enrolments in force now."""
    return query.where(in_force(clock.now()))


def staff_scope(
    db: Session, actor: Actor, cohort_id: int, roles: tuple[str, ...]
) -> set[int] | None:
    """Sections of a cohort a verified actor may see in one of `roles`: None means all of it.

    Raises NotAllowed when the actor holds none of those roles there.
    """
    if actor.is_admin:
        return None
    rows = db.execute(
        active(
            sa.select(Enrolment.section_id).where(
                Enrolment.user_id == actor.user_id,
                Enrolment.cohort_id == cohort_id,
                Enrolment.role.in_(roles),
            )
        )
    ).all()
    if not rows:
        wanted = " or ".join(roles)
        raise NotAllowed(f"You are not this cohort's {wanted}.")
    sections = {section_id for (section_id,) in rows}
    if None in sections:
        return None
    return {section_id for section_id in sections if section_id is not None}


def learners_in_view(cohort_id: int, sections: set[int] | None) -> sa.ColumnElement[bool]:
    """A condition on Enrolment: the cohort's learners in the sections in view (None: all),
    as `staff_scope` gives them. Every report selects its learners with this one condition."""
    conditions = [Enrolment.cohort_id == cohort_id, Enrolment.role == "learner"]
    if sections is not None:
        conditions.append(Enrolment.section_id.in_(sections))
    return sa.and_(*conditions)


def learner_tracks(db: Session, actor: Actor) -> set[str]:
    """The tracks a verified actor is a learner in now (one query: checked on every page)."""
    return tracks_of_learner(db, actor.user_id)


def tracks_of_learner(db: Session, user_id: int | None) -> set[str]:
    """The tracks a person is a learner in now, for a caller that has checked who acts."""
    return set(
        db.scalars(
            active(
                sa.select(Cohort.track)
                .join(Enrolment, Enrolment.cohort_id == Cohort.id)
                .where(Enrolment.user_id == user_id, Enrolment.role == "learner")
            )
        )
    )


def staff_cohort_ids(db: Session, actor: Actor, roles: tuple[str, ...]) -> list[int]:
    """Cohorts where a verified actor holds one of the staff roles."""
    return list(
        db.scalars(
            active(
                sa.select(Enrolment.cohort_id).where(
                    Enrolment.user_id == actor.user_id, Enrolment.role.in_(roles)
                )
            ).distinct()
        )
    )


def roles_of(db: Session, actor: Actor) -> frozenset[str]:
    """The roles a verified actor holds now: admin (site-wide), learner, trainer, viewer."""
    held = set(
        db.scalars(
            active(sa.select(Enrolment.role).where(Enrolment.user_id == actor.user_id)).distinct()
        )
    )
    if actor.is_admin:
        held.add("admin")
    return frozenset(held)
