"""Public: check a certificate's verification code. No account is needed, and the answer says
valid, expired, revoked or unknown (with the track and dates, to match the paper), never who
holds it. Look-ups are throttled per address (course/services/certificates.py)."""

from __future__ import annotations

import streamlit as st

from course.errors import CourseError
from course.services import certificates
from course.ui import a11y, view

SHOWN = {"valid": st.success, "expired": st.warning, "revoked": st.error, "unknown": st.info}


def _check(code: str) -> None:
    try:
        address = st.context.ip_address  # None on localhost
        found = certificates.verify(code, address if isinstance(address, str) else "local")
    except CourseError as problem:
        st.error(str(problem))
        return
    SHOWN[found.state](found.sentence)
    if found.track is not None and found.completed_at and found.expires_at:
        view.say(
            f"Certificate for: {found.track}. Completed on {view.local_date(found.completed_at)}; "
            f"valid until {view.local_date(found.expires_at)}."
        )


def show() -> None:
    view.page_title("Verify a certificate")
    view.title("Verify a certificate")
    view.say(
        "Type the verification code printed on the certificate (16 letters and digits, for "
        "example 7KQ4-M2XD-9F0B-TR6W). You will see whether the certificate is valid, expired "
        "or revoked, and which course and dates it is for."
    )
    asked = st.query_params.get("code", "")[:64]  # a link may carry the code
    with st.form("verify"):
        code = st.text_input("Verification code", value=asked, max_chars=40)
        pressed = st.form_submit_button("Check", type="primary")
    if pressed or (asked and "verify_asked" not in st.session_state):
        st.session_state["verify_asked"] = True  # a link's code is checked once, not every rerun
        if code.strip():
            _check(code)
        else:
            st.info("Type the code first.")
    a11y.after_step("verify")
