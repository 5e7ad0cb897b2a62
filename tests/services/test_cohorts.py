"""Cohorts, enrolment and rosters: all rows or none, each bad row named, every action audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from course.errors import BadInput, Conflict, NotAllowed, NotFound
from course.services import accounts, cohorts, reports
from course.services.access import Actor
from course.store.db import reading
from course.store.models import AuditEntry, Enrolment, Section, User
from tests.conftest import Academy

ADMIN = Actor.command_line()


def count(model: type) -> int:
    with reading() as db:
        return int(db.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_roster_import_enrols_every_row_and_issues_one_time_passwords(academy: Academy) -> None:
    roster = (
        "\ufeffusername,full_name,section,email\n"
        "new.one,New One,A,one@example.org\nnew.two,New Two,B,\n"
    )
    added = cohorts.import_roster(ADMIN, "CTP 2027", roster)
    assert [a.username for a in added] == ["new.one", "new.two"]
    assert all(a.one_time_password for a in added)
    signed = accounts.sign_in("new.one", added[0].one_time_password or "")
    assert signed.must_change_password


def test_roster_with_bad_rows_names_each_and_enrols_nobody(academy: Academy) -> None:
    users_before = count(User)
    roster = "username,full_name\ngood.one,Good One\nbad name,Bad Name\nno.name,\ngood.one,Twice\n"
    with pytest.raises(BadInput) as raised:
        cohorts.import_roster(ADMIN, "CTP 2027", roster)
    lines = str(raised.value).splitlines()
    assert lines[0].startswith("row 3: Username 'bad name'")
    assert lines[1] == "row 4: full_name is empty"
    assert lines[2] == "row 5: username 'good.one' repeats row 2"
    assert count(User) == users_before


def test_roster_header_must_name_the_columns(academy: Academy) -> None:
    with pytest.raises(BadInput, match="row 1: the header lacks full_name"):
        cohorts.import_roster(ADMIN, "CTP 2027", "username,name\na,b\n")


def test_trainer_enrols_learners_only_in_their_own_cohort(academy: Academy) -> None:
    trainer = academy.trainers["trainer_a"]
    added = cohorts.add_member(trainer, "CTP 2027", "late.joiner", "Late Joiner", "learner", "A")
    assert added.one_time_password
    with pytest.raises(NotAllowed, match="administrator assigns trainers"):
        cohorts.add_member(trainer, "CTP 2027", "new.trainer", "New Trainer", "trainer")
    with pytest.raises(NotAllowed, match="not this cohort.s trainer"):
        cohorts.add_member(trainer, "Refresher 2027", "stray", "Stray", "learner")
    with pytest.raises(NotAllowed):
        cohorts.import_roster(
            academy.learners["learner_a1"], "CTP 2027", "username,full_name\nx1,X\n"
        )


def test_only_administrators_create_cohorts(academy: Academy) -> None:
    with pytest.raises(NotAllowed):
        cohorts.create_cohort(academy.trainers["trainer_a"], "Rogue", "probationer")
    with pytest.raises(Conflict):
        cohorts.create_cohort(ADMIN, "CTP 2027", "probationer")
    with pytest.raises(BadInput):
        cohorts.create_cohort(ADMIN, "Odd", "astronaut")


def test_cohort_list_shows_staff_only_their_cohorts(academy: Academy) -> None:
    assert [c.name for c in cohorts.list_cohorts(academy.trainers["trainer_r"])] == [
        "Refresher 2027"
    ]
    assert {c.name for c in cohorts.list_cohorts(ADMIN)} == {"CTP 2027", "Refresher 2027"}
    assert cohorts.list_cohorts(academy.learners["learner_a1"]) == []
    ctp = next(c for c in cohorts.list_cohorts(ADMIN) if c.name == "CTP 2027")
    assert (ctp.learners, ctp.sections) == (6, ("A", "B"))


def test_every_administrative_action_is_audited(academy: Academy) -> None:
    before = count(AuditEntry)
    cohorts.create_cohort(ADMIN, "Audited", "refresher", ["Only"])
    cohorts.add_member(ADMIN, "Audited", "audited.one", "Audited One", "learner", "Only")
    with reading() as db:
        actions = db.scalars(
            sa.select(AuditEntry.action).order_by(AuditEntry.id).offset(before)
        ).all()
    assert actions == ["cohort.create", "user.create", "enrolment.set"]


def test_trainer_enrols_only_into_the_sections_they_train(academy: Academy) -> None:
    trainer = academy.trainers["trainer_a"]
    with pytest.raises(NotAllowed, match="You do not train section 'B'"):
        cohorts.add_member(trainer, "CTP 2027", "wrong.section", "Wrong Section", "learner", "B")
    with pytest.raises(NotFound):  # only administrators create sections
        cohorts.add_member(trainer, "CTP 2027", "new.section", "New Section", "learner", "C")
    placed = cohorts.add_member(trainer, "CTP 2027", "no.section", "No Section", "learner")
    table = reports.completion(trainer, academy.ids["ctp"])
    assert placed.username in [r.username for r in table.learners]  # put in trainer_a's section


def test_trainer_roster_with_another_section_names_the_row_and_enrols_nobody(
    academy: Academy,
) -> None:
    users_before = count(User)
    roster = "username,full_name,section\nmine.one,Mine One,A\ntheirs.one,Theirs One,B\n"
    with pytest.raises(BadInput) as raised:
        cohorts.import_roster(academy.trainers["trainer_a"], "CTP 2027", roster)
    assert str(raised.value) == "row 3: You do not train section 'B' of CTP 2027."
    assert count(User) == users_before


def section_of(username: str) -> str | None:
    with reading() as db:
        return db.scalar(
            sa.select(Section.name)
            .join(Enrolment, Enrolment.section_id == Section.id)
            .join(User, User.id == Enrolment.user_id)
            .where(User.username == username, Enrolment.role == "learner")
        )


def test_trainer_cannot_take_a_learner_from_another_section_or_cohort(academy: Academy) -> None:
    trainer = academy.trainers["trainer_a"]
    with pytest.raises(NotAllowed, match="not a learner of the sections you train"):
        cohorts.add_member(trainer, "CTP 2027", "learner_b1", "whatever", "learner")
    assert section_of("learner_b1") == "B"  # not moved into trainer_a's section
    with pytest.raises(NotAllowed, match="not a learner of the sections you train"):
        cohorts.add_member(trainer, "CTP 2027", "officer", "whatever", "learner")  # refresher
    with pytest.raises(NotAllowed):
        cohorts.enrol(trainer, "CTP 2027", "learner_b2", "learner", "A")
    roster = "username,full_name\nlearner_b3,Somebody\n"
    with pytest.raises(BadInput, match="row 2: 'learner_b3' is not a learner"):
        cohorts.import_roster(trainer, "CTP 2027", roster)
    assert section_of("learner_b3") == "B"


def test_trainer_cannot_enrol_staff_as_learners(academy: Academy) -> None:
    trainer = academy.trainers["trainer_a"]
    for staff in ("trainer_b", "viewer", "trainer_r"):
        with pytest.raises((NotAllowed, Conflict)):
            cohorts.add_member(trainer, "CTP 2027", staff, "whatever", "learner")
    with pytest.raises(Conflict, match="staff here"):  # nobody is staff and learner of one cohort
        cohorts.add_member(ADMIN, "CTP 2027", "trainer_b", "whatever", "learner", "A")


def test_trainer_may_re_enrol_their_own_learner(academy: Academy) -> None:
    trainer = academy.trainers["trainer_a"]
    again = cohorts.add_member(trainer, "CTP 2027", "learner_a1", "whatever", "learner")
    assert again.one_time_password is None and section_of("learner_a1") == "A"


def test_administrator_moves_a_learner_between_sections(academy: Academy) -> None:
    cohorts.enrol(ADMIN, "CTP 2027", "learner_b1", "learner", "A")
    assert section_of("learner_b1") == "A"


@pytest.mark.parametrize(
    ("field", "call"),
    [
        ("full name", lambda: cohorts.add_member(ADMIN, "CTP 2027", "long.one", "N" * 5000)),
        ("cohort name", lambda: cohorts.create_cohort(ADMIN, "C" * 121, "probationer")),
        ("section name", lambda: cohorts.create_cohort(ADMIN, "Ok", "refresher", ["S" * 121])),
        (
            "email address",
            lambda: cohorts.add_member(
                ADMIN, "CTP 2027", "long.two", "Two", email="e" * 200 + "@example.org"
            ),
        ),
    ],
)
def test_text_longer_than_its_column_is_refused_naming_the_field(
    academy: Academy, field: str, call
) -> None:  # type: ignore[no-untyped-def]
    users_before = count(User)
    with pytest.raises(BadInput, match=f"The {field} is too long: at most"):
        call()
    assert count(User) == users_before


def test_roster_with_an_over_long_name_names_the_row(academy: Academy) -> None:
    roster = "username,full_name,section\nok.one,Ok One,A\nlong.one," + "P" * 300 + ",A\n"
    with pytest.raises(BadInput) as raised:
        cohorts.import_roster(ADMIN, "CTP 2027", roster)
    assert str(raised.value) == (
        "row 3: The full name is too long: at most 200 characters, and this one has 300."
    )
    assert count(User) == 11  # the academy's own people, nobody from the roster
