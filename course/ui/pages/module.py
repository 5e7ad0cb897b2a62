"""Learner: a scenario module: reading, branching scenario, debrief, private reflection."""

from __future__ import annotations

import streamlit as st

from course.errors import CourseError
from course.learning import scenario as walk
from course.services import scenarios
from course.services.scenarios import Play
from course.ui import session, view

actor = session.actor()
module_id = st.query_params.get("id")
if not module_id:
    st.info("Choose a module on your course page.")
    st.page_link("pages/home.py", label="Back to my course", icon=":material/arrow_back:")
    st.stop()


def act(action, *args) -> None:  # type: ignore[no-untyped-def]
    """Run a service call from a button callback; its sentence shows if it refuses."""
    try:
        action(actor, *args)
    except CourseError as problem:
        st.session_state["module_problem"] = str(problem)


def show_reading(play: Play) -> None:
    module = play.module
    st.markdown("**What you will be able to do**")
    st.markdown("\n".join(f"- {o}" for o in module.objectives))
    for section in module.reading:
        st.markdown(f"### {section.title}")
        view.markdown(section.markdown)
    st.divider()
    st.button(
        "Begin the scenario",
        type="primary",
        on_click=act,
        args=(scenarios.begin_scenario, play.id),
    )


def show_situation(play: Play) -> None:
    situation = play.situation
    st.caption(f"Decision {play.step_no + 1}" + (" · whom to ask" if situation.whom_to_ask else ""))
    st.markdown(f"### {situation.title}")
    view.markdown(situation.text)
    with st.form(f"choose-{play.id}-{play.step_no}"):
        picked = st.radio(
            "What do you do?",
            [c.id for c in situation.choices],
            format_func=lambda cid: situation.choice(cid).text,
            index=None,
        )
        submitted = st.form_submit_button("Confirm my choice", type="primary")
    if submitted:
        if picked is None:
            st.warning("Choose one of the options first.")
        else:
            act(scenarios.choose, play.id, play.step_no, picked)
            st.rerun()


def show_feedback(play: Play) -> None:
    choice = play.last_choice
    assert choice is not None
    st.markdown("### What follows")
    st.markdown(f"**You chose:** {choice.text}")
    view.grade_badge(choice.grade)
    view.markdown(choice.consequence)
    st.markdown("**Why**")
    view.markdown(choice.why)
    st.markdown("**The rule it turns on**")
    view.markdown(view.rule_lines(choice.rules))
    label = "See the debrief" if play.finished else "Continue"
    st.button(label, type="primary", on_click=act, args=(scenarios.carry_on, play.id))


def show_debrief(play: Play) -> None:
    module = play.module
    scenario = module.scenario
    st.markdown(f"### Ending: {play.situation.title}")
    view.markdown(play.situation.text)
    grade = walk.grade_path(scenario, play.steps)
    st.markdown("### Your path")
    st.markdown(
        f"Grade of your path: **{view.GRADE_WORDS[grade.label]}** · "
        f"{grade.score:.0%} of the best possible"
    )
    st.caption("A path is graded by its weakest choice: one breach is not averaged away.")
    taken = walk.resolve(scenario, play.steps)
    st.table(
        {
            "Step": [str(n + 1) for n in range(len(taken))],
            "Situation": [situation.title for situation, _ in taken],
            "Your choice": [choice.text for _, choice in taken],
            "Grade": [view.GRADE_WORDS[choice.grade] for _, choice in taken],
        }
    )
    missed = walk.missed(scenario, play.steps)
    st.markdown("### Better choices you missed")
    if not missed:
        st.write("None: you took the best choice at every step.")
    for one in missed:
        with st.container(border=True):
            st.markdown(
                f"**{one.situation.title}** — you chose: {one.chosen.text} "
                f"({view.GRADE_WORDS[one.chosen.grade]})"
            )
            st.markdown(f"Better: **{one.better.text}**")
            view.markdown(one.better.why)
    st.markdown("### The strongest counter-argument")
    view.markdown(module.counter_argument)
    st.markdown("### Debrief")
    view.markdown(module.debrief)
    st.markdown("### Your private reflection")
    st.caption("Only you can read this. It is not graded.")
    with st.form(f"reflect-{play.id}"):
        text = st.text_area(
            module.reflection_prompt,
            value=play.reflection or "",
            max_chars=scenarios.REFLECTION_LIMIT,
        )
        if st.form_submit_button("Save reflection"):
            act(scenarios.save_reflection, play.id, text)
            st.session_state["module_note"] = "Your reflection is saved."
            st.rerun()
    if module.knowledge_check:
        st.markdown("### Check what you took from it")
        st.write("A few questions on this module. They do not count towards your grade.")
        if st.button("Take the knowledge check", type="primary"):
            st.switch_page(view.quiz_page(), query_params={"id": module.knowledge_check})
    st.button("Play the scenario again", on_click=act, args=(scenarios.start_play, module.id))


try:
    play = scenarios.latest_play(actor, module_id)
    if play is None:
        play = scenarios.start_play(actor, module_id)
except CourseError as problem:
    st.error(str(problem))
    st.stop()

st.query_params["id"] = play.module.id  # a reload comes back to this module
st.title(play.module.title)
stages = ["reading", "scenario", "debrief"]
where = {"reading": 0, "scenario": 1, "feedback": 1, "debrief": 2}[play.stage]
st.progress(
    (where + 1) / len(stages),
    text=f"Part {where + 1} of 3: {['Reading', 'Scenario', 'Debrief'][where]}",
)
if problem := st.session_state.pop("module_problem", None):
    st.error(problem)
if note := st.session_state.pop("module_note", None):
    st.success(note)
{
    "reading": show_reading,
    "scenario": show_situation,
    "feedback": show_feedback,
    "debrief": show_debrief,
}[play.stage](play)
st.divider()
st.page_link("pages/home.py", label="Back to my course", icon=":material/arrow_back:")
