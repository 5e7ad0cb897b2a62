"""The course's records as typed SQLAlchemy models: data only, no queries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NotRequired, TypedDict

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A moment in UTC: SQLite hands back naive values, so they are marked UTC on the way out."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("store timezone-aware times only")
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


Stamp = UTCDateTime()


class SlotLayout(TypedDict):
    """One slot of an attempt as it was laid out when the attempt started."""

    slot: int
    question_id: str
    hash: str  # the question version's content hash
    order: list[str]  # option, pair or item ids in the order shown
    why: NotRequired[str]  # a review session's reason for asking it


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: sa.JSON, list[Any]: sa.JSON}


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_demo: Mapped[bool] = mapped_column(default=False)
    notice_accepted_at: Mapped[datetime | None] = mapped_column(Stamp)
    created_at: Mapped[datetime] = mapped_column(Stamp)
    deactivated_at: Mapped[datetime | None] = mapped_column(Stamp)


class Cohort(Base):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    track: Mapped[str] = mapped_column(sa.String(32))
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(Stamp)

    sections: Mapped[list[Section]] = relationship(back_populates="cohort", order_by="Section.name")


class Section(Base):
    __tablename__ = "section"
    __table_args__ = (sa.UniqueConstraint("cohort_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))

    cohort: Mapped[Cohort] = relationship(back_populates="sections")


class Enrolment(Base):
    """A role held by a user in a cohort (and optionally one section of it), for a period."""

    __tablename__ = "enrolment"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "cohort_id", "role"),
        sa.CheckConstraint("role in ('learner', 'trainer', 'viewer')", name="role"),
        sa.Index("ix_enrolment_cohort_role", "cohort_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # one role per person and cohort (so a trainer trains one section of a cohort); the unique
    # constraint leads with user_id, so it also serves "this person's enrolments"
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"))
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("section.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(sa.String(16))
    starts_at: Mapped[datetime] = mapped_column(Stamp)
    ends_at: Mapped[datetime | None] = mapped_column(Stamp)


class SignInSession(Base):
    """A server-side sign-in: the browser's HttpOnly cookie holds its token."""

    __tablename__ = "signin_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    handoff_expires_at: Mapped[datetime | None] = mapped_column(Stamp)
    created_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Stamp)


class SignInThrottle(Base):
    """Failed sign-ins per username, known or not, so an unknown name answers like a real one."""

    __tablename__ = "signin_throttle"

    username: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(Stamp)


class SetupCode(Base):
    """A one-time code, printed on the server console, that makes the first administrator."""

    __tablename__ = "setup_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)
    used_at: Mapped[datetime | None] = mapped_column(Stamp)


class AuditEntry(Base):
    """Who did what to which record, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(64))
    target_type: Mapped[str] = mapped_column(sa.String(32))
    target_id: Mapped[str] = mapped_column(sa.String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(Stamp, index=True)


def _open_index(name: str) -> sa.Index:
    """(user_id, id) of the rows still open (finished_at IS NULL): a few among many."""
    open_rows = sa.text("finished_at IS NULL")
    return sa.Index(name, "user_id", "id", postgresql_where=open_rows, sqlite_where=open_rows)


class ScenarioPlay(Base):
    """One play-through of a module's scenario by a learner."""

    __tablename__ = "scenario_play"
    __table_args__ = (
        # a double click on "Start" makes one play, not two
        sa.UniqueConstraint("user_id", "module_id", "play_no"),
        # the trainers' reports (progress, activity, completion), module by module and learner
        # by learner, read from this index alone
        sa.Index(
            "ix_scenario_play_module_user",
            "module_id",
            "user_id",
            "play_no",
            "started_at",
            "finished_at",
        ),
        # the plays still open (the kept reports' fingerprint)
        _open_index("ix_scenario_play_open"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the unique constraint leads with user_id, so it also serves "this learner's plays"
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(sa.String(64))
    play_no: Mapped[int]
    module_version: Mapped[int]
    # the module as it was when the play started: module_version holds its body (plays made
    # before versions were kept have none, so this is not a foreign key)
    module_hash: Mapped[str] = mapped_column(sa.String(64))
    stage: Mapped[str] = mapped_column(sa.String(16), default="reading")  # reading/scenario/debrief
    situation_id: Mapped[str] = mapped_column(sa.String(64))
    ending_id: Mapped[str | None] = mapped_column(sa.String(64))
    # each decision point's choice ids in the order this play shows them (drawn at its start,
    # so a reload or a second tab shows the same order); None for plays made before
    choice_order: Mapped[dict[str, Any] | None]
    reflection: Mapped[str | None] = mapped_column(sa.Text)
    reflection_at: Mapped[datetime | None] = mapped_column(Stamp)
    started_at: Mapped[datetime] = mapped_column(Stamp)
    finished_at: Mapped[datetime | None] = mapped_column(Stamp)

    steps: Mapped[list[ScenarioStep]] = relationship(
        back_populates="play",
        order_by="ScenarioStep.step_no",
        cascade="all, delete-orphan",
    )


class ScenarioStep(Base):
    """One choice made in a play."""

    __tablename__ = "scenario_step"
    # the same step cannot be answered twice (double click, second tab)
    __table_args__ = (
        sa.UniqueConstraint("play_id", "step_no"),
        # for cohort-wide choice totals per decision point (the trainers' reports)
        sa.Index(
            "ix_scenario_step_module_situation",
            "module_id",
            "situation_id",
            "choice_id",
        ),
        # the choices of the plays of a cohort's learners (scenario analytics), from this index
        # alone
        sa.Index(
            "ix_scenario_step_play_choice", "play_id", "module_id", "situation_id", "choice_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    play_id: Mapped[int] = mapped_column(sa.ForeignKey("scenario_play.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(sa.String(64))
    step_no: Mapped[int]
    situation_id: Mapped[str] = mapped_column(sa.String(64))
    choice_id: Mapped[str] = mapped_column(sa.String(8))
    grade: Mapped[str] = mapped_column(sa.String(16))
    chosen_at: Mapped[datetime] = mapped_column(Stamp)

    play: Mapped[ScenarioPlay] = relationship(back_populates="steps")


class QuestionVersion(Base):
    """Every version of a question ever shown, by content hash, so old attempts read as taken."""

    __tablename__ = "question_version"

    content_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    question_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    body: Mapped[dict[str, Any]]
    first_seen_at: Mapped[datetime] = mapped_column(Stamp)


class ModuleVersion(Base):
    """Every version of a module ever played, by content hash, so a play keeps its module."""

    __tablename__ = "module_version"

    content_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    module_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    body: Mapped[dict[str, Any]]
    first_seen_at: Mapped[datetime] = mapped_column(Stamp)


class QuizVersion(Base):
    """Every version of a quiz's settings ever attempted, so an attempt keeps its rules."""

    __tablename__ = "quiz_version"

    content_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    quiz_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    body: Mapped[dict[str, Any]]
    first_seen_at: Mapped[datetime] = mapped_column(Stamp)


class RuleSnapshot(Base):
    """The last wording of each rule that pinned content cited, for when it leaves the library."""

    __tablename__ = "rule_snapshot"

    rule_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    body: Mapped[dict[str, Any]]
    seen_at: Mapped[datetime] = mapped_column(Stamp)


class Attempt(Base):
    """A quiz attempt pinned to its exact questions, versions and option order."""

    __tablename__ = "attempt"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "quiz_id", "attempt_no"),
        # per-quiz statistics across learners (item analysis, the trainers' reports): every
        # column they read but the (large) layout, quiz by quiz and learner by learner, so the
        # attempt rows themselves are never read
        sa.Index(
            "ix_attempt_quiz_user",
            "quiz_id",
            "user_id",
            "score",
            "attempt_no",
            "finished_at",
            "started_at",
            "quiz_hash",
        ),
        # the attempts still open (a learner's last activity reads their answers' times; the
        # kept reports' fingerprint)
        _open_index("ix_attempt_open"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id", ondelete="CASCADE"))
    quiz_id: Mapped[str] = mapped_column(sa.String(64))
    # the quiz's settings when the attempt started (None for attempts made before versions)
    quiz_hash: Mapped[str | None] = mapped_column(sa.String(64))
    attempt_no: Mapped[int]
    layout: Mapped[list[SlotLayout]] = mapped_column(sa.JSON)
    started_at: Mapped[datetime] = mapped_column(Stamp)
    deadline_at: Mapped[datetime | None] = mapped_column(Stamp)
    finished_at: Mapped[datetime | None] = mapped_column(Stamp)
    score: Mapped[float | None]

    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", order_by="Answer.slot", cascade="all, delete-orphan"
    )


class Answer(Base):
    """The learner's answer in one slot of an attempt; answering again replaces it."""

    __tablename__ = "answer"
    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "slot"),
        # for per-question statistics across attempts (item analysis)
        sa.Index("ix_answer_question", "question_id"),
        # an attempt's marks without reading its answers' rows (item analysis, mastery)
        sa.Index(
            "ix_answer_attempt_marks", "attempt_id", "question_id", "question_hash", "score", "slot"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    slot: Mapped[int]
    question_id: Mapped[str] = mapped_column(sa.String(64))
    question_hash: Mapped[str] = mapped_column(
        sa.ForeignKey("question_version.content_hash", ondelete="RESTRICT")
    )
    response: Mapped[dict[str, Any]]
    score: Mapped[float]
    answered_at: Mapped[datetime] = mapped_column(Stamp)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class Certificate(Base):
    """A certificate issued for completing a track (the course, or a refresher cycle). Rows are
    never deleted: a recompletion adds a new one, a revocation marks one, so history is kept."""

    __tablename__ = "certificate"
    __table_args__ = (sa.Index("ix_certificate_user_track", "user_id", "track", "issued_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)  # what a verifier types
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id", ondelete="CASCADE"))
    track: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(200))  # as printed on the certificate
    completed_at: Mapped[datetime] = mapped_column(Stamp)
    issued_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Stamp)
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)


class VerificationThrottle(Base):
    """Certificate look-ups per client in the current window, so codes cannot be guessed."""

    __tablename__ = "verification_throttle"

    client: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    window_started_at: Mapped[datetime] = mapped_column(Stamp)
    lookups: Mapped[int] = mapped_column(default=0)


class XapiOutbox(Base):
    """xAPI statements waiting for the learning record store, and those it has taken. A
    statement's id is derived from the record it describes, so queuing it twice keeps one row."""

    __tablename__ = "xapi_outbox"
    __table_args__ = (sa.Index("ix_xapi_outbox_waiting", "sent_at", "next_try_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    body: Mapped[dict[str, Any]]
    event_at: Mapped[datetime] = mapped_column(Stamp, index=True)
    queued_at: Mapped[datetime] = mapped_column(Stamp)
    sent_at: Mapped[datetime | None] = mapped_column(Stamp)
    tries: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(Stamp)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
