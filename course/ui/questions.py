"""Quiz questions on screen: a widget per type that saves in its callback, and the review.

Every widget is named by the question (a radio group by its stem, checkboxes and matching
selects grouped under it), and ordering uses buttons named by the item they move.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

import streamlit as st

from course.content.markdown import render, to_html
from course.content.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)
from course.learning.review import Review
from course.services.quizzes import SlotView
from course.ui import view

Save = Callable[[int, dict[str, Any]], None]
Mode = Literal["save", "check", "locked"]
_MARKS = re.compile(r"[*_`#>\[\]]")


def key(attempt_id: int, slot: int, part: str = "") -> str:
    return f"q-{attempt_id}-{slot}-{part}"


def plain_stem(question: Question) -> str:
    """The stem without Markdown marks, to name the answer controls for a screen reader."""
    return " ".join(_MARKS.sub("", question.stem).split())


def as_shown(slot: SlotView) -> dict[str, Any] | None:
    """The answer an untouched question already gives: an ordering's items as listed."""
    if isinstance(slot.question, Ordering):
        return {"order": list(slot.order)}
    return None


def answer(
    attempt_id: int,
    slot: SlotView,
    shown: Mapping[str, Any] | None,
    save: Save,
    mode: Mode = "save",
) -> tuple[dict[str, str], dict[str, str], str | None]:
    """The widget for one question; every change goes to `save` at once, in the callback.

    `shown` is the response to show (a saved one, or one not saved yet). The `mode` says what
    a change does: "save" stores it, "check" keeps it until the learner checks it (with a
    button outside), "locked" shows a checked answer that cannot change. Returns the
    accessible names to set (button key -> name; group key -> name) and the key of the
    control that should keep focus after a move, if any.
    """
    question, done = slot.question, shown or {}
    locked = mode == "locked"
    view.markdown(question.stem)
    name = plain_stem(question)
    labels: dict[str, str] = {}
    groups: dict[str, str] = {}
    focus = None
    if isinstance(question, SingleChoice):
        options = {o.id: o.text for o in question.options}
        here = key(attempt_id, slot.slot)
        st.radio(
            name,
            list(slot.order),
            format_func=options.__getitem__,
            key=here,
            index=list(slot.order).index(done["choice"]) if "choice" in done else None,
            on_change=lambda: save(slot.slot, {"choice": st.session_state[here]}),
            label_visibility="collapsed",
            disabled=locked,
        )
    elif isinstance(question, MultipleResponse):
        groups[key(attempt_id, slot.slot, "group")] = name
        _multiple(attempt_id, slot, question, done, save, locked)
    elif isinstance(question, TrueFalse):
        here = key(attempt_id, slot.slot)
        current = done.get("value")
        st.radio(
            name,
            [True, False],
            format_func=lambda v: "True" if v else "False",
            key=here,
            index=None if current is None else (0 if current else 1),
            horizontal=True,
            on_change=lambda: save(slot.slot, {"value": st.session_state[here]}),
            label_visibility="collapsed",
            disabled=locked,
        )
    elif isinstance(question, Matching):
        groups[key(attempt_id, slot.slot, "group")] = name
        _matching(attempt_id, slot, question, done, save, locked)
    elif isinstance(question, Ordering):
        labels, focus = _ordering(attempt_id, slot, question, done, save, mode)
    return labels, groups, focus


def _multiple(
    attempt_id: int,
    slot: SlotView,
    question: MultipleResponse,
    done: Mapping[str, Any],
    save: Save,
    locked: bool,
) -> None:
    if "all that apply" not in question.stem.lower():
        st.caption("Choose all that apply.")
    keys = {oid: key(attempt_id, slot.slot, oid) for oid in slot.order}

    def save_multiple() -> None:
        chosen = sorted(oid for oid, k in keys.items() if st.session_state.get(k))
        save(slot.slot, {"choices": chosen})

    texts = {o.id: o.text for o in question.options}
    with st.container(key=key(attempt_id, slot.slot, "group")):
        for oid in slot.order:
            st.checkbox(
                texts[oid],
                value=oid in done.get("choices", []),
                key=keys[oid],
                on_change=save_multiple,
                disabled=locked,
            )


def _matching(
    attempt_id: int,
    slot: SlotView,
    question: Matching,
    done: Mapping[str, Any],
    save: Save,
    locked: bool,
) -> None:
    matches = {p.id: p.match for p in question.pairs}
    keys = {p.id: key(attempt_id, slot.slot, p.id) for p in question.pairs}
    given = done.get("matches", {})

    def save_matching() -> None:
        chosen = {pid: st.session_state[k] for pid, k in keys.items() if st.session_state.get(k)}
        save(slot.slot, {"matches": chosen})

    # one group of radio buttons a prompt: long answers wrap on a phone, nothing is cut off
    st.caption("For each item, choose the answer that matches it.")
    with st.container(key=key(attempt_id, slot.slot, "group")):
        for pair in question.pairs:
            st.radio(
                f"**{pair.prompt}**",
                list(slot.order),
                format_func=matches.__getitem__,
                key=keys[pair.id],
                index=list(slot.order).index(given[pair.id]) if pair.id in given else None,
                on_change=save_matching,
                disabled=locked,
            )


def _ordering(
    attempt_id: int,
    slot: SlotView,
    question: Ordering,
    done: Mapping[str, Any],
    save: Save,
    mode: Mode,
) -> tuple[dict[str, str], str | None]:
    """Move items up or down with buttons (no dragging); each move goes to `save`."""
    texts = {i.id: i.text for i in question.items}
    order = list(done.get("order", slot.order))
    moved = st.session_state.get(key(attempt_id, slot.slot, "moved"))

    def move(index: int, by: int) -> None:
        changed = list(order)
        changed[index], changed[index + by] = changed[index + by], changed[index]
        # focus follows the item: the same button, at the item's new place
        st.session_state[key(attempt_id, slot.slot, "moved")] = (changed[index + by], by)
        save(slot.slot, {"order": changed})

    locked = mode == "locked"
    if mode == "save":
        st.caption("Put the items in order with the buttons; each move is saved.")
    elif mode == "check":
        st.caption("Put the items in order with the buttons, then check your answer.")
    labels: dict[str, str] = {}
    focus = None
    count = len(order)
    for index, item_id in enumerate(order):
        text, up, down = st.columns([8, 1, 1], vertical_alignment="center")
        text.markdown(f"**{index + 1}.** {texts[item_id]}")
        up_key = key(attempt_id, slot.slot, f"up{index}")
        down_key = key(attempt_id, slot.slot, f"down{index}")
        short = texts[item_id][:80]
        labels[up_key] = f"Move up: {short} (now {index + 1} of {count})"
        labels[down_key] = f"Move down: {short} (now {index + 1} of {count})"
        up.button("↑", key=up_key, disabled=locked or index == 0, on_click=move, args=(index, -1))
        down.button(
            "↓", key=down_key, disabled=locked or index == count - 1, on_click=move, args=(index, 1)
        )
        if moved and moved[0] == item_id:
            wanted = up_key if moved[1] < 0 else down_key
            edge = (index == 0 and moved[1] < 0) or (index == count - 1 and moved[1] > 0)
            focus = (down_key if moved[1] < 0 else up_key) if edge else wanted
    if not done and mode == "save":
        st.button(
            "Keep this order as my answer",
            key=key(attempt_id, slot.slot, "keep"),
            on_click=lambda: save(slot.slot, {"order": order}),
        )
    return labels, focus


# ---- review ----


def review_markdown(shown: Review) -> str:
    """The review's lines as Markdown bullets (author text, marked up by kind and depth)."""
    out = []
    for line in shown.lines:
        if line.kind == "heading":
            out.append(f"\n{line.text}\n")
        else:
            out.append(f"{'  ' * line.depth}- {line.text}")
    return "\n".join(out)


def review_html(slot: SlotView, with_stem: bool = True) -> str:
    """One answered question as HTML, showing only what the review policy allowed the service
    to give (author text rendered with raw HTML off; the learner's lines never memoised)."""
    shown = slot.review
    if shown is None:
        return ""
    parts = [to_html(slot.question.stem)] if with_stem else []
    if shown.correctness:
        parts.append(f"<p><strong>{html.escape(shown.correctness)}</strong></p>")
    parts.append(render(review_markdown(shown)))
    if shown.explanation:
        parts.append(to_html(shown.explanation))
    if slot.rules:
        parts.append("<p><strong>The rule the answer rests on</strong></p>")
        parts.append(to_html(view.rule_lines(slot.rules)))
    return "".join(parts)


def review(slot: SlotView, with_stem: bool = True) -> None:
    """One answered question's review, as one block."""
    if slot.review is not None:
        st.html(f'<div class="sns-md">{review_html(slot, with_stem)}</div>')


def reviews(slots: tuple[SlotView, ...]) -> None:
    """Every question's review, each folded under its own summary line, as one block."""
    folded = []
    for slot in slots:
        said = slot.review.correctness if slot.review else None
        title = f"Question {slot.slot + 1}" + (f": {said}" if said else "")
        folded.append(
            f"<details><summary>{html.escape(title)}</summary>"
            f'<div class="sns-md">{review_html(slot)}</div></details>'
        )
    st.html(f'<div class="sns-reviews">{"".join(folded)}</div>')
