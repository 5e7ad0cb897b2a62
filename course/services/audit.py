"""The audit log: every administrative action leaves a row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock
from course.clock import as_utc
from course.services.access import Actor, require_admin
from course.store.db import reading
from course.store.models import AuditEntry, User


def record(
    db: Session,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: object,
    **detail: Any,
) -> None:
    """Add an audit row in the caller's transaction: it commits or rolls back with the action."""
    if actor.user_id is None:
        detail["via"] = "command line"
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
    require_admin(actor)
    with reading() as db:
        rows = db.execute(
            sa.select(AuditEntry, User.username)
            .outerjoin(User, User.id == AuditEntry.actor_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        ).all()
    return [
        AuditRow(
            at=as_utc(entry.at),
            who=username or "command line",
            action=entry.action,
            target=f"{entry.target_type} {entry.target_id}",
            detail=", ".join(f"{k}={v}" for k, v in sorted(entry.detail.items())),
        )
        for entry, username in rows
    ]
