"""Who may see what: the acting user, and the checks every service makes before it reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock
from course.errors import NotAllowed
from course.store.db import reading
from course.store.models import Enrolment


@dataclass(frozen=True)
class Actor:
    """The signed-in person (or the command line, which acts as an administrator)."""

    user_id: int | None
    username: str
    full_name: str
    is_admin: bool = False

    @classmethod
    def command_line(cls) -> Actor:
        return cls(
            user_id=None,
            username="command line",
            full_name="Command line",
            is_admin=True,
        )


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotAllowed("Only an administrator can do this.")


def _active(query: sa.Select[Any]) -> sa.Select[Any]:
    now = clock.now()
    return query.where(
        Enrolment.starts_at <= now,
        sa.or_(Enrolment.ends_at.is_(None), Enrolment.ends_at > now),
    )


def staff_scope(
    db: Session, actor: Actor, cohort_id: int, roles: tuple[str, ...]
) -> set[int] | None:
    """Sections of a cohort the actor may see in one of `roles`: None means the whole cohort.

    Raises NotAllowed when the actor holds none of those roles there.
    """
    if actor.is_admin:
        return None
    rows = db.scalars(
        _active(
            sa.select(Enrolment).where(
                Enrolment.user_id == actor.user_id,
                Enrolment.cohort_id == cohort_id,
                Enrolment.role.in_(roles),
            )
        )
    ).all()
    if not rows:
        raise NotAllowed("You are not assigned to this cohort.")
    if any(row.section_id is None for row in rows):
        return None
    return {row.section_id for row in rows if row.section_id is not None}


def learner_enrolments(db: Session, actor: Actor) -> list[Enrolment]:
    """The actor's current learner enrolments."""
    return list(
        db.scalars(
            _active(
                sa.select(Enrolment).where(
                    Enrolment.user_id == actor.user_id, Enrolment.role == "learner"
                )
            ).order_by(Enrolment.starts_at)
        )
    )


def staff_cohort_ids(db: Session, actor: Actor, roles: tuple[str, ...]) -> list[int]:
    """Cohorts where the actor holds one of the staff roles."""
    return list(
        db.scalars(
            _active(
                sa.select(Enrolment.cohort_id).where(
                    Enrolment.user_id == actor.user_id, Enrolment.role.in_(roles)
                )
            ).distinct()
        )
    )


def roles(actor: Actor) -> frozenset[str]:
    """The roles the actor holds now: admin (site-wide), learner, trainer, viewer."""
    with reading() as db:
        held = set(
            db.scalars(
                _active(
                    sa.select(Enrolment.role).where(Enrolment.user_id == actor.user_id)
                ).distinct()
            )
        )
    if actor.is_admin:
        held.add("admin")
    return frozenset(held)
