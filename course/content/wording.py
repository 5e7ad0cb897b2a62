"""Problems in an author's words: what YAML and pydantic report, said for a course author."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

ANCHORS = "anchors and aliases (&name, *name) are not allowed: write the value out in full"
TAGS = "tags (!name, !!type) are not allowed: to make a value text, put it in quotes"
TAB = "this line is indented with a tab: indent with spaces only"
TOO_BIG = (
    "the file is larger than 2 MB, the most a content file may hold: look for text pasted "
    "by mistake, or split it"
)
EMPTY = "the file is empty"
BLANK = "the file holds no fields or entries, only comments"
FRONT_MATTER = "a module starts with YAML front matter between '---' lines"
NOT_A_LIST = "the file must be a list: each entry starts with '- '"
NOT_A_BANK = (
    "a question bank is a set of fields (id:, competency:, title:, questions:), "
    "not a list or a single value"
)
NO_MODULE_FILE = (
    "the file is missing: each folder in modules/ holds one module, in a file named module.md"
)


def invisible_character(character: str) -> str:
    return (
        f"this line holds an invisible control character (U+{ord(character):04X}) "
        "that is not allowed: delete it"
    )


def too_deep(levels: int) -> str:
    return f"lists and fields are nested more than {levels} levels deep here: check the indentation"


def not_utf8(byte: int) -> str:
    return (
        f"this line holds a character saved in another encoding than UTF-8 (byte 0x{byte:02X}): "
        "save the file as UTF-8 in your editor"
    )


def front_matter_shape(data: Any) -> str:
    found = "empty" if data is None else "a list" if isinstance(data, list) else "a single value"
    return f"the front matter must be fields, one per line as 'name: value' (here it is {found})"


def internal(failure: Exception) -> str:
    said = (str(failure).splitlines() or [""])[0][:80]
    return (
        f"the course could not check this file ({type(failure).__name__}: {said}); "
        "this is a fault in the course, not in the file: please report it"
    )


def not_a_field_name(raw: str, kind: str) -> str:
    if not raw:
        return "a ':' has no field name before it"
    return (
        f"'{raw}' cannot be a field name: YAML reads it as {kind}, not as a word "
        "(put it in quotes, or rename it)"
    )


def unreadable(raw: str, tag: str) -> str:
    shown = raw if len(raw) <= 40 else raw[:37] + "..."
    if tag.endswith(":timestamp"):
        return f"'{shown}' is not a real date: write a date like 2027-01-31"
    return f"'{shown}' cannot be read as a number: put it in quotes if it is text"


def yaml_problem(error: Any, text: str) -> tuple[int, str]:
    """A YAML syntax error (PyYAML's or libyaml's) as its 0-based line and a sentence."""
    problem = str(error.problem or "")
    context = str(error.context or "")
    mark = error.problem_mark or error.context_mark
    if ("quoted" in context or "flow" in context) and error.context_mark is not None:
        mark = error.context_mark  # where the quote or bracket opens, not where it went wrong
    line, column = (mark.line, mark.column) if mark is not None else (0, 0)
    here = (text.split("\n")[line:] or [""])[0]
    if "\t" in here[: len(here) - len(here.lstrip(" \t"))] or "'\\t'" in problem:
        return line, f"not valid YAML: {TAB}"
    return line, f"not valid YAML: {_syntax(problem, context, here[column : column + 1])}"


def _syntax(problem: str, context: str, found: str) -> str:
    if "mapping values are not allowed" in problem:
        # PyYAML's words, which tests/cli and the guide quote (section 12 says what they mean)
        return "mapping values are not allowed here"
    if "cannot start any token" in problem and found:
        return f"a value cannot start with '{found}': put the whole value in quotes"
    if "quoted scalar" in context:
        return "a quoted text is not closed: add the closing quote"
    if "expected ',' or ']'" in problem:
        return "a list written in [ ] is missing a ',' or its closing ']'"
    if "expected ',' or '}'" in problem:
        return "fields written in { } are missing a ',' or the closing '}'"
    if "could not find expected ':'" in problem:
        return "a field name is missing its ':' after it, or a line of text is not indented"
    if "expected key" in problem or "expected <block end>" in problem or "indicator" in problem:
        return (
            "this line does not fit with the lines above: check its indentation (fields and "
            "list items that belong together start in the same column) and its quotes"
        )
    return problem or "the text cannot be read"


# ---- pydantic ----

# What each pattern in the schema asks for, said as the shape an author should write
_PATTERNS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": (
        "an id: use lowercase letters, digits and hyphens, in words joined by single "
        "hyphens (e.g. walk-away)"
    ),
    r"^[a-d]$": "one letter from a to d",
    r"^[a-h]$": "one letter from a to h",
    r"^[a-z]{2,4}-\d{3}$": "a question id: 2 to 4 lowercase letters, a hyphen and 3 digits "
    "(e.g. coi-014)",
}
_FIELDS = "a set of fields (name: value)"
_SHOULD = {
    "string_type": "should be text",
    "string_sub_type": "should be text",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "int_from_float": "should be a whole number",
    "float_type": "should be a number",
    "float_parsing": "should be a number",
    "finite_number": "should be a number",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "date_type": "should be a date like 2027-01-31",
    "date_parsing": "should be a date like 2027-01-31",
    "date_from_datetime_parsing": "should be a date like 2027-01-31",
    "date_from_datetime_inexact": "should be a date like 2027-01-31, without a time",
    "datetime_type": "should be a date and time like 2027-01-10T09:00+05:00",
    "datetime_parsing": "should be a date and time like 2027-01-10T09:00+05:00",
    "datetime_from_date_parsing": "should be a date and time like 2027-01-10T09:00+05:00",
    "tuple_type": "should be a list",
    "list_type": "should be a list",
    "dict_type": f"should be {_FIELDS}",
    "model_type": f"should be {_FIELDS}",
    "model_attributes_type": f"should be {_FIELDS}",
}


def field_problem(error: Any, field_name: str) -> str:
    """One pydantic error as `field: sentence`, with the value that was found where it helps."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if field_name == "reading" and kind == "too_short":
        return "the module has no reading: start each section with a '## ' heading"
    if kind == "missing":
        return f"{field_name}: this field is required"
    if kind == "extra_forbidden":
        return f"{field_name}: unknown field (check its spelling)"
    if kind == "value_error":
        return f"{field_name}: {str(error['msg']).removeprefix('Value error, ')}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        choices = ", ".join(_quoted(str(ctx.get("expected_tags", ""))))
        if kind == "union_tag_not_found":
            return f"{field_name}: this field is required (one of: {choices})"
        return f"{field_name}: should be one of: {choices}{_not(ctx.get('tag'))}"
    return f"{field_name}: {_sentence(kind, ctx, error)}{_not(error.get('input'), kind)}"


def _sentence(kind: str, ctx: dict[str, Any], error: Any) -> str:
    if kind in _SHOULD:
        return _SHOULD[kind]
    if kind == "literal_error":
        return "should be one of: " + ", ".join(_quoted(str(ctx.get("expected", ""))))
    if kind == "string_pattern_mismatch":
        return "should be " + _PATTERNS.get(str(ctx.get("pattern")), "written in another form")
    if kind == "too_short":
        return f"needs at least {_entries(ctx.get('min_length'))}"
    if kind == "too_long":
        return f"may have at most {_entries(ctx.get('max_length'))}"
    if kind == "string_too_short":
        return "should not be empty"
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} characters"
    if kind in ("greater_than_equal", "greater_than"):
        return f"should be at least {_number(ctx.get('ge', ctx.get('gt')))}"
    if kind in ("less_than_equal", "less_than"):
        return f"should be at most {_number(ctx.get('le', ctx.get('lt')))}"
    return str(error["msg"]).replace("Input should be", "should be")


def _quoted(expected: str) -> list[str]:
    """The choices in pydantic's "'a', 'b' or 'c'"."""
    return re.findall(r"'([^']*)'", expected)


def _entries(count: Any) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _not(value: Any, kind: str = "") -> str:
    """`, not 'soon'`: the value found, when it is short enough to help."""
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return ""
    if value is None:
        return ", but it is empty"
    if isinstance(value, bool):
        return f", not {str(value).lower()}"
    if isinstance(value, int | float):
        return f", not {value}"
    if isinstance(value, date):
        return f", not {value.isoformat()}"
    if isinstance(value, str):
        if not value.strip():
            return ", but it is empty"
        return f", not '{value}'" if len(value) <= 40 and "\n" not in value else ""
    if isinstance(value, list | tuple):
        return ", not a list"
    if isinstance(value, dict):
        return f", not {_FIELDS}"
    return ""
