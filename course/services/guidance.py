"""Guidance for staff about the content itself: how the course grades each recurring act."""

from __future__ import annotations

from course.content.current import catalogue
from course.content.grading_policy import policy_markdown
from course.errors import NotAllowed
from course.services.access import Actor, acting, roles_of
from course.store.db import reading

STAFF_ROLES = frozenset({"trainer", "viewer", "admin"})


def grading_policy(actor: Actor) -> str:
    """The grading policy as Markdown, for trainers, viewers and administrators.

    Learners do not see it: it would tell them each scenario choice's grade before they choose.
    """
    with reading() as db:
        me = acting(db, actor)
        if not me.is_command_line and not roles_of(db, me) & STAFF_ROLES:
            raise NotAllowed(
                "How the course grades is shown to trainers, viewers and administrators."
            )
    return policy_markdown(catalogue(), file=False)
