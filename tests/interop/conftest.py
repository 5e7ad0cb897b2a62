"""The interoperability fixtures: copied into tests/data/interop (so a clean clone has them)."""

from __future__ import annotations

from pathlib import Path

import pytest

INTEROP = Path(__file__).resolve().parents[1] / "data" / "interop"


@pytest.fixture(scope="session")
def interop() -> Path:
    return INTEROP
