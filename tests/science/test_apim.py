"""APIM: the published Acitelli numbers, agreement with nlme::gls, and CI coverage by simulation.

Reference results in results/apim/: apim_sim.csv (made by simulate_apim, call below), apim_sim.R
(the nlme code) and apim_sim.json (its output). The R expression behind each number is named in a
comment above its assertion.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from counterpoint.science import DyadDataError, DyadicData, pairwise_to_long
from counterpoint.science.apim import APIM, simulate_apim

RESULTS = Path(__file__).parent / "results" / "apim"
# Issue 3 asks 1e-3 for iterative fits; observed agreement is ~1e-6 (docs/science.md), so be stricter.
RTOL = 1e-4
CI_RTOL = 1e-3  # intervals for rho and sigma: both sides use numerical Hessians


# -- Acitelli data: the numbers in SCIENCE.md -----------------------------------------------------
@pytest.fixture
def acitelli(reference_data) -> DyadicData:
    long = pairwise_to_long(pd.read_csv(reference_data / "acipair.csv"))
    return DyadicData(long, dyad="CoupleID", person="Partnum", role="Gender")


def test_acitelli_indistinguishable_matches_published_numbers(acitelli) -> None:
    res = APIM(
        acitelli, "Satisfaction", actor=["Tension"], partner=["SelfPos"], distinguishable=False
    ).fit()
    est, se = res.params["estimate"], res.params["se"]
    assert round(est["intercept"], 4) == 4.7190
    assert round(se["intercept"], 4) == 0.2366
    assert round(est["actor_Tension"], 4) == -0.3454
    assert round(se["actor_Tension"], 4) == 0.0329
    assert round(est["partner_SelfPos"], 4) == -0.0656
    assert round(se["partner_SelfPos"], 4) == 0.0516
    assert res.rho == pytest.approx(0.4715039, abs=5e-7)
    assert res.sigma == pytest.approx(0.4052903, abs=5e-7)
    assert res.pseudo_r2["all"] == pytest.approx(0.3348468, abs=5e-7)
    assert res.n_dyads == 148 and res.n_obs == 296


def test_acitelli_sum_and_difference(acitelli) -> None:
    res = APIM(acitelli, "Satisfaction", x=["OtherPos"], distinguishable=False).fit()
    sd = res.sum_difference["estimate"]
    assert round(sd["sum_OtherPos"], 3) == 0.344
    assert round(sd["difference_OtherPos"], 3) == 0.056


def test_acitelli_summary_and_dict(acitelli) -> None:
    res = APIM(acitelli, "Satisfaction", x=["OtherPos"]).fit()
    text = res.summary()
    assert "distinguishability" in text and "actor_OtherPos@Wife" in text
    out = json.loads(json.dumps(res.to_dict()))
    assert out["model"] == "apim" and out["n_dyads"] == 148
    assert set(out["params"]["rho"]) == {"estimate", "se", "ci_low", "ci_high"}
    assert "OtherPos@Husband" in out["k"]


@pytest.fixture(scope="module")
def r_acitelli() -> dict:
    return json.loads((RESULTS / "acitelli.json").read_text())


@pytest.mark.parametrize(
    ("key", "spec", "distinguishable", "reml"),
    [
        ("tension_dist_reml", {"actor": ["Tension"], "partner": ["SelfPos"]}, True, True),
        ("otherpos_indist_reml", {"x": ["OtherPos"]}, False, True),
        ("otherpos_dist_reml", {"x": ["OtherPos"]}, True, True),
        ("otherpos_indist_ml", {"x": ["OtherPos"]}, False, False),
        ("otherpos_dist_ml", {"x": ["OtherPos"]}, True, False),
    ],
)
def test_acitelli_agrees_with_nlme(acitelli, r_acitelli, key, spec, distinguishable, reml) -> None:
    # results/apim/acitelli.R: gls(Satisfaction_A ~ ..., correlation = corCompSymm(form = ~1 | CoupleID)
    #   [, weights = varIdent(form = ~1 | Gender_A)], method = "REML" / "ML")
    ref = r_acitelli[key]
    res = APIM(acitelli, "Satisfaction", distinguishable=distinguishable, **spec).fit(reml=reml)
    # coef(m), sqrt(diag(vcov(m))) (R orders the same: role 0 then role 1 for each term)
    assert_allclose(res.beta.to_numpy(), ref["coef"], rtol=RTOL)
    assert_allclose(np.sqrt(np.diag(res.cov_params.to_numpy())), ref["se"], rtol=RTOL)
    # coef(m$modelStruct$corStruct, unconstrained = FALSE)
    assert_allclose(res.rho, ref["rho"], rtol=RTOL)
    # m$sigma: the SD of varIdent's reference role, Husband = role 0 (sorted first)
    assert_allclose(res.sigma, ref["sigma"], rtol=RTOL)
    # coef(m$modelStruct$varStruct, unconstrained = FALSE): sigma_Wife / sigma_Husband
    assert_allclose(res.sigmas.get("Wife", res.sigma) / res.sigma, ref["delta"], rtol=RTOL)
    # logLik(m)
    assert_allclose(res.loglik, ref["loglik"], rtol=1e-6)


def test_acitelli_distinguishability_agrees_with_nlme(acitelli, r_acitelli) -> None:
    test = APIM(acitelli, "Satisfaction", x=["OtherPos"]).fit().distinguishability
    assert test is not None
    # anova(otherpos_indist_ml, otherpos_dist_ml)
    assert_allclose(test["chi2"], r_acitelli["otherpos_lr_test"]["chi2"], rtol=RTOL)
    assert test["df"] == r_acitelli["otherpos_lr_test"]["df"]
    assert_allclose(test["p_value"], r_acitelli["otherpos_lr_test"]["p_value"], rtol=RTOL)


# -- nlme::gls on simulated data ------------------------------------------------------------------
def _simulated_csv() -> pd.DataFrame:
    """How results/apim/apim_sim.csv was made (rounded to 6 decimals there)."""
    df = simulate_apim(
        60,
        seed=20261122,
        intercept=(1.0, 0.5),
        a=(0.5, 0.3),
        p=(0.2, 0.35),
        rho=0.4,
        sigma=(1.0, 1.5),
        roles=("F", "M"),
    )
    df.loc[[7, 30, 81], "y"] = np.nan
    df.loc[[44], "x"] = np.nan
    return df.round(6)


@pytest.fixture(scope="module")
def r_ref() -> dict:
    return json.loads((RESULTS / "apim_sim.json").read_text())


@pytest.fixture(scope="module")
def sim() -> DyadicData:
    df = pd.read_csv(RESULTS / "apim_sim.csv")
    return DyadicData(df, dyad="dyad", person="person", role="role")


def test_simulated_csv_is_reproducible() -> None:
    saved = pd.read_csv(RESULTS / "apim_sim.csv")
    assert_allclose(_simulated_csv()[["x", "y"]].to_numpy(), saved[["x", "y"]].to_numpy())


def _check(res, ref: dict) -> None:
    fe = [n for n in res.params.index if n not in ("rho",) and not n.startswith("sigma")]
    # coef(m)
    assert_allclose(res.params.loc[fe, "estimate"], ref["coef"], rtol=RTOL)
    # sqrt(diag(vcov(m)))
    assert_allclose(res.params.loc[fe, "se"], ref["se"], rtol=RTOL)
    # coef(m$modelStruct$corStruct, unconstrained = FALSE)
    assert_allclose(res.rho, ref["rho"], rtol=RTOL)
    # m$sigma (the residual SD of varIdent's reference role, "F" = role 0 here)
    assert_allclose(res.sigma, ref["sigma"], rtol=RTOL)
    # intervals(m)$corStruct
    assert_allclose(res.params.loc["rho", ["ci_low", "ci_high"]], ref["rho_ci"], rtol=CI_RTOL)
    # intervals(m)$sigma
    assert_allclose(res.params.loc["sigma", ["ci_low", "ci_high"]], ref["sigma_ci"], rtol=CI_RTOL)
    # logLik(m)
    assert_allclose(res.loglik, ref["loglik"], rtol=1e-6)
    # AIC(m), BIC(m)
    assert_allclose([res.aic, res.bic], [ref["aic"], ref["bic"]], rtol=1e-6)
    assert res.n_obs == ref["n"]


@pytest.mark.parametrize("reml", [True, False], ids=["REML", "ML"])
def test_indistinguishable_agrees_with_nlme(sim, r_ref, reml) -> None:
    # gls(y ~ x + px, correlation = corCompSymm(form = ~1 | dyad), method = "REML" / "ML")
    res = APIM(sim, "y", x=["x"], distinguishable=False).fit(reml=reml)
    _check(res, r_ref["indist_reml" if reml else "indist_ml"])


@pytest.mark.parametrize("reml", [True, False], ids=["REML", "ML"])
def test_distinguishable_agrees_with_nlme(sim, r_ref, reml) -> None:
    # gls(y ~ 0 + role + role:x + role:px, correlation = corCompSymm(form = ~1 | dyad),
    #     weights = varIdent(form = ~1 | role), method = "REML" / "ML")
    res = APIM(sim, "y", x=["x"], distinguishable=True).fit(reml=reml)
    ref = r_ref["dist_reml" if reml else "dist_ml"]
    _check(res, ref)
    # coef(m$modelStruct$varStruct, unconstrained = FALSE): sigma_M / sigma_F
    assert_allclose(res.sigmas["M"] / res.sigmas["F"], ref["delta"], rtol=RTOL)
    # m$sigma * coef(m$modelStruct$varStruct, unconstrained = FALSE)
    assert_allclose(res.params.loc["sigma@M", "estimate"], ref["sigma"] * ref["delta"], rtol=RTOL)


def test_pseudo_r2_agrees_with_nlme(sim, r_ref) -> None:
    ind = APIM(sim, "y", x=["x"], distinguishable=False).fit()
    # 1 - indist_reml$sigma^2 / gls(y ~ 1, correlation = cs, method = "REML")$sigma^2
    expected = 1 - r_ref["indist_reml"]["sigma"] ** 2 / r_ref["indist_empty_reml"]["sigma"] ** 2
    assert_allclose(ind.pseudo_r2["all"], expected, rtol=RTOL)
    dist = APIM(sim, "y", x=["x"], distinguishable=True).fit()
    full, empty = r_ref["dist_reml"], r_ref["dist_empty_reml"]
    # per role: 1 - (m$sigma * delta_role)^2 / (empty$sigma * delta_role_empty)^2
    assert_allclose(dist.pseudo_r2["F"], 1 - full["sigma"] ** 2 / empty["sigma"] ** 2, rtol=RTOL)
    expected_m = 1 - (full["sigma"] * full["delta"]) ** 2 / (empty["sigma"] * empty["delta"]) ** 2
    assert_allclose(dist.pseudo_r2["M"], expected_m, rtol=RTOL)


def test_distinguishability_test_agrees_with_nlme(sim, r_ref) -> None:
    test = APIM(sim, "y", x=["x"]).fit().distinguishability
    assert test is not None
    # anova(indist_ml, dist_ml): L.Ratio, df difference, p-value
    assert_allclose(test["chi2"], r_ref["lr_test"]["chi2"], rtol=RTOL)
    assert test["df"] == r_ref["lr_test"]["df"]
    assert_allclose(test["p_value"], r_ref["lr_test"]["p_value"], rtol=1e-2)


def test_k_ratio_delta_method(sim) -> None:
    res = APIM(sim, "y", x=["x"], distinguishable=False).fit()
    a, p = res.beta["actor_x"], res.beta["partner_x"]
    row = res.k.loc["x"]
    assert row["estimate"] == pytest.approx(p / a)
    assert row["ci_low"] < p / a < row["ci_high"]
    # delta method by hand
    v = res.cov_params.loc[["actor_x", "partner_x"], ["actor_x", "partner_x"]].to_numpy()
    g = np.array([-p / a**2, 1 / a])
    assert row["se"] == pytest.approx(math.sqrt(g @ v @ g))


def test_bad_model_specifications(sim) -> None:
    with pytest.raises(DyadDataError, match="both the outcome and a predictor"):
        APIM(sim, "y", x=["y"])
    with pytest.raises(DyadDataError, match="give a predictor once"):
        APIM(sim, "y", x=["x"], actor=["x"])
    no_role = DyadicData(sim.frame.drop(columns="role"), dyad="dyad", person="person")
    with pytest.raises(DyadDataError, match="needs a role column"):
        APIM(no_role, "y", x=["x"], distinguishable=True)
    with pytest.raises(DyadDataError, match="not found"):
        APIM(sim, "nope", x=["x"]).fit()


def test_repeated_measures_are_refused() -> None:
    df = simulate_apim(10, seed=3)
    df = pd.concat([df.assign(t=1), df.assign(t=2)], ignore_index=True)
    data = DyadicData(df, dyad="dyad", person="person", role="role", time="t")
    with pytest.raises(DyadDataError, match="cross-sectional: person 1 of dyad 1 has 2 rows"):
        APIM(data, "y", x=["x"])


def test_constant_predictor_is_reported() -> None:
    df = simulate_apim(20, seed=3).assign(c=1.0)
    data = DyadicData(df, dyad="dyad", person="person", role="role")
    with pytest.raises(
        DyadDataError, match="predictor 'c' takes the same value \\(1\\) in every complete row"
    ):
        APIM(data, "y", actor=["c"], distinguishable=False).fit()


# -- parameter recovery ---------------------------------------------------------------------------
@pytest.mark.slow  # a Monte Carlo study: make test runs it, make check does not
def test_ci_coverage_of_actor_and_partner_effects() -> None:
    """95% CIs of a and p cover the truth 93–97% of the time (1,000 datasets of 50 dyads; Monte Carlo SE 0.007)."""
    n_rep, true_a, true_p = 1000, 0.4, 0.2
    hits = np.zeros(2)
    rng = np.random.default_rng(2026)
    for seed in rng.integers(0, 2**31, size=n_rep):
        df = simulate_apim(50, seed=int(seed), a=true_a, p=true_p, rho=0.4, x_rho=0.3)
        data = DyadicData(df, dyad="dyad", person="person")
        params = APIM(data, "y", x=["x"]).fit().params
        for k, (name, truth) in enumerate((("actor_x", true_a), ("partner_x", true_p))):
            hits[k] += params.loc[name, "ci_low"] <= truth <= params.loc[name, "ci_high"]
    coverage = hits / n_rep
    print(f"coverage of a, p: {coverage}")
    assert ((coverage >= 0.93) & (coverage <= 0.97)).all(), coverage
