"""Text a person types is checked against the column that will hold it, before any saving."""

from __future__ import annotations

from typing import Any

from course.errors import BadInput


def column_length(column: Any) -> int:
    """The character limit of a String column (e.g. `User.full_name`)."""
    length = column.property.columns[0].type.length
    if length is None:
        raise ValueError(f"{column} has no length limit")
    return int(length)


def fit(label: str, value: str, column: Any) -> str:
    """`value` stripped, or BadInput naming the field when it is longer than its column allows."""
    cleaned = value.strip()
    limit = column_length(column)
    if len(cleaned) > limit:
        raise BadInput(
            f"The {label} is too long: at most {limit} characters, and this one has "
            f"{len(cleaned):,}."
        )
    return cleaned
