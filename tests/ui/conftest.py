"""AppTest helpers: run a page as a given person against a migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import Academy, make_academy

UI = Path(__file__).resolve().parents[2] / "course" / "ui"
PAGES = UI / "pages"


@pytest.fixture
def school(sqlite_database: str) -> Academy:
    return make_academy()


def page_as(
    academy: Academy | None, username: str | None, page: str, direct: bool = False, **query: str
) -> AppTest:
    """A page run by `username` (None: nobody signed in).

    Through the router (as a browser would reach it) unless `direct`: a page the person's
    navigation does not offer is run directly, to prove the page itself refuses them.
    """
    path = PAGES / f"{page}.py" if direct else UI / "router.py"
    at = AppTest.from_file(str(path), default_timeout=30)
    if academy is not None and username is not None:
        at.session_state["session_id"] = academy.session_id(username)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if not direct and page != "router":
        at.switch_page(f"pages/{page}.py").run()
    return at
