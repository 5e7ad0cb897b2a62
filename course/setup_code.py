"""Where the operator finds the one-time setup code for the first administrator.

The code is a secret, so it never goes to a log: it is written to a file only the server's user
can read, and printed only when the server runs in a terminal (a person, not a log, reads it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from course import config


def path() -> Path:
    return config.data_dir() / "setup-code.txt"


def announce(code: str) -> str:
    """Keep the code in its file; return what to print on the console."""
    where = path()
    descriptor = os.open(where, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(code + "\n")
    if sys.stdout.isatty():
        shown = f"enter this one-time setup code: {code}"
    else:
        shown = f"enter the one-time setup code kept in {where} (it is not printed in logs)"
    return (
        "\n  No administrator exists yet. Open the app and choose 'First-time setup',\n"
        f"  then {shown}\n"
        "  (or run: .venv/bin/python -m course users add USERNAME --role admin)\n"
    )


def forget() -> None:
    """Remove the file once an administrator exists."""
    path().unlink(missing_ok=True)
