"""Certificates: issued when a learner completes their track (the probationer course, or a
refresher cycle), expiring after the track's period (12 months unless the track says), reissued
on recompletion with the history kept, revocable by an administrator with a reason in the
audit log, and checked by anyone, without an account, on a throttled verification page.

`award` runs inside the transaction of the act that may complete the track (finishing an
attempt or a scenario), so a certificate exists exactly when its completion does. The PDF is
made on request from the stored facts (course/certificates/document.py), outside any
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from course import clock, config
from course.certificates import document
from course.content.current import catalogue
from course.content.schema import Track
from course.errors import BadInput, NotAllowed, NotFound
from course.learning import certification
from course.learning.certification import State
from course.services import audit
from course.services.access import Actor, acting, require_admin, tracks_of_learner
from course.store.db import reading, transaction
from course.store.models import (
    Attempt,
    Certificate,
    ScenarioPlay,
    User,
    VerificationThrottle,
)

# look-ups allowed per client in a window: plenty for a person checking a few certificates,
# hopeless for guessing 80-bit codes
LOOKUPS_PER_WINDOW = 10
LOOKUPS_PER_WINDOW_IN_ALL = 1000
WINDOW = timedelta(minutes=10)
EVERYONE = "*"  # the throttle row counting every client's look-ups
VERIFY_HINT = "Check it on the course's “Verify a certificate” page, which needs no account."
STATES: dict[State, str] = {
    "valid": "Valid: this certificate is current.",
    "expired": "Expired: this certificate was valid but has run out.",
    "revoked": "Revoked: the academy has withdrawn this certificate.",
    "unknown": "Unknown: no certificate has this code. Check the code and try again.",
}


@dataclass(frozen=True)
class CertificateView:
    id: int
    code: str
    name: str
    track: str  # the track's title
    completed_at: datetime
    expires_at: datetime
    state: State
    revoked_reason: str | None


@dataclass(frozen=True)
class Verification:
    """What the public page may say: the state, and which track and dates the code is for (so a
    verifier can match the paper), never who holds it."""

    state: State
    track: str | None = None
    completed_at: datetime | None = None
    expires_at: datetime | None = None

    @property
    def sentence(self) -> str:
        return STATES[self.state]


def months(track: Track) -> int:
    return track.certificate_months or certification.DEFAULT_MONTHS


# ---- issuing ----


def _requirements(track: Track) -> list[str]:
    content = catalogue()
    modules = [f"module:{m.id}" for m in content.track_modules(track.id)]
    graded = [f"quiz:{q}" for q in track.quizzes if content.quiz(q).graded]
    return modules + graded


def _events(db: Session, user_id: int, track: Track) -> dict[str, list[datetime]]:
    """When the learner met each requirement: each finished play, each passed attempt."""
    content = catalogue()
    events: dict[str, list[datetime]] = {}
    for module_id, finished_at in db.execute(
        sa.select(ScenarioPlay.module_id, ScenarioPlay.finished_at).where(
            ScenarioPlay.user_id == user_id,
            ScenarioPlay.module_id.in_(track.modules),
            ScenarioPlay.finished_at.is_not(None),
        )
    ):
        if finished_at is not None:  # (the query asks for finished plays only)
            events.setdefault(f"module:{module_id}", []).append(finished_at)
    for quiz_id, finished_at, score in db.execute(
        sa.select(Attempt.quiz_id, Attempt.finished_at, Attempt.score).where(
            Attempt.user_id == user_id,
            Attempt.quiz_id.in_(track.quizzes),
            Attempt.finished_at.is_not(None),
        )
    ):
        if (
            finished_at is not None
            and score is not None
            and score >= content.quiz(quiz_id).pass_mark
        ):
            events.setdefault(f"quiz:{quiz_id}", []).append(finished_at)
    return events


def award(db: Session, user_id: int, now: datetime) -> list[Certificate]:
    """Issue a certificate for each track the learner has newly completed, in the caller's
    transaction; the new certificates (usually none)."""
    issued = []
    for track_id in sorted(tracks_of_learner(db, user_id)):
        track = catalogue().track(track_id)
        last = db.scalar(
            sa.select(sa.func.max(Certificate.completed_at)).where(
                Certificate.user_id == user_id, Certificate.track == track_id
            )
        )
        window = (
            certification.add_months(now, -track.certificate_months)
            if track.certificate_months
            else None
        )
        after = max((t for t in (last, window) if t is not None), default=None)
        completed = certification.completed_at(
            _events(db, user_id, track), _requirements(track), after
        )
        if completed is None:
            continue
        user = db.get(User, user_id)
        assert user is not None
        certificate = Certificate(
            code=certification.new_code(),
            user_id=user_id,
            track=track_id,
            name=user.full_name,
            completed_at=completed,
            issued_at=now,
            expires_at=certification.add_months(completed, months(track)),
        )
        db.add(certificate)
        issued.append(certificate)
    if issued:
        db.flush()
    return issued


# ---- the learner's own ----


def _view(certificate: Certificate, now: datetime) -> CertificateView:
    tracks = catalogue().tracks
    return CertificateView(
        id=certificate.id,
        code=certificate.code,
        name=certificate.name,
        track=tracks[certificate.track].title if certificate.track in tracks else certificate.track,
        completed_at=certificate.completed_at,
        expires_at=certificate.expires_at,
        state=certification.state(certificate.expires_at, certificate.revoked_at, now),
        revoked_reason=certificate.revoked_reason,
    )


def held(db: Session, user_id: int) -> list[CertificateView]:
    """A person's certificates, newest first (the history: expired and revoked ones too), in
    the caller's transaction, for a caller that has checked who is acting."""
    now = clock.now()
    rows = db.scalars(
        sa.select(Certificate)
        .where(Certificate.user_id == user_id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ).all()
    return [_view(c, now) for c in rows]


def mine(actor: Actor) -> list[CertificateView]:
    """The actor's certificates, newest first."""
    with reading() as db:
        me = acting(db, actor)
        assert me.user_id is not None
        return held(db, me.user_id)


def pdf(actor: Actor, certificate_id: int) -> tuple[str, bytes]:
    """One of the actor's own certificates as a PDF (file name, bytes); an administrator may
    print anyone's. Refused, in the same words, for one that is not theirs or does not exist."""
    now = clock.now()
    with reading() as db:
        me = acting(db, actor)
        found = db.get(Certificate, certificate_id)
        if found is None or (found.user_id != me.user_id and not me.is_admin):
            raise NotFound("There is no such certificate of yours.")
        view = _view(found, now)
    if view.state == "revoked":
        raise NotAllowed("This certificate has been revoked, so it cannot be printed.")
    zone = config.timezone()
    facts = document.Facts(
        academy=config.ACADEMY_NAME,
        course=config.COURSE_TITLE,
        name=view.name,
        track=view.track,
        completed_on=view.completed_at.astimezone(zone).date(),
        expires_on=view.expires_at.astimezone(zone).date(),
        code=view.code,
        verify_hint=VERIFY_HINT,
    )
    return f"certificate-{view.code}.pdf", document.render(facts)


def _by_code(db: Session, code: str, lock: bool = False) -> Certificate | None:
    """The certificate a code names, typed any way a person might; None for no such code."""
    wanted = certification.normalise_code(code)
    if wanted is None:
        return None
    query = sa.select(Certificate).where(Certificate.code == wanted)
    return db.scalar(query.with_for_update() if lock else query)


# ---- verifying (public) ----


def _count_lookup(db: Session, client: str, allowed: int, now: datetime) -> None:
    throttle = db.get(VerificationThrottle, client, with_for_update=True)
    if throttle is None:
        throttle = VerificationThrottle(client=client, window_started_at=now, lookups=0)
        db.add(throttle)
    elif throttle.window_started_at + WINDOW <= now:
        throttle.window_started_at, throttle.lookups = now, 0
    if throttle.lookups >= allowed:
        minutes = max(1, round((throttle.window_started_at + WINDOW - now).total_seconds() / 60))
        raise NotAllowed(
            f"Too many look-ups {'from here' if client != EVERYONE else 'just now'}. Try again "
            f"in {minutes} minute{'' if minutes == 1 else 's'}."
        )
    throttle.lookups += 1


def verify(code: str, client: str) -> Verification:
    """What anyone may learn from a code: valid, expired, revoked or unknown (and the track and
    dates it is for). Counted per client (the address the request came from); too many look-ups
    in a window are refused until it ends."""
    now = clock.now()
    with transaction() as db:
        # addresses from earlier days are forgotten, so the table stays small
        db.execute(
            sa.delete(VerificationThrottle).where(
                VerificationThrottle.window_started_at < now - timedelta(days=1)
            )
        )
        _count_lookup(db, (client or "unknown")[:64], LOOKUPS_PER_WINDOW, now)
        # and all clients together: addresses can be many, or spoofed
        _count_lookup(db, EVERYONE, LOOKUPS_PER_WINDOW_IN_ALL, now)
    with reading() as db:
        found = _by_code(db, code)
        if found is None:
            return Verification("unknown")
        view = _view(found, now)
    return Verification(view.state, view.track, view.completed_at, view.expires_at)


# ---- administering ----


def find(actor: Actor, code: str) -> CertificateView:
    """A certificate by its code, for an administrator (with the name it was issued to)."""
    with reading() as db:
        require_admin(db, actor)
        found = _by_code(db, code)
        if found is None:
            raise NotFound("No certificate has this code.")
        return _view(found, clock.now())


def revoke(actor: Actor, code: str, reason: str) -> CertificateView:
    """Withdraw a certificate (administrators), with the reason in the audit log."""
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise BadInput("Say why the certificate is revoked (at least 10 characters).")
    if len(reason) > 500:
        raise BadInput("Keep the reason under 500 characters.")
    now = clock.now()
    with transaction() as db:
        me = require_admin(db, actor)
        found = _by_code(db, code, lock=True)
        if found is None:
            raise NotFound("No certificate has this code.")
        if found.revoked_at is not None:
            raise BadInput("This certificate is already revoked.")
        found.revoked_at, found.revoked_reason = now, reason
        audit.record(
            db,
            me,
            "revoke certificate",
            "certificate",
            found.code,
            reason=reason,
            holder=found.user_id,
            track=found.track,
        )
        db.flush()
        return _view(found, now)
