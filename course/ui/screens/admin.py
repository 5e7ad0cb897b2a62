"""Administrator: cohorts and sections, trainers, enrolment (one by one or by roster),
certificates (look up, revoke), audit log."""

from __future__ import annotations

import streamlit as st

from course.errors import CourseError
from course.services import accounts, audit, certificates, cohorts
from course.services.access import Actor
from course.ui import a11y, actions, session, tables, view
from course.ui.screens import admin_questions


def show_passwords(added: list[cohorts.Enrolled]) -> None:
    issued = [a for a in added if a.one_time_password]
    st.success(f"Enrolled {len(added)}; {len(issued)} new account(s).")
    if issued:
        st.write(
            "Give each person their one-time password; they choose their own at first sign-in."
        )
        tables.table(
            {
                "Username": [a.username for a in issued],
                "Name": [a.full_name for a in issued],
                "One-time password": [a.one_time_password or "" for a in issued],
            },
            "New accounts and their one-time passwords",
        )


def report(problem: CourseError) -> None:
    for line in str(problem).splitlines():
        st.error(line)


def _certificates(actor: Actor) -> None:
    """Look a certificate up by its code, and revoke it with a reason (kept in the audit log)."""
    with st.form("find_certificate"):
        view.subheading("Find a certificate")
        code = st.text_input("Verification code", max_chars=40, key="admin_certificate_code")
        st.form_submit_button("Find")
    if not code.strip():
        return
    try:
        found = certificates.find(actor, code)
    except CourseError as problem:
        st.error(str(problem))
        return
    tables.table(
        {
            "": ["Name", "Track", "Completed", "Valid until", "State", "Code"],
            "Certificate": [
                found.name,
                found.track,
                view.local_date(found.completed_at),
                view.local_date(found.expires_at),
                found.state + (f" ({found.revoked_reason})" if found.revoked_reason else ""),
                found.code,
            ],
        },
        "The certificate",
    )
    if found.state == "revoked":
        return
    with st.form("revoke_certificate", clear_on_submit=True):
        view.subheading("Revoke this certificate")
        reason = st.text_area("Why (kept in the audit log; the holder sees it)", max_chars=500)
        if st.form_submit_button("Revoke the certificate", type="primary"):
            try:
                certificates.revoke(actor, found.code, reason)
                st.success(f"Certificate {found.code} is revoked.")
            except CourseError as problem:
                report(problem)


def show() -> None:
    actor = session.actor()
    view.page_title("Cohorts and people")
    view.title("Cohorts and people")
    try:
        known = cohorts.list_cohorts(actor)
        log = audit.recent(actor)  # administrators only: refuses anyone else before the tabs
    except CourseError as problem:
        st.error(str(problem))
        st.stop()
    actions.show_messages()
    tab_cohorts, tab_people, tab_roster, tab_questions, tab_certificates, tab_audit = st.tabs(
        ["Cohorts", "Add a person", "Import a roster", "Questions", "Certificates", "Audit log"]
    )
    with tab_cohorts:
        if known:
            tables.table(
                {
                    "Cohort": [c.name for c in known],
                    "Track": [c.track for c in known],
                    "Sections": [", ".join(c.sections) or "—" for c in known],
                    "Learners": [str(c.learners) for c in known],
                    "Trainers": [", ".join(c.trainers) or "—" for c in known],
                },
                "Cohorts",
            )
        else:
            st.info("No cohorts yet.")
        with st.form("new_cohort", clear_on_submit=True):
            view.subheading("New cohort")
            name = st.text_input("Name", placeholder="e.g. CTP 2027 Batch B")
            track = st.selectbox("Track", cohorts.TRACKS)
            sections = st.text_input(
                "Sections (comma-separated, optional)", placeholder="Section 1, Section 2"
            )
            if st.form_submit_button("Create cohort", type="primary"):
                try:
                    cohorts.create_cohort(
                        actor, name, track, [s for s in sections.split(",") if s.strip()]
                    )
                    view.say(f"Cohort '{name.strip()}' created.")
                except CourseError as problem:
                    report(problem)
    with tab_people:
        if not known:
            st.info("Create a cohort first.")
        else:
            with st.form("add_person", clear_on_submit=True):
                view.subheading("Add a person")
                cohort = st.selectbox("Cohort", [c.name for c in known])
                role = st.selectbox("Role", cohorts.ROLES)
                username = st.text_input("Username of the new person")
                full_name = st.text_input("Full name")
                section = st.text_input("Section (optional; new names are created)")
                if st.form_submit_button("Add and enrol", type="primary"):
                    try:
                        added = cohorts.add_member(
                            actor, cohort, username, full_name, role, section.strip() or None
                        )
                        show_passwords([added])
                    except CourseError as problem:
                        report(problem)
        with st.form("reset_password", clear_on_submit=True):
            view.subheading("Reset a password")
            who = st.text_input("Username whose password to reset")
            if st.form_submit_button("Issue a new one-time password"):
                try:
                    issued = accounts.reset_password(actor, who)
                    view.say(f"New one-time password for {who.strip()}: {issued}")
                except CourseError as problem:
                    report(problem)
    with tab_roster:
        st.write(
            "A CSV file with the header `username,full_name` and optionally `section,email`, "
            "in UTF-8. Every row is enrolled, or none if any row is wrong."
        )
        if known:
            with st.form("roster", clear_on_submit=True):
                cohort = st.selectbox("Cohort", [c.name for c in known], key="roster_cohort")
                upload = st.file_uploader("Roster (CSV)", type=["csv"])
                if st.form_submit_button("Import roster", type="primary"):
                    if upload is None:
                        st.warning("Choose a CSV file first.")
                    else:
                        try:
                            text = upload.getvalue().decode("utf-8")
                            show_passwords(cohorts.import_roster(actor, cohort, text))
                        except UnicodeDecodeError:
                            st.error(
                                "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."
                            )
                        except CourseError as problem:
                            report(problem)
    with tab_questions:
        admin_questions.questions(actor)
    with tab_certificates:
        _certificates(actor)
    with tab_audit:
        if log:
            tables.table(
                {
                    "When": [view.local_time(r.at) for r in log],
                    "Who": [r.who for r in log],
                    "Action": [r.action for r in log],
                    "Record": [r.target for r in log],
                    "Detail": [r.detail for r in log],
                },
                "The latest administrative actions",
            )
        else:
            st.info("Nothing has been logged yet.")
    a11y.after_step("admin")
