"""Adding people from the command line and the admin page: an account, and optionally a role."""

from __future__ import annotations

from course.errors import BadInput
from course.services import accounts, cohorts
from course.services.access import Actor, require_admin
from course.store.db import transaction


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
    if role in ("trainer", "viewer") and cohort is None:
        raise BadInput(f"A {role} belongs to a cohort: add --cohort NAME.")
    with transaction() as db:  # the account and its enrolment, or neither
        user, issued = accounts.add_user(
            db, actor, username, full_name, password=password, is_admin=role == "admin"
        )
        if cohort is not None:
            cohorts.enrol_user(db, actor, cohort, user, role, section)
    return issued
