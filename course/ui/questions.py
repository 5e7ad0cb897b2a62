"""Quiz questions on screen: a widget per type that saves in its callback, and the review."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from course.content.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)
from course.services.quizzes import SlotView
from course.ui import view

Save = Callable[[int, dict[str, Any]], None]


def _key(attempt_id: int, slot: int, part: str = "") -> str:
    return f"q-{attempt_id}-{slot}-{part}"


def answer(attempt_id: int, slot: SlotView, save: Save) -> None:
    """The widget for one question; every change is saved at once, in the widget's callback."""
    question, done = slot.question, slot.response or {}
    view.markdown(question.stem)
    if isinstance(question, SingleChoice):
        options = {o.id: o.text for o in question.options}
        key = _key(attempt_id, slot.slot)
        st.radio(
            "Your answer",
            list(slot.order),
            format_func=options.__getitem__,
            key=key,
            index=list(slot.order).index(done["choice"]) if "choice" in done else None,
            on_change=lambda: save(slot.slot, {"choice": st.session_state[key]}),
        )
    elif isinstance(question, MultipleResponse):
        if "all that apply" not in question.stem.lower():
            st.caption("Choose all that apply.")
        keys = {oid: _key(attempt_id, slot.slot, oid) for oid in slot.order}

        def save_multiple() -> None:
            chosen = sorted(oid for oid, key in keys.items() if st.session_state.get(key))
            save(slot.slot, {"choices": chosen})

        texts = {o.id: o.text for o in question.options}
        for oid in slot.order:
            st.checkbox(
                texts[oid],
                value=oid in done.get("choices", []),
                key=keys[oid],
                on_change=save_multiple,
            )
    elif isinstance(question, TrueFalse):
        key = _key(attempt_id, slot.slot)
        current = done.get("value")
        st.radio(
            "Your answer",
            [True, False],
            format_func=lambda v: "True" if v else "False",
            key=key,
            index=None if current is None else (0 if current else 1),
            horizontal=True,
            on_change=lambda: save(slot.slot, {"value": st.session_state[key]}),
        )
    elif isinstance(question, Matching):
        _matching(attempt_id, slot, question, done, save)
    elif isinstance(question, Ordering):
        _ordering(attempt_id, slot, question, done, save)


def _matching(
    attempt_id: int, slot: SlotView, question: Matching, done: Mapping[str, Any], save: Save
) -> None:
    matches = {p.id: p.match for p in question.pairs}
    keys = {p.id: _key(attempt_id, slot.slot, p.id) for p in question.pairs}
    given = done.get("matches", {})

    def save_matching() -> None:
        chosen = {pid: st.session_state[k] for pid, k in keys.items() if st.session_state.get(k)}
        save(slot.slot, {"matches": chosen})

    for pair in question.pairs:
        st.selectbox(
            pair.prompt,
            list(slot.order),
            format_func=matches.__getitem__,
            key=keys[pair.id],
            index=list(slot.order).index(given[pair.id]) if pair.id in given else None,
            placeholder="Choose the match",
            on_change=save_matching,
        )


def _ordering(
    attempt_id: int, slot: SlotView, question: Ordering, done: Mapping[str, Any], save: Save
) -> None:
    """Move items up or down with buttons (no dragging); each move is saved as the answer."""
    texts = {i.id: i.text for i in question.items}
    order = list(done.get("order", slot.order))

    def move(index: int, by: int) -> None:
        changed = list(order)
        changed[index], changed[index + by] = changed[index + by], changed[index]
        save(slot.slot, {"order": changed})

    for index, item_id in enumerate(order):
        text, up, down = st.columns([8, 1, 1], vertical_alignment="center")
        text.markdown(f"**{index + 1}.** {texts[item_id]}")
        up.button(
            "↑",
            key=_key(attempt_id, slot.slot, f"up{index}"),
            disabled=index == 0,
            help=f"Move '{texts[item_id]}' up",
            on_click=move,
            args=(index, -1),
        )
        down.button(
            "↓",
            key=_key(attempt_id, slot.slot, f"down{index}"),
            disabled=index == len(order) - 1,
            help=f"Move '{texts[item_id]}' down",
            on_click=move,
            args=(index, 1),
        )
    if not done:
        st.button(
            "Keep this order as my answer",
            key=_key(attempt_id, slot.slot, "keep"),
            on_click=lambda: save(slot.slot, {"order": order}),
        )


# ---- review ----


def correctness(score: float | None) -> str:
    if score is None:
        return "Not answered"
    if score >= 1:
        return "Correct"
    return "Partly correct" if score > 0 else "Incorrect"


def review(slot: SlotView, visible: frozenset[str]) -> None:
    """One answered question, showing only what the review policy allows."""
    question, done = slot.question, slot.response or {}
    view.markdown(question.stem)
    if "correctness" in visible:
        st.markdown(f"**{correctness(slot.score)}** · {slot.score or 0:.0%} of the marks")
    lines = _answer_lines(question, done, slot.order, "feedback" in visible, "key" in visible)
    view.markdown("\n".join(lines))
    if "feedback" in visible and (general := _general(question)):
        view.markdown(general)
    if "key" in visible:
        st.markdown("**The rule the answer rests on**")
        view.markdown(view.rule_lines(question.rules))


def _general(question: Question) -> str | None:
    if isinstance(question, Ordering):
        return question.feedback
    return question.general_feedback


def _answer_lines(
    question: Question, done: Mapping[str, Any], order: tuple[str, ...], feedback: bool, key: bool
) -> list[str]:
    lines: list[str] = []
    if isinstance(question, SingleChoice | MultipleResponse):
        chosen = {done["choice"]} if "choice" in done else set(done.get("choices", []))
        options = {o.id: o for o in question.options}
        for oid in order:
            option = options[oid]
            mark = "☑ you chose" if oid in chosen else "☐"
            keyed = " — *correct answer*" if key and option.correct else ""
            lines.append(f"- {mark}: {option.text}{keyed}")
            if feedback and oid in chosen:
                lines.append(f"  - {option.feedback}")
                if option.misconception and not option.correct:
                    lines.append(f"  - Misconception: {option.misconception}")
    elif isinstance(question, TrueFalse):
        given = done.get("value")
        lines.append(f"- You answered: {'—' if given is None else ('True' if given else 'False')}")
        if key:
            lines.append(f"- Correct answer: {'True' if question.answer else 'False'}")
        if feedback and given is not None:
            lines.append(f"- {question.feedback_true if given else question.feedback_false}")
            if given != question.answer:
                lines.append(f"- Misconception: {question.misconception}")
    elif isinstance(question, Matching):
        matches = {p.id: p for p in question.pairs}
        for pair in question.pairs:
            picked = done.get("matches", {}).get(pair.id)
            answer_text = matches[picked].match if picked else "—"
            lines.append(f"- {pair.prompt} → you chose: {answer_text}")
            if key and picked != pair.id:
                lines.append(f"  - Correct match: {pair.match}")
            if feedback:
                lines.append(f"  - {pair.feedback}")
    elif isinstance(question, Ordering):
        texts = {i.id: i for i in question.items}
        lines.append("Your order:")
        lines += [f"{n}. {texts[i].text}" for n, i in enumerate(done.get("order", []), 1)]
        if key:
            lines.append("\nThe right order:")
            lines += [f"{n}. {i.text}" for n, i in enumerate(question.items, 1)]
        if feedback:
            lines += [f"- *{i.text}*: {i.feedback}" for i in question.items]
    return lines
