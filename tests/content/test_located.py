"""YAML with lines: the same data, lines and problems with libyaml and without it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from course.content import located
from course.content.located import MAX_DEPTH, parse_yaml
from course.errors import ContentError

PROJECT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(
    str(p.relative_to(PROJECT))
    for p in [*PROJECT.glob("quizzes/**/*.yaml"), *PROJECT.glob("rules/*.yaml")]
) + ["tracks.yaml"]
PARSERS = [pytest.param(yaml.SafeLoader, id="python")]
if hasattr(yaml, "CSafeLoader"):
    PARSERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


@pytest.fixture(params=PARSERS, autouse=True)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(located, "LOADER", request.param)


@pytest.mark.parametrize("rel", SHIPPED)
def test_parse_yaml_reads_shipped_files_as_pyyaml_does(rel: str) -> None:
    text = (PROJECT / rel).read_text(encoding="utf-8")

    assert parse_yaml(text, rel).data == yaml.safe_load(text)


def test_parse_yaml_names_the_line_of_each_key_and_item() -> None:
    text = "id: x\n\nitems:\n  - a\n  - b: yes\n    c: 2027-01-31\n"

    got = parse_yaml(text, "f.yaml", first_line=2)

    assert got.lines == {
        ("id",): 2,
        ("items",): 4,
        ("items", 0): 5,
        ("items", 1): 6,
        ("items", 1, "b"): 6,
        ("items", 1, "c"): 7,
    }
    assert got.data["items"][1] == {"b": True, "c": yaml.safe_load("2027-01-31")}
    assert got.at(("items", 1, "c", "missing")) == "f.yaml:7"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("a: 1\nb: &x 2\n", 2, "anchors and aliases (&name, *name) are not allowed: "
         "write the value out in full"),
        ("a: 1\nb: *x\n", 2, "anchors and aliases (&name, *name) are not allowed: "
         "write the value out in full"),
        ("a: !!binary aGk=\n", 1, "tags (!name, !!type) are not allowed: to make a value "
         "text, put it in quotes"),
        ("a: 1\n[x, y]: 2\n", 2, "a field name must be a word, not a list"),
        ("a: 1\n12: 2\n", 2, "'12' cannot be a field name: YAML reads it as a number, not as a "
         "word (put it in quotes, or rename it)"),
        ("no: 1\n", 1, "'no' cannot be a field name: YAML reads it as true or false, not as a "
         "word (put it in quotes, or rename it)"),
        ("a: 1\nb: 2\na: 3\n", 3, "key 'a' appears twice"),
        ("due: 2027-02-30\n", 1, "'2027-02-30' is not a real date: write a date like "
         "2027-01-31"),
        ("a:\n" + "  - " * (MAX_DEPTH + 5) + "x\n", 2, f"lists and fields are nested more than "
         f"{MAX_DEPTH} levels deep here: check the indentation"),
        ("a: 1\n---\nb: 2\n", 2, "the file holds a second YAML document: remove this '---' "
         "line (or everything after it)"),
        ("a: 1\nb: x\x07y\n", 2, "this line holds an invisible control character (U+0007) "
         "that is not allowed: delete it"),
        ("a:\n\t- x\n", 2, "not valid YAML: this line is indented with a tab: indent with "
         "spaces only"),
        ("a: 1\nb: 'open\n\nc: 2\n", 2, "not valid YAML: a quoted text is not closed: add the "
         "closing quote"),
        ("a: x: y\n", 1, "not valid YAML: mapping values are not allowed here"),
        ("a: [x, y\nb: 1\n", 1, "not valid YAML: a list written in [ ] is missing a ',' or its "
         "closing ']'"),
        ("a: @x\n", 1, "not valid YAML: a value cannot start with '@': put the whole value in "
         "quotes"),
        ("a:\n  - x\n y: z\n", 3, "not valid YAML: this line does not fit with the lines above: "
         "check its indentation (fields and list items that belong together start in the same "
         "column) and its quotes"),
    ],
    ids=["anchor", "alias", "tag", "list-key", "number-key", "bool-key", "twice", "date",
         "deep", "documents", "control", "tab", "quote", "colon", "bracket", "at", "indent"],
)  # fmt: skip
def test_parse_yaml_refuses_in_the_same_words_with_either_parser(
    text: str, line: int, problem: str
) -> None:
    with pytest.raises(ContentError) as refused:
        parse_yaml(text, "f.yaml")

    assert str(refused.value) == f"f.yaml:{line}: {problem}"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "~\n"])
def test_parse_yaml_reads_nothing_as_none(text: str) -> None:
    assert parse_yaml(text, "f.yaml").data is None
