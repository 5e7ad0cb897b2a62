"""The command line: python -m course COMMAND (see --help)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from course import config
from course.errors import CourseError


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line and exits 1 (the contract), not 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {message} (see --help)", file=sys.stderr)
        raise SystemExit(1)


def _use_db(args: argparse.Namespace) -> None:
    if getattr(args, "db", None):
        os.environ["COURSE_DATABASE_URL"] = args.db
    from course.store import db, migrate

    db.reset()
    migrate.upgrade(config.database_url())


def validate(args: argparse.Namespace) -> int:
    """Check every module, bank, quiz, track and rule; print path:line: problem for each."""
    from course.content import drafts
    from course.content.loader import load

    root = Path(args.content) if args.content else config.content_dir()
    if not root.is_dir():
        print(f"error: content folder '{root}' does not exist", file=sys.stderr)
        return 1
    catalogue, problems = load(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(
        f"ok: {len(catalogue.modules)} modules, {len(catalogue.banks)} banks "
        f"({len(catalogue.questions)} questions), {len(catalogue.quizzes)} quizzes, "
        f"{len(catalogue.rules)} rules"
    )
    # imported drafts are not content yet: what each still needs is a to-do list, not a failure
    waiting = drafts.needs(root, catalogue.rules)
    for line in waiting:
        print(line)
    if waiting:
        print(f"{len(waiting)} draft(s) still need an author (quizzes/drafts/)")
    return 0


def questions_import(args: argparse.Namespace) -> int:
    """Read a GIFT or Aiken file into drafts of a bank (quizzes/drafts/BANK.yaml)."""
    from course.services import question_import

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        print(f"error: no file '{path}'", file=sys.stderr)
        return 1
    found = question_import.read(data, path.name, args.format, args.bank)
    for row in found.rows:
        print(f"line {row.line}: {row.kind} '{row.title}'")
        for need in row.needs:
            print(f"  needs: {need}")
    for skipped in found.skipped:
        print(skipped.message)
    if args.dry_run:
        print(f"{len(found.rows)} question(s) read; nothing saved (--dry-run)", file=sys.stderr)
        return 0
    _use_db(args)
    from course.services.access import Actor

    saved = question_import.save(Actor.command_line(), found)
    print(f"{len(found.rows)} question(s) saved as drafts in {saved}", file=sys.stderr)
    return 0


def _since(text: str | None) -> Any:
    """A --since value: a date (midnight in the academy's time zone) or a time with a zone."""
    from datetime import date, datetime

    if text is None:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(
                date.fromisoformat(text), datetime.min.time(), config.timezone()
            )
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CourseError(f"--since '{text}' is not a date (2026-12-01) or a time") from None
    if moment.tzinfo is None:
        raise CourseError(f"--since '{text}' needs a time zone, e.g. 2026-12-01T09:00+05:00")
    return moment


def xapi_export(args: argparse.Namespace) -> int:
    """Write the xAPI statements of the records (at or after --since) as a JSON array."""
    _use_db(args)
    from course.services import xapi_records

    found = xapi_records.export(_since(args.since), check_all=args.check)
    text = json.dumps(found, ensure_ascii=False, indent=1)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    print(f"{len(found)} statement(s)", file=sys.stderr)
    return 0


def xapi_send(args: argparse.Namespace) -> int:
    """Queue new xAPI statements and send what is queued to the LRS (run it from cron)."""
    _use_db(args)
    from course.services import xapi_records

    added = xapi_records.queue(_since(args.since))
    done = xapi_records.deliver()
    print(f"queued {added} new statement(s); sent {done.sent}; {done.waiting} waiting")
    if done.error:
        print(f"error: {done.error} (the statements stay queued for the next run)", file=sys.stderr)
        return 1
    return 0


def questions_export(args: argparse.Namespace) -> int:
    """Write a bank as GIFT (the course's extras in comments, so a re-import loses nothing)."""
    from course.services import question_import

    text = question_import.export_text(args.bank)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def db_upgrade(args: argparse.Namespace) -> int:
    """Apply the migrations to the database."""
    _use_db(args)
    print("database is at the newest schema")
    return 0


def users_add(args: argparse.Namespace) -> int:
    """Create an account; the password is read from stdin, or a one-time one is printed."""
    _use_db(args)
    from course.services import users
    from course.services.access import Actor

    password = None
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n") or None
    issued = users.add(
        Actor.command_line(),
        args.username,
        args.role,
        full_name=args.name or args.username,
        cohort=args.cohort,
        section=args.section,
        password=password,
    )
    print(f"created {args.role} '{args.username.lower()}'")
    if issued:
        print(f"one-time password: {issued}  (must be changed at first sign-in)")
    return 0


def cohorts_add(args: argparse.Namespace) -> int:
    """Create a cohort, optionally with sections and a trainer."""
    _use_db(args)
    from course.services import cohorts
    from course.services.access import Actor

    cohorts.create_cohort(
        Actor.command_line(), args.name, args.track, args.section or [], trainer=args.trainer
    )
    print(f"created cohort '{args.name}' ({args.track})")
    return 0


def roster_import(args: argparse.Namespace) -> int:
    """Enrol learners from a CSV roster: all rows or none."""
    _use_db(args)
    from course.services import cohorts
    from course.services.access import Actor

    path = Path(args.file)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        print(f"error: no file '{path}'", file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print(f"error: '{path}' is not UTF-8 text", file=sys.stderr)
        return 1
    added = cohorts.import_roster(Actor.command_line(), args.cohort, text)
    for one in added:
        note = (
            f"one-time password {one.one_time_password}"
            if one.one_time_password
            else "existing account"
        )
        print(f"{one.username},{note}")
    print(f"enrolled {len(added)} learner(s) in '{args.cohort}'", file=sys.stderr)
    return 0


def demo(args: argparse.Namespace) -> int:
    """Create a demo academy with synthetic activity."""
    _use_db(args)
    from course.services import demo as demo_academy
    from course.services.access import Actor

    built = demo_academy.build(Actor.command_line(), learners=args.learners, seed=args.seed)
    print(f"demo academy: cohorts {', '.join(built.cohorts)}; {built.learners} learners")
    print(
        f"sign in as {', '.join(built.staff)} or learner1..learner{built.learners}; "
        f"password: {built.password}"
    )
    return 0


def scores_export(args: argparse.Namespace) -> int:
    """Write a cohort's scores, attempts and mastery as CSV (UTF-8 with BOM, spreadsheet-safe)."""
    _use_db(args)
    from course.services import exports
    from course.services.access import Actor

    actor = Actor.command_line()
    export = exports.scores_csv(actor, exports.cohort_named(actor, args.cohort))
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(export.data)
        sys.stdout.buffer.flush()
    else:
        try:
            Path(args.output).write_bytes(export.data)
        except OSError as problem:
            print(f"error: cannot write '{args.output}': {problem.strerror}", file=sys.stderr)
            return 1
        print(f"wrote {export.rows} learner(s) to {args.output}", file=sys.stderr)
    return 0


def inventory(args: argparse.Namespace) -> int:
    """What the content holds: modules, banks, quizzes and rules."""
    from course import config
    from course.content.inventory import describe
    from course.content.loader import load

    # what loaded is described even while it has problems (an author fixing them watches the
    # figures move); the problems go to stderr and the exit code says the content is not clean
    catalogue, problems = load(config.content_dir())
    if problems:
        print(
            f"error: {len(problems)} problem(s) in the content (what loaded is described):",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
    report = describe(catalogue)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for module in report["modules"]:
            print(
                f"module {module['id']}: {module['decision_points']} decision points, "
                f"tracks {', '.join(module['tracks'])}"
            )
        for bank in report["banks"]:
            print(f"bank {bank['id']}: {bank['questions']} questions {bank['by_type']}")
        for quiz in report["quizzes"]:
            print(f"quiz {quiz['id']}: draws {quiz['draws']}, pass mark {quiz['pass_mark']:.0%}")
        print(f"rules: {report['rules']} ({report['verified_rules']} verified)")
    return 1 if problems else 0


POLICY_FILE = Path(__file__).resolve().parent.parent / "docs" / "grading-policy.md"


def grading_policy(args: argparse.Namespace) -> int:
    """How the course grades each recurring act (docs/grading-policy.md), from rules/acts.yaml."""
    from course.content.current import catalogue
    from course.content.grading_policy import policy_markdown

    text = policy_markdown(catalogue())
    if args.write:
        POLICY_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {POLICY_FILE}", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def build_parser() -> Parser:
    parser = Parser(
        prog="python -m course",
        description="Service, Not Spectacle: course administration.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def command(
        name: str,
        run: Callable[[argparse.Namespace], int],
        sub: argparse._SubParsersAction[Parser] = commands,
    ) -> Parser:
        one = sub.add_parser(name, help=(run.__doc__ or "").strip().splitlines()[0])
        one.set_defaults(run=run)
        return one

    def with_db(one: Parser) -> Parser:
        one.add_argument(
            "--db",
            metavar="URL",
            help="database URL (default: COURSE_DATABASE_URL or data/course.db)",
        )
        return one

    one = command("validate", validate)
    one.add_argument("--content", metavar="DIR", help="content folder (default: the project)")

    db_parser = commands.add_parser("db", help="database commands")
    db_sub = db_parser.add_subparsers(dest="db_command", required=True, parser_class=Parser)
    with_db(command("upgrade", db_upgrade, sub=db_sub))

    users_parser = commands.add_parser("users", help="accounts")
    users_sub = users_parser.add_subparsers(
        dest="users_command", required=True, parser_class=Parser
    )
    one = with_db(command("add", users_add, sub=users_sub))
    one.add_argument("username")
    one.add_argument("--role", required=True, choices=["learner", "trainer", "viewer", "admin"])
    one.add_argument("--name", help="full name")
    one.add_argument("--cohort", help="cohort to enrol in (learner, trainer, viewer)")
    one.add_argument("--section", help="section of the cohort")

    cohorts_parser = commands.add_parser("cohorts", help="cohorts")
    cohorts_sub = cohorts_parser.add_subparsers(
        dest="cohorts_command", required=True, parser_class=Parser
    )
    one = with_db(command("add", cohorts_add, sub=cohorts_sub))
    one.add_argument("name")
    one.add_argument("--track", required=True, choices=["probationer", "refresher"])
    one.add_argument("--trainer", metavar="USERNAME", help="assign an existing user as trainer")
    one.add_argument(
        "--section", action="append", metavar="NAME", help="add a section (repeatable)"
    )

    roster_parser = commands.add_parser("roster", help="rosters")
    roster_sub = roster_parser.add_subparsers(
        dest="roster_command", required=True, parser_class=Parser
    )
    one = with_db(command("import", roster_import, sub=roster_sub))
    one.add_argument("file", metavar="FILE.csv")
    one.add_argument("--cohort", required=True)

    scores_parser = commands.add_parser("scores", help="scores")
    scores_sub = scores_parser.add_subparsers(
        dest="scores_command", required=True, parser_class=Parser
    )
    one = with_db(command("export", scores_export, sub=scores_sub))
    one.add_argument("--cohort", required=True, metavar="NAME")
    one.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")

    formats = {}
    for fmt in ("gift", "aiken"):
        fmt_parser = commands.add_parser(fmt, help=f"{fmt.upper()} question files")
        formats[fmt] = fmt_parser.add_subparsers(
            dest=f"{fmt}_command", required=True, parser_class=Parser
        )
        one = with_db(command("import", questions_import, sub=formats[fmt]))
        one.add_argument("file", metavar="FILE")
        one.add_argument("--bank", required=True, help="the bank the drafts are for")
        one.add_argument("--dry-run", action="store_true", help="show what would be imported")
        one.set_defaults(format=fmt)
    one = command("export", questions_export, sub=formats["gift"])
    one.add_argument("--bank", required=True)
    one.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")

    xapi_parser = commands.add_parser("xapi", help="xAPI statements for a learning record store")
    xapi_sub = xapi_parser.add_subparsers(dest="xapi_command", required=True, parser_class=Parser)
    one = with_db(command("export", xapi_export, sub=xapi_sub))
    one.add_argument("--since", metavar="DATE", help="only events at or after this date or time")
    one.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    one.add_argument(
        "--check", action="store_true", help="check every statement against the xAPI schema"
    )
    one = with_db(command("send", xapi_send, sub=xapi_sub))
    one.add_argument("--since", metavar="DATE", help="queue events at or after this (default: new)")

    one = with_db(command("demo", demo))
    one.add_argument("--learners", type=int, default=40)
    one.add_argument("--seed", type=int, default=7)

    one = command("inventory", inventory)
    one.add_argument("--json", action="store_true", help="print JSON")

    one = command("grading-policy", grading_policy)
    one.add_argument("--write", action="store_true", help=f"write {POLICY_FILE.name} in docs/")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except CourseError as problem:
        for line in str(problem).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
