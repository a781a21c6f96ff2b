from __future__ import annotations

from pathlib import Path

import pytest

REFERENCE_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "reference-data"
RESULTS = Path(__file__).resolve().parent / "results"


@pytest.fixture
def reference_data() -> Path:
    """The public datasets in ../shared/reference-data (skipped with a reason where absent)."""
    if not REFERENCE_DATA.is_dir():
        pytest.skip(f"public reference data not found at {REFERENCE_DATA} (CI always has it)")
    return REFERENCE_DATA


@pytest.fixture
def results_dir() -> Path:
    return RESULTS
