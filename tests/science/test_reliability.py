"""Reliability against R: alpha from its formula and omega total from ``factanal`` (base R).

Reference numbers: tests/science/results/reliability/ (make_data.py → CSVs, reliability_reference.R
→ reliability_reference.json).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from counterpoint.science.errors import DyadDataError
from counterpoint.science.reliability import (
    ScaleReliability,
    cronbach_alpha,
    mcdonald_omega,
    one_factor_ml,
)

HERE = Path(__file__).resolve().parent / "results" / "reliability"


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads((HERE / "reliability_reference.json").read_text())


@pytest.fixture(scope="module")
def keyed() -> dict[str, np.ndarray]:
    answers = pd.read_csv(HERE / "reliability_data.csv")
    keys = pd.read_csv(HERE / "reliability_keys.csv")
    out = {}
    for scale, rows in keys.groupby("scale", sort=False):
        x = answers[list(rows["item"])].to_numpy(dtype=float)
        out[str(scale)] = np.where(rows["sign"].to_numpy() > 0, x, 8 - x)
    return out


def test_alpha_agrees_with_r(keyed, reference) -> None:
    for scale, x in keyed.items():
        # k / (k - 1) * (1 - sum(apply(x, 2, var)) / var(rowSums(x)))
        assert_allclose(cronbach_alpha(x), reference[scale]["alpha"], rtol=1e-12, err_msg=scale)


def test_omega_agrees_with_r(keyed, reference) -> None:
    for scale, x in keyed.items():
        # f <- factanal(covmat = cor(x), factors = 1); sum(l)^2 / (sum(l)^2 + sum(f$uniquenesses))
        assert_allclose(mcdonald_omega(x), reference[scale]["omega"], atol=1e-5, err_msg=scale)


def test_one_factor_loadings_agree_with_factanal(keyed, reference) -> None:
    for scale in ("closeness", "borrowed_footing", "connection"):
        fit = one_factor_ml(np.corrcoef(keyed[scale], rowvar=False))
        # abs(factanal(covmat = cor(x), factors = 1)$loadings[, 1])
        assert_allclose(fit.loadings, reference[scale]["loadings"], atol=2e-4, err_msg=scale)
        # factanal(covmat = cor(x), factors = 1)$uniquenesses
        assert_allclose(fit.uniquenesses, reference[scale]["uniquenesses"], atol=2e-4)
        assert fit.converged


def test_item_total_statistics_agree_with_r(keyed, reference) -> None:
    for scale in ("trust", "autonomy"):
        rel = ScaleReliability(keyed[scale])
        # cor(x[, i], rowSums(x[, -i]))
        assert_allclose(rel.item_stats["r_drop"], reference[scale]["r_drop"], rtol=1e-10)
        # alpha(x[, -i])
        assert_allclose(
            rel.item_stats["alpha_if_dropped"], reference[scale]["alpha_drop"], rtol=1e-10
        )
        # sd(rowMeans(x))
        assert_allclose(rel.sd, reference[scale]["sd"], rtol=1e-12)


def test_hand_checked_alpha() -> None:
    # Three identical items: perfectly consistent, alpha = 1.
    x = np.array([[1, 1, 1], [4, 4, 4], [7, 7, 7], [2, 2, 2]], dtype=float)
    assert cronbach_alpha(x) == pytest.approx(1.0)
    # Hand computation (uncorrelated items): alpha = 0.
    y = np.array([[1, 1], [1, 3], [3, 1], [3, 3]], dtype=float)
    # item vars: 4/3 each; total = [2, 4, 4, 6] -> var 8/3; alpha = 2 * (1 - (8/3)/(8/3)) = 0
    assert cronbach_alpha(y) == pytest.approx(0.0)


def test_sem_uses_reliability() -> None:
    rng = np.random.default_rng(1)
    true = rng.normal(size=(200, 1))
    x = true + rng.normal(scale=0.8, size=(200, 4))
    rel = ScaleReliability(x)
    assert rel.sem(0.75) == pytest.approx(rel.sd * 0.5)
    assert 0 < rel.sem() < rel.sd


def test_bad_input_is_named() -> None:
    with pytest.raises(DyadDataError, match="row 1, item column 0"):
        cronbach_alpha(np.array([[1, 2], [np.nan, 3], [2, 2], [3, 1]]))
    with pytest.raises(DyadDataError, match="no variance"):
        cronbach_alpha(np.array([[1, 2], [1, 3], [1, 2]]))
    with pytest.raises(DyadDataError, match="at least 3 items"):
        mcdonald_omega(np.array([[1, 2], [2, 3], [3, 5], [4, 4]]))
    with pytest.raises(DyadDataError, match="singular"):
        # four respondents, five items: R's factanal refuses this too
        mcdonald_omega(
            np.array([[1, 2, 3, 4, 5], [2, 2, 4, 4, 6], [5, 4, 3, 3, 1], [6, 7, 5, 5, 2]])
        )
    with pytest.raises(DyadDataError, match="at least 3 respondents"):
        cronbach_alpha(np.array([[1, 2], [2, 3]]))
