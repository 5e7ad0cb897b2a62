"""The course content of this process: loaded and checked once, then shared read-only."""

from __future__ import annotations

import functools
from pathlib import Path

from course import config
from course.content.catalogue import Catalogue
from course.content.loader import ContentProblems, load


@functools.cache
def _load(root: str) -> Catalogue:
    catalogue, problems = load(Path(root))
    if problems:
        raise ContentProblems(problems)
    return catalogue


def catalogue() -> Catalogue:
    """The checked content under COURSE_CONTENT_DIR (the project folder by default)."""
    return _load(str(config.content_dir()))


def forget() -> None:
    """Drop the loaded content (tests that switch content folders)."""
    _load.cache_clear()
