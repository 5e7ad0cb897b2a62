"""The cohort dashboard on the demo academy, opened as the people who use it: a trainer finds
who needs help and why, the weakest competency and the worst items; a viewer sees totals and no
names; learners and other cohorts' trainers are refused in a sentence; one learner's record
shows answers but never scenario choices; the export is a CSV with a byte-order mark."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from course.content.current import catalogue
from course.services import accounts, demo
from course.store import db
from course.store.models import (
    AuditEntry,
    Cohort,
    Enrolment,
    ScenarioPlay,
    ScenarioStep,
    Section,
    User,
)
from tests.conftest import ADMIN
from tests.ui.conftest import PAGES, UI, shown_html, tables

REFUSED = "You are not this cohort's trainer or viewer."


@dataclass(frozen=True)
class Demo:
    built: demo.DemoAcademy
    ctp: int  # the probationers' cohort (trainer1 trains Section 1, the viewer sees it all)

    def learners(self, section: str | None = None) -> dict[str, tuple[int, str]]:
        """username -> (id, full name) of the CTP cohort's learners (of one section)."""
        with db.reading() as session:
            query = (
                sa.select(User.username, User.id, User.full_name)
                .join(Enrolment, Enrolment.user_id == User.id)
                .outerjoin(Section, Section.id == Enrolment.section_id)
                .where(Enrolment.cohort_id == self.ctp, Enrolment.role == "learner")
            )
            if section is not None:
                query = query.where(Section.name == section)
            return {u: (i, n) for u, i, n in session.execute(query)}


@pytest.fixture(scope="module")
def demo_file(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[Path, demo.DemoAcademy]]:
    """The demo academy, built once (a few seconds) and copied for each test."""
    path = tmp_path_factory.mktemp("demo") / "course.db"
    shutil.copy(sqlite_template, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_DATABASE_URL", f"sqlite:///{path}")
        db.reset()
        built = demo.build(ADMIN, learners=40, seed=7)
        db.reset()
    yield path, built


@pytest.fixture
def academy(
    demo_file: tuple[Path, demo.DemoAcademy], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Demo]:
    source, built = demo_file
    path = tmp_path / "course.db"
    shutil.copy(source, path)
    monkeypatch.setenv("COURSE_DATABASE_URL", f"sqlite:///{path}")
    db.reset()
    with db.reading() as session:
        ctp = session.scalar(sa.select(Cohort.id).where(Cohort.track == "probationer"))
    assert ctp is not None
    yield Demo(built, ctp)
    db.reset()


def dashboard_as(
    username: str, tab: str | None = None, *, direct: bool = False, **query: str
) -> AppTest:
    """The cohort page as `username` (through the router, as a browser reaches it, unless
    `direct`), with `tab` open."""
    at = AppTest.from_file(str(PAGES / "cohort.py" if direct else UI / "router.py"))
    at.default_timeout = 60
    at.session_state["session_id"] = accounts.sign_in(username, demo.DEMO_PASSWORD).session_id
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if not direct:
        at.switch_page("app_pages/cohort.py").run()
    if tab is not None:
        at.session_state["tab"] = tab
        at.run()
    assert not at.exception, at.exception
    return at


def everything_shown(at: AppTest) -> str:
    """The page's HTML, its charts' data and its widgets' options, as one text to search."""
    charts = [e.proto.spec for e in at.get("plotly_chart")]
    options = [str(o) for box in at.selectbox for o in box.options]
    return "\n".join([shown_html(at), *charts, *options, *(m.value for m in at.metric)])


def risk_table(at: AppTest) -> dict[str, list[str]]:
    return next(t for caption, t in tables(at).items() if "learners at risk" in caption)


# ---- what needs attention ----


def test_a_trainer_sees_who_needs_help_and_why_the_weakest_competency_and_worst_items(
    academy: Demo,
) -> None:
    at = dashboard_as("trainer1")
    mine = academy.learners("Section 1")
    others = academy.learners("Section 2")
    risky = risk_table(at)
    listed = {
        name.rsplit("(", 1)[1].rstrip(")"): why
        for name, why in zip(risky["Learner"], risky["Why"], strict=True)
    }
    assert listed and set(listed) <= set(mine)  # their own section only
    assert not set(listed) & set(others)
    never = [u for u in academy.built.not_started if u in mine]
    assert never, "the demo puts a learner who has not started in every section"
    for username in never:
        assert listed[username] == "Has not started any module or quiz."
    assert any("under the pass mark" in why for why in listed.values())
    # the demo makes conflict of interest the cohort's weakest competency
    assert "<h3>Conflict of interest</h3>" in shown_html(at)
    # the weakest competency, then the three worst items, each with why
    assert shown_html(at).count('class="sns-card"') == 4
    assert any(m.label == "Need attention" for m in at.metric)


def test_the_inactive_count_follows_the_days_chosen(academy: Demo) -> None:
    at = dashboard_as("trainer1")
    label = "Count a learner as inactive after"
    at.selectbox(key="inactive-days").set_value(28).run()
    assert at.selectbox(key="inactive-days").label == label
    assert any(m.label == "Inactive 28+ days" for m in at.metric)


def test_an_administrator_moves_between_cohorts(academy: Demo) -> None:
    with db.reading() as session:
        refresher = session.scalar(sa.select(Cohort.id).where(Cohort.track == "refresher"))
    at = dashboard_as("admin")
    assert len(at.selectbox(key="cohort-choice").options) == 2
    at.selectbox(key="cohort-choice").set_value(refresher).run()
    assert not at.exception
    at.run()  # and it stays chosen
    assert at.selectbox(key="cohort-choice").value == refresher
    assert "Learners" in [t.label for t in at.tabs]  # an administrator sees learners too


# ---- item analysis ----


def test_the_item_tab_shows_test_statistics_and_flags_with_reasons(academy: Demo) -> None:
    at = dashboard_as("trainer1", "Items")
    at.selectbox(key="items-quiz").set_value("coi-quiz").run()
    figures = {m.label: m.value for m in at.metric}
    for name in ("Mean", "Median", "Standard deviation", "Internal consistency", "Error ratio"):
        assert figures[name].endswith("%"), name
    items = next(t for caption, t in tables(at).items() if caption.endswith("flagged first"))
    for column in ("Facility", "SD", "Random guess", "Discrimination", "Flags"):
        assert column in items
    # flagged items come first, each with its reason in words
    assert items["Flags"][0] != "None"
    assert items["Flags"][0].endswith(".")
    assert any(caption.startswith("Options of") for caption in tables(at))
    assert any(caption.startswith("Misconceptions") for caption in tables(at))


# ---- who may see what ----


def test_a_viewer_sees_totals_but_no_names_and_no_scenarios(academy: Demo) -> None:
    at = dashboard_as("viewer")
    labels = [t.label for t in at.tabs]
    assert labels == ["Scores", "Progress", "Mastery", "Items", "Compare"]
    assert any(m.label == "Need attention" for m in at.metric)
    assert not any("learners at risk" in caption for caption in tables(at))
    # the demo's names are common ones: a few are also characters in the questions
    content = "\n".join(q.model_dump_json() for q in catalogue().questions.values())
    names = academy.learners()
    for tab in labels:
        at.session_state["tab"] = tab
        at.run()
        assert not at.exception
        seen = everything_shown(at)
        for username, (_, full_name) in names.items():
            assert full_name in content or full_name not in seen, (tab, full_name)
            assert f"({username})" not in seen, (tab, username)


@pytest.mark.parametrize("username", ["learner1", "trainer3"])
def test_a_learner_and_another_cohorts_trainer_are_refused_in_a_sentence(
    academy: Demo, username: str
) -> None:
    at = dashboard_as(username, direct=True, cohort=str(academy.ctp))
    assert [e.value for e in at.error] == [REFUSED]
    assert not at.tabs
    assert not at.metric


# ---- one learner's record ----


def test_the_drill_down_shows_answers_but_no_scenario_choice(academy: Demo) -> None:
    mine = academy.learners("Section 1")
    with db.reading() as session:
        played = session.execute(
            sa.select(User.username, ScenarioStep.module_id, ScenarioStep.situation_id)
            .add_columns(ScenarioStep.choice_id, ScenarioPlay.reflection)
            .join(ScenarioPlay, ScenarioPlay.id == ScenarioStep.play_id)
            .join(User, User.id == ScenarioPlay.user_id)
            .where(User.username.in_(list(mine)))
        ).all()
    username = played[0][0]
    user_id, full_name = mine[username]
    choices = []
    for _, module_id, situation_id, choice_id, reflection in (
        p for p in played if p[0] == username
    ):
        situation = catalogue().module(module_id).scenario.situation(situation_id)
        choices.append(situation.choice(choice_id).text)
        if reflection:
            choices.append(reflection)
    at = dashboard_as("trainer1", "Learners")
    at.selectbox(key="cohort-learner").set_value(user_id).run()
    assert not at.exception
    found = tables(at)
    assert any(caption.startswith("Modules:") for caption in found)
    answers = [t for caption, t in found.items() if caption.endswith(": answers")]
    assert answers, "an answers table per attempt"
    assert any(a != "Not answered" for t in answers for a in t["Their answer"])
    assert any(f != "—" for t in answers for f in t["Feedback"])
    html = shown_html(at)
    assert f"{full_name} ({username})" in html
    for text in choices:
        assert text not in html
    with db.reading() as session:
        looked = session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "view learner record", AuditEntry.target_id == str(user_id))
        )
    assert looked


def test_the_at_risk_list_opens_a_learners_record(academy: Demo) -> None:
    at = dashboard_as("trainer1")
    first = risk_table(at)["Learner"][0]
    picker = next(s for s in at.selectbox if s.label == "Open a learner's record")
    picker.select_index(0).run()
    assert not at.exception
    assert at.session_state["tab"] == "Learners"
    assert first in [h.value for h in at.subheader]


# ---- exports ----


def test_the_export_offers_csv_bytes_with_a_byte_order_mark(
    academy: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: dict[str, Callable[[], Any]] = {}

    def deferred(
        self: MediaFileManager,
        data: Callable[[], Any],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        **_: Any,
    ) -> str:
        made[str(file_name)] = data  # the bytes are made when the button is pressed
        return f"deferred-{len(made)}"

    monkeypatch.setattr(MediaFileManager, "add_deferred", deferred)
    at = dashboard_as("trainer1", "Export")
    assert [b.label for b in at.get("download_button")] == [
        "Scores and mastery (CSV)",
        "Every finished attempt (CSV)",
    ]
    scores = made["ctp-2026-batch-a-scores.csv"]()
    assert scores.startswith(b"\xef\xbb\xbfusername,full_name,section,")
    rows = scores.decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + len(academy.learners("Section 1"))
    attempts = made["ctp-2026-batch-a-attempts.csv"]()
    assert attempts.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("asked", ["abc", "²", "9" * 40, "-1", "0", ""])
def test_any_cohort_in_the_address_gets_a_page_or_a_sentence(academy: Demo, asked: str) -> None:
    at = dashboard_as("trainer1", direct=True, cohort=asked)
    assert not at.exception
    assert [e.value for e in at.error] in ([], [REFUSED], ["There is no such cohort."])


def test_nothing_renders_thousands_of_rows(academy: Demo) -> None:
    at = dashboard_as("trainer1", "Items")
    for caption, table in tables(at).items():
        assert len(next(iter(table.values()), [])) <= 50, caption
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
