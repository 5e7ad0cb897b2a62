"""Trainer and viewer: the cohort dashboard. At the top, what needs attention (learners at risk
and why, the weakest competency, the three worst items); below, tabs for scores, progress,
mastery, items, scenarios, one learner's record, comparisons and exports.

Reruns stay cheap: the attention block and the tabs are fragments (paging the at-risk list does
not touch the tabs, and a widget in a tab reruns only the tabs), and only the open tab does any
work. Each fragment checks the sign-in again, since a fragment's rerun runs without the router.
Viewers see totals only: no names, no learner's record, no scenario choices. Every group under
five learners says "fewer than 5 learners", never a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from course import config
from course.errors import CourseError
from course.services import cohorts, dashboard
from course.services.cohorts import CohortSummary
from course.services.dashboard import Attention
from course.services.reports import MIN_GROUP
from course.ui import a11y, session, tables, view
from course.ui.screens import (
    cohort_items,
    cohort_learners,
    cohort_overview,
    cohort_scenarios,
)
from course.ui.screens.cohort_format import (
    Shown,
    learners,
    number,
    page_offset,
    pager,
    percent,
    short,
    shown_of,
)

TITLE = "Cohort progress"
RISK_PER_PAGE = 10
INACTIVE_CHOICES = (7, 14, 21, 28)
CHOICE_KEY = "cohort-choice"
TAB_KEY = "tab"  # also the query parameter: ?tab=Items opens the item analysis
JUMP_KEY = "cohort-jump"
# this page's tables: a learner's reasons one to a line, and item ids kept whole
STYLE = """<style>
.st-key-sns-risk td { white-space: pre-line; }
.st-key-sns-items th[scope="row"] { white-space: nowrap; }
</style>"""


@dataclass(frozen=True)
class Tab:
    label: str
    draw: Callable[[Shown], None]
    trainers_only: bool = False


TABS = (
    Tab("Scores", cohort_overview.scores_tab),
    Tab("Progress", cohort_overview.progress_tab),
    Tab("Mastery", cohort_overview.mastery_tab),
    Tab("Items", cohort_items.items_tab),
    Tab("Scenarios", cohort_scenarios.scenarios_tab, trainers_only=True),
    Tab("Learners", cohort_learners.learners_tab, trainers_only=True),
    Tab("Compare", cohort_overview.compare_tab),
    Tab("Export", cohort_overview.export_tab, trainers_only=True),
)


def _asked_cohort() -> int | None:
    """The cohort named in the address (?cohort=ID), if any."""
    value = st.query_params.get("cohort")
    # ASCII digits only, and few enough for the database's integers
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    return None


def _remember_choice() -> None:
    st.query_params["cohort"] = str(st.session_state[CHOICE_KEY])


def choose_cohort(visible: list[CohortSummary]) -> tuple[int, CohortSummary | None]:
    """The cohort to show: the address's, else the one chosen, else the newest. A cohort the
    person may not see is still returned, so that the services refuse it in a sentence."""
    asked = _asked_cohort()
    by_id = {c.id: c for c in visible}
    if asked is not None and asked not in by_id:
        return asked, None
    if asked is not None:
        st.session_state[CHOICE_KEY] = asked  # a link to a cohort wins over the last choice
    elif st.session_state.get(CHOICE_KEY) not in by_id:
        st.session_state.pop(CHOICE_KEY, None)  # no longer theirs: the newest instead
    chosen = st.selectbox(
        "Cohort",
        list(by_id),
        format_func=lambda c: f"{by_id[c].name} ({by_id[c].track})",
        key=CHOICE_KEY,
        on_change=_remember_choice,
    )
    return int(chosen), by_id[int(chosen)]


def show() -> None:
    actor = session.actor()
    # the dashboard's charts and tables need the width; other pages keep the reading column
    st.set_page_config(page_title=f"{TITLE} · {config.COURSE_TITLE}", layout="wide")
    st.html(STYLE)
    view.title(TITLE)
    try:
        visible = cohorts.list_cohorts(actor)
    except CourseError as problem:
        st.error(str(problem))
        st.stop()
    if not visible and _asked_cohort() is None:
        st.info("You are not assigned to any cohort as a trainer or viewer.")
        st.stop()
    cohort_id, summary = choose_cohort(visible)
    trains = attention_area(cohort_id)
    if trains is not None and summary is not None:
        tabs_area(Shown(cohort_id, summary.name, summary.track, trains))
    a11y.after_step("cohort")


# ---- what needs attention ----


def _reset_risk_page() -> None:
    for key in [k for k in st.session_state if str(k).startswith("risk-page-")]:
        del st.session_state[key]


def _open_record(key: str, names: dict[int, str]) -> None:
    """From the at-risk list to the learner's record: the Learners tab, that learner."""
    chosen = st.session_state.get(key)
    if chosen is None:
        return
    known = st.session_state.setdefault(cohort_learners.NAMES_KEY, {})
    known[chosen] = names[chosen]
    st.session_state[cohort_learners.LEARNER_KEY] = chosen
    st.session_state[TAB_KEY] = "Learners"
    st.session_state[key] = None
    st.session_state[JUMP_KEY] = True
    st.toast(f"{names[chosen]}: the record is open in the Learners tab, below.")


@st.fragment
def attention_area(cohort_id: int) -> bool | None:
    """The "Needs attention" block. Returns whether the person sees learners one by one
    (None: refused, and the page says why)."""
    if st.session_state.pop(JUMP_KEY, False):
        st.rerun(scope="app")  # the tabs are another fragment: draw the record there
    actor = session.actor()
    days = st.session_state.get("inactive-days", 14)
    page_key = f"risk-page-{cohort_id}"
    offset = page_offset(page_key, RISK_PER_PAGE)
    try:
        found = dashboard.attention(
            actor, cohort_id, inactive_days=days, offset=offset, limit=RISK_PER_PAGE
        )
        if found.at_risk is not None and found.at_risk.items == () and offset > 0:
            offset = 0  # fewer at risk than before: the first page
            found = dashboard.attention(actor, cohort_id, inactive_days=days, limit=RISK_PER_PAGE)
    except CourseError as problem:
        st.error(str(problem))
        return None
    view.heading("Needs attention")
    st.selectbox(
        "Count a learner as inactive after",
        INACTIVE_CHOICES,
        index=INACTIVE_CHOICES.index(14),
        format_func=lambda d: f"{d} days without activity",
        key="inactive-days",
        on_change=_reset_risk_page,
        width=300,
    )
    _counts(found)
    if found.at_risk is None:  # a viewer: totals only, no list
        view.say(dashboard.TOTALS_ONLY)
        left, right = st.columns(2, gap="large")
        with left:
            _weakest(found)
        with right:
            _worst(found)
        return False
    # the two short answers first: on a phone the columns stack, and the list is long
    left, right = st.columns([2, 3], gap="large")
    with left:
        _weakest(found)
        _worst(found)
    with right:
        _at_risk(found, cohort_id, page_key)
    return True


def _counts(found: Attention) -> None:
    counts = found.counts
    in_view = learners(found.learners)
    if counts is None:
        view.say(f"{in_view.capitalize()} in view: the counts of who needs help are hidden.")
        return
    reviews = f", {counts.review_due:,} with a review due" if counts.review_due else ""
    view.say(
        f"{counts.any:,} of {found.learners:,} learners need attention: "
        f"{counts.below_pass_mark:,} below a pass mark, {counts.not_started:,} not started, "
        f"{counts.inactive:,} inactive for {found.inactive_days} days or more{reviews} "
        "(a learner may have several reasons)."
    )
    with st.grid(6 if counts.review_due else 5, min_column_width=150, gap="small"):
        st.metric("Learners in view", f"{found.learners:,}", border=True)
        st.metric("Need attention", f"{counts.any:,}", border=True)
        st.metric("Below a pass mark", f"{counts.below_pass_mark:,}", border=True)
        st.metric("Not started", f"{counts.not_started:,}", border=True)
        st.metric(f"Inactive {found.inactive_days}+ days", f"{counts.inactive:,}", border=True)
        if counts.review_due:
            st.metric("Review due", f"{counts.review_due:,}", border=True)


def _at_risk(found: Attention, cohort_id: int, page_key: str) -> None:
    view.subheading("Learners at risk")
    page = found.at_risk
    assert page is not None  # drawn for trainers only
    if not page.items:
        view.say("No learner in view is below a pass mark, inactive or not started.")
        return
    what = shown_of(page.offset, len(page.items), page.total, "learners at risk")
    cells = {"Learner": [f"{r.full_name} ({r.username})" for r in page.items]}
    if any(r.section for r in page.items):  # a cohort without sections needs no column
        cells["Section"] = [r.section or dashboard.NO_SECTION for r in page.items]
    cells["Why"] = ["\n".join(c.text for c in r.concerns) for r in page.items]
    cells["Last active"] = [view.local_time(r.last_active) or "Never" for r in page.items]
    with st.container(key="sns-risk"):
        tables.table(cells, f"{what}, most reasons first, then longest inactive")
    pager(page.total, RISK_PER_PAGE, page_key)
    pick = f"risk-open-{cohort_id}"
    names = {
        r.user_id: f"{r.full_name} ({r.username}) · {r.section or dashboard.NO_SECTION}"
        for r in page.items
    }
    st.selectbox(
        "Open a learner's record",
        list(names),
        index=None,
        format_func=lambda u: names[u],
        placeholder="Choose a learner on this page",
        key=pick,
        on_change=_open_record,
        args=(pick, names),
    )


def _weakest(found: Attention) -> None:
    view.subheading("Weakest competency")
    weakest = found.weakest
    if weakest is None:
        view.say(f"No competency has answers from {MIN_GROUP} learners or more yet.")
        return
    others = [f"{c.title} {percent(c.mean)}" for c in found.competencies if c != weakest]
    view.card(
        weakest.title,
        f"mean item score {percent(weakest.mean)} · {weakest.learners:,} learners · "
        f"{weakest.answers:,} answers",
        f"The others: {view.listing(others)}."
        if others
        else "The only competency answered so far.",
    )


def _worst(found: Attention) -> None:
    view.subheading("Three worst items")
    if not found.worst_items:
        view.say(f"No item has been answered by {MIN_GROUP} learners or more yet.")
        return
    for item in found.worst_items:
        facts = (
            f"{item.quiz_title} · facility {percent(item.facility)} · "
            f"discrimination {number(item.discrimination)}"
        )
        view.card(f"{item.question_id}: {short(item.stem, 90)}", facts, item.reason)


# ---- the tabs ----


@st.fragment
def tabs_area(cohort: Shown) -> None:
    """The tabs the person may open; only the open one works. A viewer's tabs leave out
    every per-learner one."""
    offered = [t for t in TABS if cohort.trains or not t.trainers_only]
    containers = st.tabs(
        [t.label for t in offered], key=TAB_KEY, bind="query-params", on_change="rerun"
    )
    for tab, container in zip(offered, containers, strict=True):
        if container.open:
            with container:
                try:
                    tab.draw(cohort)
                except CourseError as problem:  # refused since, or a bad choice: a sentence
                    st.error(str(problem))
