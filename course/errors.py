"""The course's errors: each carries a sentence the reader can act on."""

from __future__ import annotations


class CourseError(Exception):
    """Anything a user can cause; shown as a sentence, never as a traceback."""


class ContentError(CourseError):
    """A problem in a content file, at a known path and line."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class NotAllowed(CourseError):
    """The acting user may not do this."""


class NotFound(CourseError):
    """The record asked for does not exist (or is not visible to the actor)."""


class Conflict(CourseError):
    """The request clashes with the record's current state."""


class BadInput(CourseError):
    """Input from a person (a form, a roster, a command line) is not acceptable."""


class Unavailable(CourseError):
    """The records cannot be reached just now (busy or down); nothing was changed."""
