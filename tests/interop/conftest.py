"""The shared interop fixtures (../shared/interop beside the repository), or a skip."""

from __future__ import annotations

from pathlib import Path

import pytest

# tests/interop/conftest.py -> parents[2] is the repository's root; the shared folder sits beside it
INTEROP = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop"


@pytest.fixture(scope="session")
def interop() -> Path:
    if not INTEROP.is_dir():
        pytest.skip(f"shared interop fixtures not found at {INTEROP}")
    return INTEROP
