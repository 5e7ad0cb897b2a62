"""Any value in the page's address gets a page or a sentence, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course.services import quizzes
from course.ui.actions import FAILED
from tests.conftest import Academy
from tests.ui.conftest import page_as

ODD = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-3",
            "1e3",
            "2.5",
            "abc",
            "%00",
            "../../etc",
            "walk-away",
            "ei-quiz",
            "99999999999999999999999",
            "🙂",
            " 1 ",
            "x" * 500,
            "null",
            "[]",
        ]
    ),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
PAGES = [("learner_a1", p) for p in ("home", "module", "quiz", "account")] + [
    ("trainer_a", "cohort"),
    ("viewer", "cohort"),
]


@pytest.mark.parametrize(("who", "page"), PAGES)
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(id_=ODD, attempt=ODD, q=ODD)
def test_every_page_takes_any_address_values(
    school: Academy, who: str, page: str, id_: str, attempt: str, q: str
) -> None:
    if page == "quiz" and not quizzes.status(school.learners["learner_a1"], "ei-quiz").used:
        quizzes.start_attempt(school.learners["learner_a1"], "ei-quiz")
    for query in ({"id": id_}, {"id": "ei-quiz", "attempt": attempt, "q": q}):
        at = page_as(school, who, page, **query)
        assert not at.exception, (page, query, [e.value for e in at.exception])
        assert FAILED not in [e.value for e in at.error], (page, query)
