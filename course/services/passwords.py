"""Password hashing: argon2id at OWASP's minimum cost, with a bounded number at once.

A hash is deliberately slow, so it is never done inside a write transaction, and no more of them
run at once than the machine has cores to spare: a lab signing in together then queues here
instead of starving every learner's answer of CPU.
"""

from __future__ import annotations

import os
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from course import config

# OWASP Password Storage Cheat Sheet: argon2id, m = 46 MiB, t = 1, p = 1 (its first option);
# about 45 ms here, so a sign-in costs one such check. COURSE_ARGON2_MEMORY_KIB raises it on a
# bigger server (the test suite lowers it, to build its many accounts quickly).
MEMORY_KIB = config.argon2_memory_kib()
_HASHER = PasswordHasher(time_cost=1, memory_cost=MEMORY_KIB, parallelism=1)
# A one-time password is 16 random characters (about 79 bits), so guessing it is hopeless at any
# cost; a light hash keeps a 500-row roster quick. It must be replaced at first sign-in anyway.
_ONE_TIME = PasswordHasher(time_cost=1, memory_cost=min(8192, MEMORY_KIB), parallelism=1)
_AT_ONCE = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) - 1))
LONGEST = 1024  # characters: more is refused before it is hashed


def hash_password(password: str) -> str:
    with _AT_ONCE:
        return _HASHER.hash(password)


def hash_one_time(password: str) -> str:
    """Hash a generated one-time password (never one a person chose)."""
    with _AT_ONCE:
        return _ONE_TIME.hash(password)


def verify(stored: str, password: str) -> bool:
    """Whether the password matches the stored hash (False for a malformed hash)."""
    with _AT_ONCE:
        try:
            return _HASHER.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash was made with other parameters (it is replaced at the next sign-in)."""
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


# Unknown usernames are checked against this, so they cost what a real account costs.
DUMMY_HASH = _HASHER.hash("timing-equaliser")
