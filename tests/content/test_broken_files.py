"""Broken content files: loading names every problem as path:line and never raises."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from course.content import current
from course.content.loader import MAX_BYTES, load
from course.errors import CourseError
from tests.content.test_loader import MODULE, line_of, problems_in

ROUTER = Path(__file__).resolve().parents[2] / "course" / "ui" / "router.py"
BANK = "quizzes/banks/conflict-of-interest.yaml"
FILES = [
    MODULE,
    BANK,
    "rules/rules.yaml",
    "quizzes/quizzes.yaml",
    "tracks.yaml",
    "rules/protected-names.yaml",
]
PROBLEM = re.compile(r"([^:]+):(\d+): (.+)")
BREAK = re.compile(rb"\r\n|\r|\n")


def line_count(raw: bytes) -> int:
    """Lines as an editor counts them (\\n, \\r\\n or a lone \\r ends one); 1 for an empty file."""
    ends = len(BREAK.findall(raw))
    last_line_open = bool(raw) and not raw.endswith((b"\n", b"\r"))
    return max(ends + last_line_open, 1)


def assert_named_well(root: Path, problems: list[str]) -> None:
    """Each problem is one `path:line: sentence` line about a real file and one of its lines."""
    for problem in problems:
        match = PROBLEM.fullmatch(problem)
        assert match, f"not path:line: problem: {problem!r}"
        path, line, said = match.groups()
        assert (root / path).is_file(), problem
        assert 1 <= int(line) <= line_count((root / path).read_bytes()), problem
        assert "could not check this file" not in said, problem


@contextmanager
def replaced(path: Path, data: bytes) -> Iterator[None]:
    """The file holds `data` for the block, then its own bytes again (one hypothesis example)."""
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        yield
    finally:
        path.write_bytes(original)


def front_matter(root: Path) -> dict[str, object]:
    text = (root / MODULE).read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def with_front_matter(root: Path, data: dict[str, object]) -> bytes:
    text = (root / MODULE).read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    return f"---\n{yaml.safe_dump(data, sort_keys=False)}---\n{body}".encode()


# ---- exact problems ----


def test_load_invalid_bytes_in_module_name_the_line_of_the_first(content: Path) -> None:
    module = content / MODULE
    line = line_of(module, "title: Walking away from")
    raw = module.read_bytes().replace(b"title: Walking away", b"title: Walk\xe9ing away", 1)
    module.write_bytes(raw.replace(b"summary: An MPA", b"summary: An \xff MPA", 1))

    assert problems_in(content, MODULE) == [
        f"{MODULE}:{line}: this line holds a character saved in another encoding than UTF-8 "
        "(byte 0xE9): save the file as UTF-8 in your editor"
    ]


def test_load_empty_bank_says_the_file_is_empty(content: Path) -> None:
    (content / BANK).write_bytes(b"")

    assert problems_in(content, BANK) == [f"{BANK}:1: the file is empty"]


def test_load_bank_of_blank_lines_says_the_file_is_empty(content: Path) -> None:
    (content / BANK).write_bytes(b"  \n\n\t\n")

    assert problems_in(content, BANK) == [f"{BANK}:1: the file is empty"]


def test_load_alias_is_refused_at_its_anchor(content: Path) -> None:
    bank = content / BANK
    text = bank.read_text(encoding="utf-8")
    text = text.replace("title: Conflict of interest", "title: &t Conflict of interest", 1)
    bank.write_text(text + "extra: *t\n", encoding="utf-8")

    line = line_of(bank, "title: &t")
    assert problems_in(content, BANK) == [
        f"{BANK}:{line}: anchors and aliases (&name, *name) are not allowed: "
        "write the value out in full"
    ]


def test_load_file_over_the_size_limit_is_refused_in_a_sentence(content: Path) -> None:
    bank = content / BANK
    with bank.open("ab") as out:
        out.write(b"# " + b"x" * MAX_BYTES + b"\n")

    assert problems_in(content, BANK) == [
        f"{BANK}:1: the file is larger than 2 MB, the most a content file may hold: look for "
        "text pasted by mistake, or split it"
    ]


def test_load_single_choice_without_a_key_says_so_first(content: Path) -> None:
    bank = content / BANK
    text = bank.read_text(encoding="utf-8")
    # coi-001's key is its option c; unmarked, c is also a wrong option without a misconception
    bank.write_text(text.replace("        correct: true\n", "", 1), encoding="utf-8")

    options = line_of(bank, "id: coi-001") + 11
    assert bank.read_text(encoding="utf-8").splitlines()[options - 1] == "    options:"
    assert problems_in(content, BANK) == [
        f"{BANK}:{options}: questions.0.options: no option is marked correct: "
        "mark the right answer with `correct: true`"
    ]


def test_load_list_as_front_matter_says_fields_belong_there(content: Path) -> None:
    (content / MODULE).write_text("---\n- id\n- title\n---\n## Reading\n\nText.\n", "utf-8")

    assert problems_in(content, MODULE) == [
        f"{MODULE}:2: the front matter must be fields, one per line as 'name: value' "
        "(here it is a list)"
    ]


def test_load_wrong_type_says_what_the_field_should_be(content: Path) -> None:
    module = content / MODULE
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("estimated_minutes: 25", "estimated_minutes: soon"), "utf-8")

    line = line_of(module, "estimated_minutes: soon")
    assert problems_in(content, MODULE) == [
        f"{MODULE}:{line}: estimated_minutes: should be a whole number, not 'soon'"
    ]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("status: approved", "status: done", "status: should be one of: draft, in_review, "
         "approved, retired, not 'done'"),
        ("id: walk-away", "id: Walk_Away", "id: should be an id: use lowercase letters, digits "
         "and hyphens, in words joined by single hyphens (e.g. walk-away), not 'Walk_Away'"),
        ("review_due: 2027-11-01", "review_due: soon", "provenance.review_due: should be a date "
         "like 2027-01-31, not 'soon'"),
        ("tracks: [probationer]", "tracks: probationer", "tracks: should be a list, "
         "not 'probationer'"),
        ("tracks: [probationer]", "tracks: []", "tracks: needs at least 1 entry"),
        ("title: Walking away from the tirade", "title:", "title: should be text, but it is "
         "empty"),
        ("title: Walking away from the tirade", "title: Walk\ncolor: red", "color: unknown field "
         "(check its spelling)"),
    ],
    ids=["literal", "pattern", "date", "list", "too-short", "empty", "extra"],
)  # fmt: skip
def test_load_module_field_problems_read_as_sentences(
    content: Path, old: str, new: str, said: str
) -> None:
    module = content / MODULE
    text = module.read_text(encoding="utf-8")
    assert old in text
    module.write_text(text.replace(old, new, 1), encoding="utf-8")

    line = text[: text.index(old)].count("\n") + 1 + new.count("\n")
    assert problems_in(content, MODULE) == [f"{MODULE}:{line}: {said}"]


def test_load_module_folder_without_module_md_names_the_missing_file(content: Path) -> None:
    (content / "modules" / "lost").mkdir()
    (content / "modules" / "lost" / "notes.txt").write_text("draft\n", encoding="utf-8")

    assert problems_in(content, "modules/lost/module.md") == [
        "modules/lost/module.md:1: the file is missing: each folder in modules/ holds one "
        "module, in a file named module.md"
    ]


def test_load_long_chain_of_situations_is_checked_without_recursion(content: Path) -> None:
    data = front_matter(content)
    scenario = data["scenario"]
    assert isinstance(scenario, dict)
    ending = next(s for s in scenario["situations"] if s.get("ending"))
    rules = next(c for s in scenario["situations"] for c in s.get("choices", ()))["rules"]
    step = {"text": "Go on.", "grade": "acceptable", "consequence": "On.", "why": "On."}
    chain = [
        {
            "id": f"s{n}",
            "title": "Another step",
            "text": "It goes on.",
            "choices": [dict(step, id=i, rules=list(rules), next=f"s{n + 1}") for i in "ab"],
        }
        for n in range(2000)  # far past Python's recursion limit of 1000
    ]
    scenario["situations"] = [*chain, dict(ending, id="s2000")]
    scenario["start"] = "s0"
    (content / MODULE).write_bytes(with_front_matter(content, data))

    assert problems_in(content, MODULE) == []


# ---- whatever is broken, load() returns problems ----


def _bank(transform: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def breaking(root: Path) -> None:
        path = root / BANK
        path.write_bytes(transform(path.read_bytes()))

    return breaking


def _module(transform: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def breaking(root: Path) -> None:
        path = root / MODULE
        path.write_bytes(transform(path.read_bytes()))

    return breaking


def _twin(module: Path) -> None:
    twin = module.parent.with_name("another-walk")
    twin.mkdir()
    (twin / "module.md").write_bytes(module.read_bytes())


def _folder_for(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _write(rel: str, data: bytes) -> Callable[[Path], None]:
    def breaking(root: Path) -> None:
        (root / rel).write_bytes(data)

    return breaking


LAUGHS = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n".encode()
    for n in range(9)
)

BROKEN: dict[str, Callable[[Path], None]] = {
    "invalid UTF-8 in a module": _module(lambda raw: raw.replace(b"Walking", b"Walk\xe9ing", 1)),
    "invalid UTF-8 in a bank": _bank(lambda raw: raw + b"\xc3("),
    "empty bank": _write(BANK, b""),
    "whitespace-only rules": _write("rules/rules.yaml", b"  \n \n"),
    "comments-only tracks": _write("tracks.yaml", b"# nothing yet\n"),
    "empty module": _write(MODULE, b""),
    "huge bank": _bank(lambda raw: raw + b"#" * (MAX_BYTES + 1)),
    "alias bomb": _write(BANK, LAUGHS),
    "deep flow nesting": _write(BANK, b"[" * 100_000 + b"]" * 100_000),
    "deep block nesting": _write("quizzes/quizzes.yaml", b"- " * 100_000 + b"x\n"),
    "deep mapping nesting": _write("tracks.yaml", b"".join(b" " * n + b"a:\n" for n in range(500))),
    "complex key": _write(BANK, b"? [a, b]\n: x\n"),
    "number key": _bank(lambda raw: raw + b"1: x\n"),
    "null key": _bank(lambda raw: raw.replace(b"title:", b"null:", 1)),
    "merge key": _bank(lambda raw: raw + b"<<: {a: 1}\n"),
    "tab indentation": _bank(lambda raw: raw.replace(b"\n  - id:", b"\n\t- id:", 1)),
    "tab in the front matter": _module(lambda raw: raw.replace(b"\ntitle:", b"\n\ttitle:", 1)),
    "list front matter": _write(MODULE, b"---\n- a\n---\n## R\n\nText.\n"),
    "scalar front matter": _write(MODULE, b"---\njust words\n---\n## R\n\nText.\n"),
    "front matter never closed": _module(lambda raw: raw.replace(b"\n---\n", b"\n", 1)),
    "no reading": _module(lambda raw: raw[: raw.index(b"\n## ") + 1]),
    "wrong type": _module(
        lambda raw: raw.replace(b"estimated_minutes: 25", b"estimated_minutes: [")
    ),
    "missing fields": _write("quizzes/quizzes.yaml", b"- id: zz\n- {}\n- 3\n- [a]\n"),
    "rule id that is a list": _write("rules/rules.yaml", b"- id: [a, b]\n  superseded_by: [c]\n"),
    "bank that is a list": _write(BANK, b"- id: x\n"),
    "bank that is a number": _write(BANK, b"42\n"),
    "question type that is a list": _bank(
        lambda raw: raw.replace(b"type: single", b"type: [x]", 1)
    ),
    "duplicate keys": _bank(lambda raw: raw + b"title: again\n"),
    "a key with a line break, twice": _bank(lambda raw: raw + b'"ti\\ntle": 1\n"ti\\ntle": 2\n'),
    "an unknown key with a line break": _bank(lambda raw: raw + b'"ti\\u2028tle": 1\n'),
    "control character": _bank(lambda raw: raw.replace(b"title:", b"ti\x07tle:", 1)),
    "second document": _bank(lambda raw: raw + b"---\nid: other\n"),
    "explicit tags": _bank(lambda raw: raw.replace(b"title: ", b"title: !!binary ", 1)),
    "a date that does not exist": _module(lambda raw: raw.replace(b"2027-11-01", b"2027-02-30")),
    "a number too long to read": _module(
        lambda raw: raw.replace(b"estimated_minutes: 25", b"estimated_minutes: " + b"9" * 5000)
    ),
    "binary noise": _write("rules/rules.yaml", bytes(range(256)) * 4),
    "protected names that are not a list": _write("rules/protected-names.yaml", b"names: 7\n"),
    "module.md that is a folder": lambda root: _folder_for(root / MODULE),
    "module folder without module.md": lambda root: (root / MODULE).unlink(),
    "two module folders with one id": lambda root: _twin(root / MODULE),
}


@pytest.mark.parametrize("breaking", BROKEN.values(), ids=BROKEN.keys())
def test_load_broken_content_returns_problems_and_raises_nothing(
    content: Path, breaking: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    breaking(content)

    catalogue, problems = load(content)

    assert problems
    assert catalogue is not None
    for problem in problems:
        assert PROBLEM.fullmatch(problem), problem
        assert "could not check this file" not in problem, problem
    # what the app's router catches: the problems, as one CourseError
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))
    current.forget()
    with pytest.raises(CourseError, match=re.escape(problems[0])):
        current.catalogue()


def test_router_with_broken_content_shows_the_problems_not_a_traceback(
    content: Path, sqlite_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (content / BANK).write_bytes(b"id: \xff\n")
    monkeypatch.setenv("COURSE_CONTENT_DIR", str(content))

    at = AppTest.from_file(str(ROUTER), default_timeout=30).run()

    assert not at.exception
    assert "its content has problems" in at.error[0].value
    assert f"\n{BANK}:1: this line holds a character saved in another encoding" in at.code[0].value


# ---- properties: random and mutated files ----

FUZZ = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
YAMLISH = st.text(alphabet="-:?[]{},#&*!|>'\"%@`\t\n  ab1.~\\\r\x85\u2028\ufeff\x00é", max_size=400)
NOISE = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=400).map(str.encode),
    YAMLISH.map(str.encode),
)


@FUZZ
@given(rel=st.sampled_from(FILES), data=NOISE)
def test_load_random_bytes_in_any_file_names_each_problem_well(
    content: Path, rel: str, data: bytes
) -> None:
    with replaced(content / rel, data):
        catalogue, problems = load(content)

        assert_named_well(content, problems)


def _lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\n")


def _at(raw: bytes, n: int) -> int:
    return n % (len(raw) + 1)


MUTATIONS: dict[str, Callable[[bytes, int, int], bytes]] = {
    "delete a line": lambda raw, i, _: b"\n".join(
        line for k, line in enumerate(_lines(raw)) if k != i % len(_lines(raw))
    ),
    "duplicate a line": lambda raw, i, _: _duplicate(raw, i),
    "swap two lines": lambda raw, i, j: _swap(raw, i, j),
    "replace a character": lambda raw, i, j: _replace(raw, i, bytes([32 + j % 95])),
    "truncate": lambda raw, i, _: raw[: _at(raw, i)],
    "insert a tab": lambda raw, i, _: raw[: _at(raw, i)] + b"\t" + raw[_at(raw, i) :],
    "indent a line": lambda raw, i, j: _indent(raw, i, j % 5 - 2),
    "insert an anchor": lambda raw, i, _: raw[: _at(raw, i)] + b"&a " + raw[_at(raw, i) :],
    "insert an alias": lambda raw, i, _: raw[: _at(raw, i)] + b"*a" + raw[_at(raw, i) :],
    "insert invalid UTF-8": lambda raw, i, j: raw[: _at(raw, i)]
    + [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82"][j % 4]
    + raw[_at(raw, i) :],
}  # fmt: skip


def _duplicate(raw: bytes, i: int) -> bytes:
    lines = _lines(raw)
    i = i % len(lines)
    return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])


def _replace(raw: bytes, i: int, by: bytes) -> bytes:
    at = i % (len(raw) + 1)
    return raw[:at] + by + raw[at + 1 :]


def _swap(raw: bytes, i: int, j: int) -> bytes:
    lines = _lines(raw)
    i, j = i % len(lines), j % len(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _indent(raw: bytes, i: int, by: int) -> bytes:
    lines = _lines(raw)
    i = i % len(lines)
    lines[i] = b" " * by + lines[i] if by > 0 else lines[i][-by:] if by else lines[i]
    return b"\n".join(lines)


EDITS = st.lists(
    st.tuples(
        st.sampled_from(sorted(MUTATIONS)),
        st.integers(min_value=0, max_value=10**6),
        st.integers(min_value=0, max_value=10**6),
    ),
    min_size=1,
    max_size=3,
)


@FUZZ
@given(rel=st.sampled_from(FILES), edits=EDITS)
def test_load_mutated_shipped_file_names_each_problem_well(
    content: Path, rel: str, edits: list[tuple[str, int, int]]
) -> None:
    path = content / rel
    data = path.read_bytes()
    for name, i, j in edits:
        data = MUTATIONS[name](data, i, j)
    with replaced(path, data):
        catalogue, problems = load(content)

        assert_named_well(content, problems)
