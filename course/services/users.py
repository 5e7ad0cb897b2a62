"""Adding one account with a role (the command line's `users add`): the account and its
enrolment are made together, or neither."""

from __future__ import annotations

from course.errors import BadInput
from course.services import accounts, cohorts
from course.services.access import Actor, require_admin
from course.store.db import transaction


def add(
    actor: Actor,
    username: str,
    role: str,
    *,
    full_name: str,
    cohort: str | None = None,
    section: str | None = None,
    password: str | None = None,
) -> str | None:
    """Create an account with a role; returns the one-time password when none was given."""
    if role == "admin" and cohort:
        raise BadInput("Administrators are site-wide: leave out --cohort.")
    if role in cohorts.STAFF_ROLES and cohort is None:
        raise BadInput(f"A {role} belongs to a cohort: add --cohort NAME.")
    new = accounts.prepare_account(username, full_name, password=password)  # hashed first
    with transaction() as db:
        admin = require_admin(db, actor)
        user = accounts.add_user(db, admin, new, is_admin=role == "admin")
        if cohort is not None:
            cohorts.enrol_existing(db, admin, cohort, user, role, section, new=True)
    return new.one_time_password
