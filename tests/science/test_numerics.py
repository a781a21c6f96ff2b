"""The shared numerical helpers: one Hessian and one normal quantile for every model."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from counterpoint.science.numerics import Z95, hessian, normal_quantile

ENGINE = Path(__file__).resolve().parents[2] / "counterpoint" / "science"


def test_normal_quantile_matches_scipy() -> None:
    for level in (0.5, 0.9, 0.95, 0.99):
        assert normal_quantile(level) == pytest.approx(stats.norm.ppf(0.5 + level / 2), abs=1e-15)
    assert normal_quantile(0.95) == Z95
    with pytest.raises(ValueError):
        normal_quantile(1.0)


def test_hessian_of_a_quadratic_form_is_its_matrix() -> None:
    a = np.array([[2.0, 0.5, -1.0], [0.5, 3.0, 0.25], [-1.0, 0.25, 1.5]])
    x = np.array([0.3, -1.2, 2.0])
    np.testing.assert_allclose(hessian(lambda v: 0.5 * v @ a @ v, x), a, atol=1e-6)


def test_no_model_hard_codes_a_normal_quantile() -> None:
    """Intervals use numerics.Z95 / normal_quantile; a literal 1.96 (or norm.ppf) would drift apart."""
    offenders = []
    for path in ENGINE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "numerics.py" and re.search(r"1\.96|norm\.ppf|def _hessian", text):
            offenders.append(path.name)
    assert offenders == []
