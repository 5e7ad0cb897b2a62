"""Adding people from the command line and the admin page: an account, and optionally a role."""

from __future__ import annotations

import sqlalchemy as sa

from course.errors import BadInput
from course.services import accounts, cohorts
from course.services.access import Actor, require_admin
from course.store.db import transaction
from course.store.models import Cohort


def add(
    username: str,
    role: str,
    *,
    full_name: str,
    cohort: str | None = None,
    section: str | None = None,
    password: str | None = None,
    actor: Actor | None = None,
) -> str | None:
    """Create an account with a role; returns the one-time password when none was given."""
    actor = actor or Actor.command_line()
    require_admin(actor)
    if role == "admin" and cohort:
        raise BadInput("Administrators are site-wide: leave out --cohort.")
    if role != "admin" and cohort is None and role != "learner":
        raise BadInput(f"A {role} belongs to a cohort: add --cohort NAME.")
    with transaction() as db:
        if (
            cohort is not None
            and db.scalar(sa.select(Cohort.id).where(Cohort.name == cohort)) is None
        ):
            raise BadInput(f"There is no cohort named '{cohort}'.")
        _, issued = accounts.add_user(
            db, actor, username, full_name, password=password, is_admin=role == "admin"
        )
    if cohort is not None:
        cohorts.enrol(actor, cohort, username, role, section)
    return issued
