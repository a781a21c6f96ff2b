"""Multilevel dyadic VAR(1) (model 4) against nlme::lme, and parameter recovery on simulated data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.mlvar import DyadicVAR, back_transformed, simulate_var
from counterpoint.science.panels import lag_panel

COLS = {"dyad": "dyad", "person": "person", "role": "role", "time": "time", "day": "day"}
FIXED = ["intercept@0", "actor@0", "partner@0", "intercept@1", "actor@1", "partner@1"]


@pytest.fixture(scope="module")
def reference(request: pytest.FixtureRequest) -> tuple[dict, pd.DataFrame]:
    here = request.path.parent / "results" / "var"
    ref = json.loads((here / "var_reference.json").read_text())
    return ref, pd.read_csv(here / "var_data.csv")


@pytest.fixture(scope="module")
def fitted(reference: tuple[dict, pd.DataFrame]):
    _, df = reference
    return DyadicVAR(DyadicData(df, **COLS), "y").fit()  # type: ignore[arg-type]


def test_it_agrees_with_nlme_on_fixed_effects(reference, fitted) -> None:
    ref, _ = reference
    p = fitted.params.loc[FIXED]
    # fixef(m)
    assert_allclose(p["estimate"], [ref["fixef"][k] for k in FIXED], rtol=1e-3)
    # sqrt(diag(vcov(m)))
    assert_allclose(p["se"], [ref["se"][k] for k in FIXED], rtol=1e-3)
    # m$fixDF$X
    assert fitted.df_resid == ref["df"]["actor@0"]
    # intervals(m)$fixed[, c("lower", "upper")]
    assert_allclose(p["ci_low"], [ref["fixed_lower"][k] for k in FIXED], rtol=1e-3)
    assert_allclose(p["ci_high"], [ref["fixed_upper"][k] for k in FIXED], rtol=1e-3)


def test_it_agrees_with_nlme_on_variance_parameters(reference, fitted) -> None:
    ref, _ = reference
    p = fitted.params["estimate"]
    # coef(m$modelStruct$corStruct, unconstrained = FALSE)
    assert_allclose(p["rho"], ref["rho"], rtol=1e-3)
    # m$sigma * coef(m$modelStruct$varStruct, unconstrained = FALSE, allCoef = TRUE)
    assert_allclose(
        p[["sigma@0", "sigma@1"]], [ref["sigma_by_role"]["0"], ref["sigma_by_role"]["1"]], rtol=1e-3
    )
    # sqrt(diag(getVarCov(m)))
    assert_allclose(p[["re_sd@0", "re_sd@1"]], ref["re_sd"], rtol=1e-3)
    # cov2cor(getVarCov(m))[1, 2]
    assert_allclose(p["re_corr"], ref["re_corr"], rtol=1e-3)
    assert fitted.converged
    # logLik(m)
    assert_allclose(fitted.loglik, ref["logLik"], rtol=1e-6)
    # nrow(d) after dropping rows without an outcome or a lag; length(unique(d$dyad))
    assert (fitted.n_obs, fitted.n_dyads) == (ref["n_obs"], ref["n_dyads"])


def test_variance_intervals_are_close_to_nlme(reference, fitted) -> None:
    # nlme's intervals() uses its own finite-difference Hessian; bounds agree to ~2e-3 absolute
    ref, _ = reference
    p = fitted.params
    # intervals(m)$corStruct["Rho", c("lower", "upper")]
    assert_allclose(p.loc["rho", ["ci_low", "ci_high"]], ref["rho_ci"], atol=2.5e-3)
    # intervals(m)$sigma[c("lower", "upper")]
    assert_allclose(p.loc["sigma@0", ["ci_low", "ci_high"]], ref["sigma_ci"], atol=2.5e-3)
    # intervals(m)$reStruct$dyad[c("sd(role0)", "sd(role1)"), c("lower", "upper")]
    assert_allclose(p.loc["re_sd@0", ["ci_low", "ci_high"]], ref["re_sd_ci"][0], atol=2.5e-3)
    assert_allclose(p.loc["re_sd@1", ["ci_low", "ci_high"]], ref["re_sd_ci"][1], atol=2.5e-3)
    # intervals(m)$reStruct$dyad["cor(role0,role1)", c("lower", "upper")]
    assert_allclose(p.loc["re_corr", ["ci_low", "ci_high"]], ref["re_corr_ci"], atol=2.5e-3)


def test_lags_agree_with_the_data_layer(reference) -> None:
    _, df = reference
    data = DyadicData(df, **COLS)  # type: ignore[arg-type]
    panel = lag_panel(data.to_arrays("y"))
    lagged = data.lagged(["y"])
    own_mean = lagged.groupby("person")["y"].transform("mean")
    means = lagged.groupby("person")["y"].mean()
    partner_of = (
        lagged.groupby("dyad")["person"].transform(lambda p: p.unique().sum()) - lagged["person"]
    )
    partner_mean = partner_of.map(means)
    own = (lagged["lag_y"] - own_mean).to_numpy()
    partner = (lagged["p_lag_y"] - partner_mean).to_numpy()
    usable = np.isfinite(lagged["y"]) & np.isfinite(own) & np.isfinite(partner)
    assert usable.sum() == panel.usable.sum()
    assert_allclose(np.sort(own[usable]), np.sort(panel.own[panel.usable]), rtol=1e-12, atol=1e-12)
    assert_allclose(
        np.sort(partner[usable]), np.sort(panel.partner[panel.usable]), rtol=1e-12, atol=1e-12
    )


def test_it_recovers_known_parameters_on_long_series() -> None:
    # 8 simulated studies of 20 couples x 250 occasions per person; each estimate should lie within
    # 2 SEs of the truth about 95% of the time (a little less for actor effects: Nickell bias)
    truth = {
        "actor@0": 0.5,
        "actor@1": 0.3,
        "partner@0": 0.2,
        "partner@1": -0.1,
        "rho": 0.25,
        "intercept@0": 4.0,
        "intercept@1": 6.0,
        "sigma@0": 1.0,
        "sigma@1": 1.5,
    }
    hits = []
    for seed in range(8):
        df = simulate_var(
            20,
            n_days=50,
            beeps_per_day=5,
            seed=seed,
            actor=(0.5, 0.3),
            partner=(0.2, -0.1),
            rho=0.25,
            sigma=(1.0, 1.5),
            intercept=(4.0, 6.0),
        )
        p = DyadicVAR(DyadicData(df, **COLS), "y").fit().params  # type: ignore[arg-type]
        hits += [abs(p.loc[k, "estimate"] - v) < 2 * p.loc[k, "se"] for k, v in truth.items()]
    # 72 checks at ~95.4% each: 64 or more hold unless something is wrong (P(fewer) = 0.6%)
    assert sum(hits) >= 64, f"{sum(hits)} of {len(hits)} estimates within 2 SEs"


def test_it_names_parameters_by_role_value() -> None:
    df = simulate_var(20, n_days=5, beeps_per_day=6, seed=3)
    df["gender"] = np.where(df["role"] == 0, "F", "M")
    data = DyadicData(
        df.drop(columns="role"), dyad="dyad", person="person", role="gender", time="time", day="day"
    )
    out = DyadicVAR(data, "y").fit().to_dict()
    assert out["model"] == "var"
    assert {"intercept@F", "actor@M", "partner@F", "rho", "sigma@M", "re_sd@F", "re_corr"} <= set(
        out["params"]
    )
    assert set(out["params"]["actor@F"]) == {"estimate", "se", "ci_low", "ci_high"}


def test_it_says_when_there_is_too_little_data() -> None:
    df = simulate_var(2, n_days=1, beeps_per_day=3, seed=0)
    with pytest.raises(DyadDataError, match="not enough data"):
        DyadicVAR(DyadicData(df, **COLS), "y").fit()  # type: ignore[arg-type]


def test_one_dyad_is_counted_as_one_dyad() -> None:
    df = simulate_var(1, n_days=3, beeps_per_day=6, seed=0)
    with pytest.raises(DyadDataError, match=r"usable rows in 1 dyad \("):
        DyadicVAR(DyadicData(df, **COLS), "y").fit()  # type: ignore[arg-type]


def test_simulate_var_is_seeded_and_drops_missing_rows() -> None:
    a = simulate_var(5, n_days=4, beeps_per_day=5, seed=9, missing=0.2)
    b = simulate_var(5, n_days=4, beeps_per_day=5, seed=9, missing=0.2)
    pd.testing.assert_frame_equal(a, b)
    assert 0.7 * 200 < len(a) < 0.9 * 200
    with pytest.raises(ValueError, match="non-stationary"):
        simulate_var(2, n_days=2, actor=(1.0, 0.5))


def test_a_missing_value_and_an_absent_row_are_the_same_missing_occasion() -> None:
    df = simulate_var(25, n_days=6, beeps_per_day=6, seed=8)
    gone = df.sample(frac=0.1, random_state=2).index
    with_nan = df.copy()
    with_nan.loc[gone, "y"] = np.nan
    a = DyadicVAR(DyadicData(with_nan, **COLS), "y").fit().params  # type: ignore[arg-type]
    b = DyadicVAR(DyadicData(df.drop(index=gone), **COLS), "y").fit().params  # type: ignore[arg-type]
    # the same optimum; the arrays' padding differs, so the optimiser's path differs in the last digits
    assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-5)


def test_without_a_role_column_roles_follow_person_ids() -> None:
    df = simulate_var(25, n_days=6, beeps_per_day=6, seed=8)
    with_role = DyadicVAR(DyadicData(df, **COLS), "y").fit().params  # type: ignore[arg-type]
    cols = {k: v for k, v in COLS.items() if k != "role"}
    without = DyadicVAR(DyadicData(df.drop(columns="role"), **cols), "y").fit().params  # type: ignore[arg-type]
    assert_allclose(with_role.to_numpy(), without.to_numpy(), rtol=1e-8)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_an_unbounded_interval_is_said_without_a_warning() -> None:
    """A variance at the edge of its space can have a working-scale SE in the thousands: the
    interval's upper end is then unbounded. It used to overflow with numpy's RuntimeWarning (on
    stderr of a CLI run, in a server's log); it is inf, and a correlation's ends stay in [-1, 1]."""
    est, _se, low, high = back_transformed(-2.0, 5_000.0, np.exp)
    assert est == pytest.approx(np.exp(-2.0)) and low == 0.0 and high == np.inf
    est, _se, low, high = back_transformed(0.3, 5_000.0, np.tanh)
    assert est == pytest.approx(np.tanh(0.3)) and (low, high) == (-1.0, 1.0)
    # an ordinary one is the delta method and the Wald interval, back-transformed
    est, se, low, high = back_transformed(0.5, 0.1, np.exp)
    assert se == pytest.approx(np.exp(0.5) * 0.1)
    assert (low, high) == pytest.approx(
        (np.exp(0.5 - 1.959964 * 0.1), np.exp(0.5 + 1.959964 * 0.1))
    )
