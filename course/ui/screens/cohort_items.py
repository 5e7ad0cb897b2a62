"""The cohort dashboard's Items tab: Moodle's item analysis for a quiz or a question bank, the
options the cohort chose for one item, and the misconceptions the cohort holds.

The analysis and the misconception report are fragments of their own: choosing another quiz,
another item or another page reruns only the analysis, and the report is not recomputed."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from course.content.current import catalogue
from course.content.schema import Quiz
from course.errors import CourseError
from course.learning.item_stats import TestStats
from course.services import item_analysis
from course.services.item_analysis import ItemAnalysis, ItemRow, MisconceptionReport, Which
from course.ui import session, tables, view
from course.ui.screens.cohort_format import (
    FEW,
    NONE,
    Shown,
    count,
    learners,
    number,
    page_offset,
    pager,
    percent,
    short,
    show_chart,
    shown_of,
    wrapped,
)

ITEMS_PER_PAGE = 25
MISCONCEPTIONS_SHOWN = 20
WHICH_WORDS: dict[Which, str] = {
    "first": "First attempt",
    "highest": "Highest",
    "last": "Last attempt",
    "all": "All attempts",
}
TEST_HELP = {
    "Mean": "The mean total, as a share of the quiz's marks.",
    "Median": "The middle total, as a share of the quiz's marks.",
    "Standard deviation": "How spread the totals are, as a share of the quiz's marks.",
    "Skewness": "Below 0: a tail of low totals; above 0: a tail of high ones.",
    "Kurtosis": "Above 0: totals bunched with long tails; below 0: flatter.",
    "Internal consistency": "Cronbach's alpha (CIC): how far the items measure one thing.",
    "Error ratio": "The share of the spread of totals due to chance rather than ability.",
    "Standard error": "How far a learner's total may be off by chance, as a share of marks.",
}


def items_tab(cohort: Shown) -> None:
    view.say(
        "Moodle's quiz statistics, over the finished attempts of the learners in view. An item "
        "is one version of a question: an edited question starts again. Any figure from fewer "
        "than 5 learners is hidden."
    )
    _analysis(cohort)
    view.subheading("Misconceptions the cohort holds")
    _misconceptions(cohort)


# ---- what to analyse ----


def _quizzes(track: str) -> list[Quiz]:
    """The track's quizzes, then its modules' knowledge checks."""
    content = catalogue()
    found = [content.quizzes[q] for q in content.track(track).quizzes if q in content.quizzes]
    for module in content.track_modules(track):
        check = module.knowledge_check
        if check and check in content.quizzes and content.quizzes[check] not in found:
            found.append(content.quizzes[check])
    return found


@st.fragment
def _analysis(cohort: Shown) -> None:
    content = catalogue()
    quizzes = {q.id: q for q in _quizzes(cohort.track)}
    banks = content.banks
    with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
        kind = st.segmented_control(
            "Analyse", ["Quiz", "Question bank"], default="Quiz", required=True, key="items-kind"
        )
        if kind == "Question bank":
            chosen = st.selectbox(
                "Question bank",
                list(banks),
                format_func=lambda b: banks[b].title,
                key="items-bank",
                width=380,
            )
            default: Which = "highest"
        else:
            chosen = st.selectbox(
                "Quiz",
                list(quizzes),
                format_func=lambda q: quizzes[q].title,
                key="items-quiz",
                width=380,
            )
            default = item_analysis.BY_GRADING[quizzes[chosen].grading]
        which = (
            st.segmented_control(
                "Attempts per learner",
                list(WHICH_WORDS),
                format_func=lambda w: WHICH_WORDS[w] + (" (as graded)" if w == default else ""),
                default=default,
                required=True,
                key=f"items-which-{kind}-{chosen}",
            )
            or default
        )
    actor = session.actor()
    try:
        if kind == "Question bank":
            found = item_analysis.bank_analysis(actor, cohort.cohort_id, chosen, which)
        else:
            found = item_analysis.quiz_analysis(actor, cohort.cohort_id, chosen, which)
    except CourseError as problem:
        st.error(str(problem))
        return
    if found.too_few:
        view.say(f"{FEW.capitalize()} have attempts counted here, so nothing is shown.")
        return
    per = "every finished attempt" if found.which == "all" else f"{found.which} attempt"
    view.say(
        f"{found.title}: {learners(found.learners)}, {count(found.attempts)} attempts "
        f"({per} of each learner)."
    )
    if found.test is not None:
        view.subheading("Test statistics")
        _test(found.test, len(found.slots) or quizzes[chosen].size)
    view.subheading("Item statistics")
    _items(found, f"items-page-{cohort.cohort_id}-{kind}-{chosen}-{which}")
    view.subheading("Response analysis")
    _responses(found)


# ---- the statistics ----


def _test(test: TestStats, marks: int) -> None:
    def share(value: float | None) -> str:
        return percent(None if value is None else value / marks, 1)

    figures = {
        "Mean": share(test.mean),
        "Median": share(test.median),
        "Standard deviation": share(test.sd),
        "Skewness": number(test.skewness, 2),
        "Kurtosis": number(test.kurtosis, 2),
        "Internal consistency": percent(None if test.cic is None else test.cic / 100, 1),
        "Error ratio": percent(None if test.error_ratio is None else test.error_ratio / 100, 1),
        "Standard error": share(test.standard_error),
    }
    with st.grid(4, min_column_width=150, gap="small"):
        for name, value in figures.items():
            st.metric(name, value, help=TEST_HELP[name], border=True)


def _weight(value: float | None, row: ItemRow) -> str:
    if value is not None:
        return f"{value:.1f}%"
    return NONE if row.stats is None else "drawn"


def _item_name(row: ItemRow) -> str:
    edited = "" if row.version == 1 and row.current else f" (version {row.version})"
    return row.question_id + edited


def _items(found: ItemAnalysis, key: str) -> None:
    counted = [r for r in found.items if r.stats is not None]
    hidden = len(found.items) - len(counted)
    flagged = [r for r in counted if r.flags]
    only = st.toggle(f"Flagged items only ({len(flagged)})", key=f"{key}-flagged")
    rows = sorted(flagged if only else counted, key=lambda r: (not r.flags, r.question_id))
    offset = page_offset(key, ITEMS_PER_PAGE)
    page = rows[offset : offset + ITEMS_PER_PAGE] or rows[:ITEMS_PER_PAGE]
    offset = offset if rows[offset : offset + ITEMS_PER_PAGE] else 0
    what = shown_of(offset, len(page), len(rows), "items")
    with st.container(key="sns-items"):
        _item_table(page, f"{what}, flagged first")
    pager(len(rows), ITEMS_PER_PAGE, key)
    notes = []
    if hidden:
        notes.append(f"{hidden:,} more items were answered by {FEW} and are not listed.")
    if any(r.intended_weight is None for r in page):
        notes.append(
            "A drawn question has no weight of its own: the weights are its position's, below."
        )
    for note in notes:
        view.say(note)
    if found.slots and found.slots[0].label.startswith("Position"):
        with st.expander("Weights by position"):
            tables.table(
                {
                    "Position": [s.label for s in found.slots],
                    "Intended weight": [f"{s.intended:.1f}%" for s in found.slots],
                    "Effective weight": [
                        NONE if s.effective is None else f"{s.effective:.1f}%" for s in found.slots
                    ],
                },
                "Intended and effective weight of each position of the quiz",
            )


def _item_table(page: Sequence[ItemRow], caption: str) -> None:
    stats = [r.stats for r in page if r.stats is not None]  # every listed row has them
    tables.table(
        {
            "Item": [_item_name(r) for r in page],
            "Question": [short(r.stem, 80) for r in page],
            "Learners": [count(r.learners) for r in page],
            "Facility": [percent(s.facility) for s in stats],
            "SD": [percent(s.sd) for s in stats],
            "Random guess": [percent(s.random_guess) for s in stats],
            "Intended weight": [_weight(r.intended_weight, r) for r in page],
            "Effective weight": [_weight(r.effective_weight, r) for r in page],
            "Discrimination": [number(s.discrimination) for s in stats],
            "Discriminative efficiency": [
                NONE
                if s.discriminative_efficiency is None
                else f"{s.discriminative_efficiency:.0f}%"
                for s in stats
            ],
            "Flags": [" ".join(s.flags) or "None" for s in stats],
        },
        caption,
    )


# ---- one item's options ----


def _responses(found: ItemAnalysis) -> None:
    answered = [r for r in found.items if r.responses]
    if not answered:
        view.say("No choice question here was answered by 5 learners or more.")
        return
    by_key = {r.question_hash: r for r in answered}
    ordered = sorted(answered, key=lambda r: (not r.flags, r.question_id))
    chosen = st.selectbox(
        "Item",
        [r.question_hash for r in ordered],
        format_func=lambda h: (
            f"{_item_name(by_key[h])}: {short(by_key[h].stem, 90)}"
            + (" (flagged)" if by_key[h].flags else "")
        ),
        key=f"responses-{found.kind}-{found.id}",
    )
    row = by_key[chosen]
    options = row.responses or ()
    with st.container(border=True):
        view.markdown(row.stem)
        for flag in row.flags:
            st.warning(flag, icon=":material/flag:")
    labels = [wrapped(o.text) for o in options]
    # graph objects, not plotly express: express builds a data frame per chart (about 50 ms
    # each), the same bars take 2 ms this way; colours and order as express gives them
    palette = px.colors.qualitative.Plotly
    figure = go.Figure()
    for name, colour, correct in (
        ("Right answer", palette[0], True),
        ("Wrong answer", palette[1], False),
    ):
        mine = [n for n, o in enumerate(options) if o.correct == correct]
        if mine:
            figure.add_bar(
                x=[options[n].share * 100 for n in mine],
                y=[labels[n] for n in mine],
                orientation="h",
                name=name,
                marker_color=colour,
                hovertemplate="%{y}<br>%{x:.0f}% of answers<extra></extra>",
            )
    # the options top to bottom in the order written (a category axis counts from the bottom)
    figure.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    figure.update_layout(xaxis_title_text="Share of answers (%)")
    figure.update_xaxes(range=[0, 100])
    top = max(options, key=lambda o: o.share)
    right = [o for o in options if o.correct]
    show_chart(
        figure,
        f"responses-{chosen}",
        f"{row.question_id}: share choosing each option",
        f"Most chose “{short(top.text, 80)}” ({percent(top.share)}, "
        f"{'right' if top.correct else 'wrong'}); the right answer"
        f"{'s were' if len(right) > 1 else ' was'} chosen by "
        f"{', '.join(percent(o.share) for o in right) or NONE}.",
        height=120 + 64 * len(options),
    )
    tables.table(
        {
            "Option": [o.text for o in options],
            "Right?": ["Right" if o.correct else "Wrong" for o in options],
            "Chosen": [f"{o.chosen:,}" for o in options],
            "Share": [percent(o.share) for o in options],
            "Misconception it names": [o.misconception or NONE for o in options],
        },
        f"Options of {row.question_id}, in the order written",
    )


# ---- misconceptions ----


@st.fragment
def _misconceptions(cohort: Shown) -> None:
    which = (
        st.segmented_control(
            "Answers counted",
            list(WHICH_WORDS),
            format_func=lambda w: WHICH_WORDS[w],
            default="all",
            required=True,
            key="misconceptions-which",
        )
        or "all"
    )
    try:
        report = item_analysis.misconceptions(session.actor(), cohort.cohort_id, which)
    except CourseError as problem:
        st.error(str(problem))
        return
    _report(report)


def _report(report: MisconceptionReport) -> None:
    held = [m for m in report.misconceptions if m.share is not None]
    hidden = len(report.misconceptions) - len(held)
    if not held:
        view.say("No misconception has been offered to 5 learners or more yet.")
        return
    view.say(
        "A misconception is named by a wrong option. Share: of the learners who met a question "
        "offering it, those who chose it at least once."
        + (f" {hidden:,} more were offered to {FEW} and are not shown." if hidden else "")
    )
    top = held[:10]
    labels = [wrapped(m.text, 30, 2) for m in top]
    figure = go.Figure(  # graph objects: see _responses
        go.Bar(
            x=[(m.share or 0) * 100 for m in top],
            y=labels,
            orientation="h",
            marker_color=px.colors.qualitative.Plotly[0],
            hovertemplate="%{y}<br>%{x:.0f}% of learners who met it<extra></extra>",
        )
    )
    figure.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    figure.update_layout(xaxis_title_text="Learners who chose it (%)")
    figure.update_xaxes(range=[0, 100])
    show_chart(
        figure,
        "misconceptions",
        "The misconceptions held most",
        f"Most held: “{short(held[0].text, 100)}”, chosen by {held[0].chose:,} of "
        f"{held[0].learners:,} learners who met it ({percent(held[0].share)}).",
        height=120 + 44 * len(top),
    )
    shown = held[:MISCONCEPTIONS_SHOWN]
    tables.table(
        {
            "Misconception": [m.text for m in shown],
            "Learners who met it": [count(m.learners) for m in shown],
            "Chose it": [count(m.chose) for m in shown],
            "Share": [percent(m.share) for m in shown],
            "Items": [", ".join(i.question_id for i in m.items) for m in shown],
        },
        shown_of(0, len(shown), len(held), "misconceptions") + ", most held first",
    )
    _one_misconception(held)


def _one_misconception(held: Sequence[item_analysis.Misconception]) -> None:
    view.subheading("One misconception over time")
    texts = {m.text: m for m in held}
    chosen = st.selectbox(
        "Misconception", list(texts), format_func=lambda t: short(t, 110), key="misconception"
    )
    one = texts[chosen]
    weeks = [w for w in one.weeks if w.share is not None]
    if weeks:
        figure = go.Figure(  # graph objects: see _responses
            go.Scatter(
                x=[w.week for w in weeks],
                y=[(w.share or 0) * 100 for w in weeks],
                mode="lines+markers",
                line_color=px.colors.qualitative.Plotly[0],
                hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
            )
        )
        figure.update_layout(
            xaxis_title_text="Week beginning", yaxis_title_text="Learners who chose it (%)"
        )
        figure.update_yaxes(range=[0, 100])
        show_chart(
            figure,
            "misconception-weeks",
            "Share choosing it, week by week",
            f"First week shown ({weeks[0].week:%d %b}): {percent(weeks[0].share)}; last "
            f"({weeks[-1].week:%d %b}): {percent(weeks[-1].share)}. Weeks with {FEW} answering "
            "are left out.",
            height=280,
        )
    else:
        view.say("No single week had 5 learners or more meeting it.")
    tables.table(
        {
            "Item": [i.question_id for i in one.items],
            "Question": [short(i.stem, 100) for i in one.items],
            "Options naming it": [" / ".join(i.options) for i in one.items],
            "Learners": [count(i.learners) for i in one.items],
            "Chose it": [count(i.chose) for i in one.items],
            "Share": [percent(i.share) for i in one.items],
        },
        "The items behind it",
    )
