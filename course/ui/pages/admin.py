"""Administrator: cohorts and sections, trainers, enrolment (one by one or by roster), audit log."""

from __future__ import annotations

import streamlit as st

from course.errors import CourseError
from course.services import accounts, audit, cohorts
from course.services.access import require_admin
from course.ui import session, view

actor = session.actor()
st.title("Cohorts and people")
try:
    require_admin(actor)
    known = cohorts.list_cohorts(actor)
except CourseError as problem:
    st.error(str(problem))
    st.stop()

tab_cohorts, tab_people, tab_roster, tab_audit = st.tabs(
    ["Cohorts", "Add a person", "Import a roster", "Audit log"]
)


def report(problem: CourseError) -> None:
    for line in str(problem).splitlines():
        st.error(line)


def show_passwords(added: list[cohorts.NewAccount]) -> None:
    issued = [a for a in added if a.one_time_password]
    st.success(f"Enrolled {len(added)}; {len(issued)} new account(s).")
    if issued:
        st.write(
            "Give each person their one-time password; they choose their own at first sign-in."
        )
        st.table(
            {
                "Username": [a.username for a in issued],
                "Name": [a.full_name for a in issued],
                "One-time password": [a.one_time_password for a in issued],
            }
        )


with tab_cohorts:
    if known:
        st.table(
            {
                "Cohort": [c.name for c in known],
                "Track": [c.track for c in known],
                "Sections": [", ".join(c.sections) or "—" for c in known],
                "Learners": [str(c.learners) for c in known],
                "Trainers": [", ".join(c.trainers) or "—" for c in known],
            }
        )
    else:
        st.info("No cohorts yet.")
    with st.form("new_cohort", clear_on_submit=True):
        st.markdown("#### New cohort")
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
                st.success(f"Cohort '{name.strip()}' created.")
            except CourseError as problem:
                report(problem)

with tab_people:
    if not known:
        st.info("Create a cohort first.")
    else:
        with st.form("add_person", clear_on_submit=True):
            cohort = st.selectbox("Cohort", [c.name for c in known])
            role = st.selectbox("Role", cohorts.ROLES)
            username = st.text_input("Username")
            full_name = st.text_input("Full name")
            section = st.text_input("Section (optional; new names are created)")
            if st.form_submit_button("Add and enrol", type="primary"):
                try:
                    added = cohorts.add_member(
                        actor,
                        cohort,
                        username,
                        full_name,
                        role,
                        section.strip() or None,
                    )
                    show_passwords([added])
                except CourseError as problem:
                    report(problem)
    with st.form("reset_password", clear_on_submit=True):
        st.markdown("#### Reset a password")
        who = st.text_input("Username", key="reset_username")
        if st.form_submit_button("Issue a new one-time password"):
            try:
                st.success(
                    f"New one-time password for {who}: "
                    f"{accounts.reset_password(actor, who.strip())}"
                )
            except CourseError as problem:
                report(problem)

with tab_roster:
    st.write(
        "A CSV file with the header `username,full_name` and optionally `section,email`, in UTF-8. "
        "Every row is enrolled, or none if any row is wrong."
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
                        show_passwords(
                            cohorts.import_roster(actor, cohort, upload.getvalue().decode("utf-8"))
                        )
                    except UnicodeDecodeError:
                        st.error(
                            "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."
                        )
                    except CourseError as problem:
                        report(problem)

with tab_audit:
    rows = audit.recent(actor)
    if rows:
        st.table(
            {
                "When": [view.local_time(r.at) for r in rows],
                "Who": [r.who for r in rows],
                "Action": [r.action for r in rows],
                "Record": [r.target for r in rows],
                "Detail": [r.detail for r in rows],
            }
        )
    else:
        st.info("Nothing has been logged yet.")
