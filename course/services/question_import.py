"""Questions in and out: Moodle GIFT and Aiken files read into drafts (course/content/drafts.py),
shown first as a preview, and a bank written out as GIFT with nothing lost (course/interop).

Reading a file is pure and happens before any transaction; saving the drafts writes the
drafts file and the audit row together (a failed write leaves no audit row, and the other way
round). Administrators only: a bank's export holds every key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from course import config
from course.content import drafts
from course.content.current import catalogue
from course.errors import BadInput, Unavailable
from course.interop import aiken, gift
from course.interop.bank import from_question, to_bank_entry
from course.interop.model import Skipped
from course.services import audit
from course.services.access import Actor, require_admin
from course.store.db import reading, transaction

Format = Literal["gift", "aiken"]
FORMATS: tuple[Format, ...] = ("gift", "aiken")
LARGEST = 2 * 1024 * 1024  # bytes: the content loader's limit


@dataclass(frozen=True)
class Row:
    title: str
    kind: str
    line: int
    stem: str
    needs: tuple[str, ...]
    draft: drafts.NewDraft


@dataclass(frozen=True)
class Preview:
    source: str
    bank: str
    rows: tuple[Row, ...]
    skipped: tuple[Skipped, ...]


def read(data: bytes, source: str, fmt: str, bank_id: str) -> Preview:
    """What a file would import into a bank (nothing is saved). A file that cannot be imported
    raises an error naming the file and each line; nothing from it is kept."""
    if fmt not in FORMATS:
        raise BadInput(f"Choose the file's format: {' or '.join(FORMATS)} (not '{fmt}').")
    if bank_id not in catalogue().banks:
        raise BadInput(f"There is no bank '{bank_id}'.")
    if len(data) > LARGEST:
        raise BadInput(f"{source} is over 2 MB: split it, or check it is the right file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"{source} is not UTF-8 text: save it as UTF-8 and try again.") from None
    if fmt == "gift":
        found = gift.parse_gift(text, source)
        questions, skipped = found.questions, found.skipped
    else:
        questions, skipped = tuple(aiken.parse_aiken(text, source)), ()
    rows = []
    for question in questions:
        made = to_bank_entry(question)
        title = question.name
        rows.append(
            Row(
                title=title,
                kind=question.kind,
                line=question.line,
                stem=" ".join(question.stem.split())[:120],
                needs=made.needs,
                draft=drafts.NewDraft(f"{source}, line {question.line}", title, made.entry),
            )
        )
    return Preview(source, bank_id, tuple(rows), tuple(skipped))


def preview(actor: Actor, data: bytes, source: str, fmt: str, bank_id: str) -> Preview:
    with reading() as db:
        require_admin(db, actor)
    return read(data, source, fmt, bank_id)


def save(actor: Actor, found: Preview) -> str:
    """Keep a preview's questions as drafts of its bank; the drafts file's path."""
    kept = [r.draft for r in found.rows if r.kind != "description"]
    with transaction() as db:
        me = require_admin(db, actor)
        if not kept:
            raise BadInput("The file holds no question the course can keep.")
        try:
            path = drafts.add(config.content_dir(), found.bank, kept)
        except OSError as failure:  # e.g. a deployment whose content folder is read-only
            raise Unavailable(f"The drafts could not be written: {failure.strerror}.") from None
        audit.record(
            db, me, "import questions", "bank", found.bank, source=found.source, drafts=len(kept)
        )
    return str(path.relative_to(config.content_dir()))


def export_text(bank_id: str) -> str:
    """A bank as GIFT: our rules, misconceptions and the rest in `// sns:` comments."""
    bank = catalogue().banks.get(bank_id)
    if bank is None:
        raise BadInput(f"There is no bank '{bank_id}'.")
    return gift.write_gift([from_question(q, category=bank.title) for q in bank.questions])


def export(actor: Actor, bank_id: str) -> str:
    with transaction() as db:
        me = require_admin(db, actor)
        text = export_text(bank_id)
        audit.record(db, me, "export questions", "bank", bank_id, format="gift")
    return text
