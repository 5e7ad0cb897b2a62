"""The public verification page: no account needed; it says valid, expired, revoked or unknown
and never who holds the certificate; a link may carry the code; bad input gets a sentence."""

from __future__ import annotations

from datetime import timedelta

from course import clock
from course.services import certificates
from tests.conftest import Academy
from tests.services.test_certificates import complete_the_cycle
from tests.ui.conftest import page_as, said


def check(code: str) -> list[str]:
    at = page_as(None, None, "verify")
    assert not at.exception
    at.text_input[0].input(code)
    at.button[0].click().run()
    assert not at.exception
    return [m.value for m in (*at.success, *at.warning, *at.error, *at.info)] + said(at)


def test_anyone_can_check_a_code_without_signing_in(school: Academy) -> None:
    at = page_as(None, None, "verify")
    assert [t.value for t in at.title] == ["Verify a certificate"]
    assert not at.text_input[0].value
    assert check("0000-0000-0000-0000")[0].startswith("Unknown: no certificate has this code")
    assert check("'); DROP TABLE certificate; --")[0].startswith("Unknown")


def test_it_answers_valid_expired_and_revoked_and_nothing_about_the_person(
    school: Academy,
) -> None:
    complete_the_cycle("officer", clock.now())
    user_id = school.learners["officer"].user_id
    [issued] = [c for c in certificates.mine(school.learners["officer"]) if c.state == "valid"]
    valid = check(issued.code)
    assert valid[0] == "Valid: this certificate is current."
    assert any("Certificate for: Officer refresher." in line for line in valid)
    assert not any("Officer R" in line or str(user_id) in line for line in valid)
    clock.advance(timedelta(days=400))
    assert check(issued.code)[0].startswith("Expired")


def test_a_link_carries_the_code(school: Academy) -> None:
    at = page_as(None, None, "verify", code="zzzz-zzzz-zzzz-zzzz")
    assert not at.exception
    assert at.text_input[0].value == "zzzz-zzzz-zzzz-zzzz"
    assert at.info[0].value.startswith("Unknown")


def test_the_sign_in_page_links_to_it(school: Academy) -> None:
    at = page_as(None, None, "router")
    assert "Verify a certificate" in [link.label for link in at.get("page_link")]
