"""Administrator, Questions tab: bring questions in from Moodle (GIFT or Aiken) as drafts, after
a preview of what each would need; take a bank out as GIFT."""

from __future__ import annotations

import streamlit as st

from course.content.current import catalogue
from course.errors import CourseError
from course.services import question_import
from course.services.access import Actor
from course.ui import tables, view

PREVIEW = "sns-question-preview"


def questions(actor: Actor) -> None:
    view.subheading("Import questions")
    view.say(
        "A GIFT or Aiken file from Moodle. Nothing is saved until you have seen the preview. "
        "Questions arrive as drafts, which no quiz draws until an author adds what the course "
        "requires (the rule each key rests on, the misconception each wrong option names) and "
        "moves them into the bank."
    )
    banks = sorted(catalogue().banks)
    with st.form("question_import"):
        upload = st.file_uploader("Question file (.gift, .txt)", type=["gift", "txt"])
        fmt = st.radio("Format", question_import.FORMATS, horizontal=True, format_func=str.upper)
        bank = st.selectbox("Bank the drafts are for", banks)
        if st.form_submit_button("Preview"):
            st.session_state.pop(PREVIEW, None)
            if upload is None:
                st.warning("Choose a file first.")
            else:
                try:
                    st.session_state[PREVIEW] = question_import.preview(
                        actor, upload.getvalue(), upload.name, fmt, bank
                    )
                except CourseError as problem:
                    for line in str(problem).splitlines():
                        st.error(line)
    found: question_import.Preview | None = st.session_state.get(PREVIEW)
    if found is not None:
        _preview(actor, found)
    view.subheading("Export a bank")
    chosen = st.selectbox("Bank", banks, key="question_export_bank")
    st.download_button(
        "Download as GIFT",
        data=lambda: question_import.export(actor, chosen).encode("utf-8"),
        file_name=f"{chosen}.gift",
        mime="text/plain",
        icon=":material/download:",
        on_click="ignore",
        key="question-export",
    )


def _preview(actor: Actor, found: question_import.Preview) -> None:
    tables.table(
        {
            "Line": [str(r.line) for r in found.rows],
            "Question": [r.title for r in found.rows],
            "Type": [r.kind.replace("_", "/") for r in found.rows],
            "Still needs": ["; ".join(r.needs) or "nothing" for r in found.rows],
        },
        f"{found.source}: {len(found.rows)} question(s) for the bank {found.bank}",
    )
    for skipped in found.skipped:
        st.warning(skipped.message)
    keep = sum(r.kind != "description" for r in found.rows)
    if keep and st.button(f"Save {keep} question(s) as drafts", type="primary"):
        try:
            saved = question_import.save(actor, found)
        except CourseError as problem:
            st.error(str(problem))
            return
        st.session_state.pop(PREVIEW, None)
        st.success(f"Saved in {saved}. `python -m course validate` lists what each still needs.")
