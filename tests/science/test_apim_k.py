"""Intervals for Kenny's k = p / a: Fieller against R, the bootstrap's seed, coverage by simulation."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from counterpoint.science.apim import APIM, simulate_apim
from counterpoint.science.apim_k import MAX_BOOT, MIN_BOOT, fieller_interval
from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError

RESULTS = Path(__file__).parent / "results" / "apim"


@pytest.fixture(scope="module")
def sim() -> DyadicData:
    df = pd.read_csv(RESULTS / "apim_sim.csv")
    return DyadicData(df, dyad="dyad", person="person", role="role")


@pytest.fixture(scope="module")
def ref() -> dict:
    return json.loads((RESULTS / "k_fieller.json").read_text())


def test_fieller_agrees_with_r(sim, ref) -> None:
    ind = APIM(sim, "y", x=["x"], distinguishable=False).fit(k_interval="fieller")
    # fieller(gls(y ~ x + px, correlation = corCompSymm(form = ~1 | dyad)), "x", "px"):
    # roots of (a² − q² v_aa) k² − 2 (a p − q² v_ap) k + (p² − q² v_pp), q = qnorm(0.975)
    row = ind.k.loc["x"]
    assert_allclose(row["estimate"], ref["indist_reml"]["k"], rtol=1e-4)
    assert_allclose(
        [row["ci_low"], row["ci_high"]],
        [ref["indist_reml"]["low"], ref["indist_reml"]["high"]],
        rtol=1e-4,
    )
    dist = APIM(sim, "y", x=["x"]).fit(k_interval="fieller")
    for role in ("F", "M"):
        # fieller(gls(y ~ 0 + role + role:x + role:px, ..., weights = varIdent(form = ~1 | role)),
        #         "roleR:x", "roleR:px")
        row = dist.k.loc[f"x@{role}"]
        r = ref[f"dist_reml_{role}"]
        assert_allclose(
            [row["estimate"], row["ci_low"], row["ci_high"]],
            [r["k"], r["low"], r["high"]],
            rtol=1e-4,
        )
        assert row["method"] == "fieller"


def test_fieller_endpoints_solve_its_equation() -> None:
    a, p, q = 0.8, 0.3, 1.959963984540054
    cov = np.array([[0.02, 0.004], [0.004, 0.03]])
    lo, hi, shape = fieller_interval(a, p, cov, q)
    assert shape == "bounded" and lo < p / a < hi
    for k in (lo, hi):
        var = cov[1, 1] - 2 * k * cov[0, 1] + k * k * cov[0, 0]
        assert_allclose((p - k * a) ** 2, q * q * var, rtol=1e-10)
    # a not distinguishable from zero: no finite interval
    lo, hi, shape = fieller_interval(0.05, 0.3, cov, q)
    assert shape in ("outside", "unbounded") and (lo, hi) == (-math.inf, math.inf)


def test_bootstrap_is_seeded_and_sensible(sim) -> None:
    model = APIM(sim, "y", x=["x"], distinguishable=False)
    one = model.fit(k_interval="bootstrap", n_boot=200, seed=4).k
    two = model.fit(k_interval="bootstrap", n_boot=200, seed=4).k
    other = model.fit(k_interval="bootstrap", n_boot=200, seed=5).k
    pd.testing.assert_frame_equal(one, two)
    assert not one.equals(other)
    row = one.loc["x"]
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    delta = model.fit().k.loc["x"]
    # bootstrap SD and the delta-method SE estimate the same spread (within Monte Carlo error)
    assert abs(row["se"] / delta["se"] - 1) < 0.35
    assert "bootstrap 95% CI" in model.fit(k_interval="bootstrap", n_boot=100).summary()


def test_bad_option_is_refused(sim) -> None:
    with pytest.raises(DyadDataError, match="unknown k interval 'wald'"):
        APIM(sim, "y", x=["x"]).fit(k_interval="wald")


@pytest.mark.parametrize("n_boot", [MIN_BOOT - 1, MAX_BOOT + 1])
def test_number_of_refits_is_bounded(sim, n_boot: int) -> None:
    with pytest.raises(DyadDataError, match=f"{MIN_BOOT} to {MAX_BOOT:,} refits, got {n_boot:,}"):
        APIM(sim, "y", x=["x"]).fit(k_interval="bootstrap", n_boot=n_boot)


def test_boot_progress_follows_every_refit(sim) -> None:
    """The hook sees each refit once, in order, and does not change the interval."""
    model = APIM(sim, "y", x=["x"], distinguishable=False)
    seen: list[tuple[int, int]] = []
    followed = model.fit(k_interval="bootstrap", n_boot=MIN_BOOT, seed=2)
    followed.boot_progress = lambda done, total: seen.append((done, total))
    plain = model.fit(k_interval="bootstrap", n_boot=MIN_BOOT, seed=2)
    pd.testing.assert_frame_equal(followed.k, plain.k)
    assert seen == [(b, MIN_BOOT) for b in range(1, MIN_BOOT + 1)]
    delta = model.fit()
    delta.boot_progress = lambda done, total: seen.append((done, total))
    delta.k  # noqa: B018 -- no bootstrap: the hook is never called
    assert len(seen) == MIN_BOOT


@pytest.mark.slow  # a Monte Carlo study: make test runs it, make check does not
def test_coverage_of_delta_and_fieller() -> None:
    """95% intervals cover the true k = .5 at about the nominal rate (150 dyads, 300 datasets)."""
    rng = np.random.default_rng(18)
    hits = {"delta": 0, "fieller": 0}
    reps = 300
    for seed in rng.integers(0, 2**31, size=reps):
        df = simulate_apim(150, seed=int(seed), a=0.4, p=0.2, rho=0.4)
        data = DyadicData(df, dyad="dyad", person="person")
        model = APIM(data, "y", x=["x"])
        for method in hits:
            row = model.fit(k_interval=method).k.loc["x"]
            hits[method] += row["ci_low"] <= 0.5 <= row["ci_high"]
    coverage = {m: h / reps for m, h in hits.items()}
    print(coverage)
    # Monte Carlo SE of a coverage near .95 with 300 datasets: about .013
    assert all(0.92 <= c <= 0.98 for c in coverage.values()), coverage
