"""My account: changing the password ends other sign-ins; signing out ends this one."""

from __future__ import annotations

from course.services import accounts
from tests.conftest import PASSWORD, Academy
from tests.ui.conftest import page_as, said


def test_account_page_shows_the_person_as_text(school: Academy) -> None:
    at = page_as(school, "learner_a1", "account")
    assert not at.exception
    assert "Learner A1 · username learner_a1" in said(at)


def test_changing_the_password_ends_other_sign_ins(school: Academy) -> None:
    other = accounts.sign_in("learner_a1", PASSWORD)
    at = page_as(school, "learner_a1", "account")
    at.text_input(key="old_password").input(PASSWORD)
    at.text_input(key="new_password").input("a-brand-new-password")
    at.text_input(key="new_password_again").input("a-brand-new-password")
    at.button(key="FormSubmitter:change_password-Change password").click().run()
    assert not at.exception
    assert at.success[0].value == "Your password is changed. Your other sign-ins have ended."
    assert accounts.session_account(other.session_id) is None
    assert accounts.session_account(at.session_state["session_id"]) is not None


def test_a_wrong_current_password_is_said_and_changes_nothing(school: Academy) -> None:
    at = page_as(school, "learner_a1", "account")
    at.text_input(key="old_password").input("not-the-password")
    at.text_input(key="new_password").input("a-brand-new-password")
    at.text_input(key="new_password_again").input("a-brand-new-password")
    at.button(key="FormSubmitter:change_password-Change password").click().run()
    assert at.error[0].value == "Your current password is not right."
    assert accounts.sign_in("learner_a1", PASSWORD).actor.username == "learner_a1"


def test_signing_out_ends_the_sign_in(school: Academy) -> None:
    at = page_as(school, "learner_a1", "account")
    session_id = at.session_state["session_id"]
    next(b for b in at.button if b.label == "Sign out").click().run()
    assert not at.exception
    assert accounts.session_account(session_id) is None
    assert "You have signed out." in [s.value for s in at.success]
