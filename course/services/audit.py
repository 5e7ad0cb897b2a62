"""The audit log: every administrative action leaves a row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock
from course.services.access import Actor, require_admin
from course.store.db import reading
from course.store.models import AuditEntry, User


def record(
    db: Session,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: object,
    via: str | None = None,
    **detail: Any,
) -> None:
    """Add an audit row in the caller's transaction: it commits or rolls back with the action.

    `via` says where an action without a signed-in person came from (the command line unless
    told otherwise, e.g. the first-time setup page).
    """
    if via is not None or actor.is_command_line:
        detail["via"] = via or "command line"
    db.add(
        AuditEntry(
            actor_id=actor.user_id,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            detail=detail,
            at=clock.now(),
        )
    )


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    who: str
    action: str
    target: str
    detail: str


def recent(actor: Actor, limit: int = 100) -> list[AuditRow]:
    """The latest audit rows (administrators only)."""
    with reading() as db:
        require_admin(db, actor)
        rows = db.execute(
            sa.select(AuditEntry, User.username)
            .outerjoin(User, User.id == AuditEntry.actor_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        ).all()
    return [
        AuditRow(
            at=entry.at,
            who=username or str(entry.detail.get("via", "command line")),
            action=entry.action,
            target=f"{entry.target_type} {entry.target_id}",
            detail=", ".join(f"{k}={v}" for k, v in sorted(entry.detail.items())),
        )
        for entry, username in rows
    ]
