"""Learner: a scenario module: reading, branching scenario, debrief, private reflection.

The player is a fragment: a choice, a "Continue" or a saved reflection reruns only the player,
not the whole page, and each step's heading then receives focus.
"""

from __future__ import annotations

import streamlit as st

from course.content.schema import Module
from course.errors import CourseError
from course.services import scenarios
from course.services.scenarios import Play
from course.ui import a11y, actions, navigation, params, session, tables, view

STAGES = {"reading": 0, "scenario": 1, "feedback": 1, "debrief": 2}
STAGE_NAMES = ("Reading", "Scenario", "Debrief")


def show_reading(module: Module, play: Play | None) -> None:
    view.heading("Before you decide")
    view.subheading("What you will be able to do")
    st.markdown("\n".join(f"- {view.plain(o)}" for o in module.objectives))
    for section in module.reading:
        view.subheading(section.title)
        view.markdown(section.markdown)
    st.divider()
    if play is not None and not play.may_play:
        st.info("This module is no longer part of your course, so it cannot be played again.")
        return
    st.button(
        "Begin the scenario",
        type="primary",
        on_click=actions.perform,
        args=(scenarios.begin, module.id),
    )


def choose(play: Play, key: str) -> None:
    """Callback of "Confirm my choice": the radio's value is in the page state by now."""
    picked = st.session_state.get(key)
    if picked is None:
        st.session_state[actions.PROBLEM] = "Choose one of the options first."
        return
    actions.perform(scenarios.choose, play.id, play.step_no, picked)


def show_situation(play: Play) -> None:
    situation = play.situation
    st.caption(f"Decision {play.step_no + 1}" + (" · whom to ask" if situation.whom_to_ask else ""))
    view.heading(situation.title)
    view.markdown(situation.text)
    key = f"choice-{play.id}-{play.step_no}"
    texts = {c.id: c.text for c in play.choices}  # in this play's order
    st.radio("What do you do?", list(texts), format_func=texts.__getitem__, index=None, key=key)
    st.button("Confirm my choice", type="primary", on_click=choose, args=(play, key))


def show_feedback(play: Play) -> None:
    choice = play.last_choice
    if choice is None:  # only a play with no step can be here, and it has no feedback
        return
    view.heading("What follows")
    view.markdown(f"**You chose:** {choice.text}")
    view.grade_badge(choice.grade)
    view.markdown(choice.consequence)
    view.subheading("Why")
    view.markdown(choice.why)
    view.subheading("The rule it turns on")
    view.markdown(view.rule_lines(play.cited))
    if play.may_play:
        label = "See the debrief" if play.finished else "Continue"
        st.button(
            label, type="primary", on_click=actions.perform, args=(scenarios.carry_on, play.id)
        )


def show_debrief(play: Play) -> None:
    module, debrief = play.module, play.debrief
    view.heading(f"Ending: {play.situation.title}")
    view.markdown(play.situation.text)
    if debrief is not None:
        view.heading("Your path")
        grade = debrief.grade
        st.markdown(
            f"Grade of your path: **{view.GRADE_WORDS[grade.label]}** · "
            f"{round(grade.score * 100)}% of the best possible"
        )
        st.caption("A path is graded by its weakest choice: one breach is not averaged away.")
        tables.table(
            {
                "Step": [str(n + 1) for n in range(len(debrief.taken))],
                "Situation": [situation.title for situation, _ in debrief.taken],
                "Your choice": [choice.text for _, choice in debrief.taken],
                "Grade": [view.GRADE_WORDS[choice.grade] for _, choice in debrief.taken],
            },
            "Your choices, step by step",
        )
        view.heading("Better choices you missed")
        if not debrief.missed:
            st.write("None: you took the best choice at every step.")
        for one in debrief.missed:
            with st.container(border=True):
                view.markdown(
                    f"**{one.situation.title}**: you chose {one.chosen.text} "
                    f"({view.GRADE_WORDS[one.chosen.grade]})"
                )
                view.markdown(f"Better: **{one.better.text}**")
                view.markdown(one.better.why)
    view.heading("The strongest counter-argument")
    view.markdown(module.counter_argument)
    view.heading("Debrief")
    view.markdown(module.debrief)
    view.heading("Your private reflection")
    st.caption("Only you can read this. It is not graded.")
    if play.may_play:
        key = f"reflection-{play.id}"
        with st.form(f"reflect-{play.id}"):
            st.text_area(
                module.reflection_prompt,
                value=play.reflection or "",
                max_chars=scenarios.REFLECTION_LIMIT,
                key=key,
            )
            st.form_submit_button("Save reflection", on_click=save_reflection, args=(play.id, key))
    else:
        view.say(play.reflection or "You wrote no reflection.")
    if module.knowledge_check and play.may_play:
        view.heading("Check what you took from it")
        st.write("A few questions on this module. They do not count towards your grade.")
        st.page_link(
            navigation.page("quiz"),
            label="Take the knowledge check",
            icon=":material/quiz:",
            query_params={"id": module.knowledge_check},
        )
    if play.may_play:
        st.button(
            "Play the scenario again",
            on_click=actions.perform,
            args=(scenarios.start_play, module.id),
        )


def save_reflection(play_id: int, key: str) -> None:
    text = str(st.session_state.get(key) or "")
    actions.perform(scenarios.save_reflection, play_id, text, note="Your reflection is saved.")


def announcement(play: Play | None) -> str:
    if play is None or play.stage == "reading":
        return "Reading"
    if play.stage == "scenario":
        return f"Decision {play.step_no + 1}: {play.situation.title}"
    if play.stage == "feedback" and play.last_choice is not None:
        return f"What follows. Grade: {view.GRADE_WORDS[play.last_choice.grade]}"
    return "Debrief"


@st.fragment
def player(module_id: str) -> None:
    actor = session.actor()
    try:
        play = scenarios.latest_play(actor, module_id)
        module = play.module if play is not None else scenarios.preview(actor, module_id)
    except CourseError as problem:
        view.page_title("Module")
        st.error(str(problem))
        st.page_link(
            navigation.page("home"), label="Back to my course", icon=":material/arrow_back:"
        )
        return
    view.page_title(module.title)
    view.title(module.title)
    stage = play.stage if play is not None else "reading"
    where = STAGES[stage]
    part = f"Part {where + 1} of 3: {STAGE_NAMES[where]}"
    with st.container(key="sns-module-progress"):
        st.progress((where + 1) / 3, text=part)
    if play is not None and not play.may_play:
        st.info("This module is no longer part of your course. Your work on it is kept to read.")
    actions.show_messages()
    with st.container(key=a11y.STEP_KEY):
        if stage == "reading" or play is None:
            show_reading(module, play)
        elif stage == "scenario":
            show_situation(play)
        elif stage == "feedback":
            show_feedback(play)
        else:
            show_debrief(play)
    st.divider()
    st.page_link(navigation.page("home"), label="Back to my course", icon=":material/arrow_back:")
    nonce = f"{module_id}-{play.id if play else 0}-{stage}-{play.step_no if play else 0}"
    a11y.after_step(nonce, announce=announcement(play), progress={"sns-module-progress": part})


def show() -> None:
    session.actor()
    chosen = params.text("id")
    if chosen is None:
        view.page_title("Module")
        view.title("Module")
        st.info("Choose a module on your course page.")
        st.page_link(
            navigation.page("home"), label="Back to my course", icon=":material/arrow_back:"
        )
        st.stop()
    player(chosen)
