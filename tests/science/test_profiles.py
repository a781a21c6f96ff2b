"""Latent profiles: agreement with mclust (BIC table, chosen model, means, proportions), recovery."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import linear_sum_assignment

from counterpoint.science.errors import DyadDataError
from counterpoint.science.profiles import (
    MODEL_NAMES,
    LatentProfiles,
    adjusted_rand_index,
    n_parameters,
    simulate_profiles,
)

HERE = Path(__file__).parent / "results" / "profiles"
DATASETS = {"simulated": "profiles_data.csv", "rties_clo": "rties_clo_estimates.csv"}


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads((HERE / "profiles_reference.json").read_text())


def _frame(key: str) -> pd.DataFrame:
    return pd.read_csv(HERE / DATASETS[key], index_col=0)


def _r_table(values: list) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)


def _match(ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """Our profile for each of R's (label switching): the assignment nearest in the means."""
    cost = ((theirs[:, None, :] - ours[None, :, :]) ** 2).sum(axis=-1)
    _, cols = linear_sum_assignment(cost)
    return cols


_FITS: dict[tuple[str, str], object] = {}


def _fit_from_r_starts(key: str, reference: dict, which: str):
    """Our EM started from mclust's own starting partitions (default only, or all 31 starts)."""
    if (key, which) not in _FITS:
        ref = reference[key]
        parts = np.array(ref["partitions"])  # (starts, n, 9)
        if which == "default":
            parts = parts[:1]
        initial = {g: parts[:, :, g - 1] for g in range(2, 10)}
        spec = LatentProfiles(_frame(key), initial=initial, tol=1e-9, max_iter=3000)
        _FITS[(key, which)] = spec.fit()
    return _FITS[(key, which)]


def test_reference_metadata(reference) -> None:
    assert reference["mclust_version"] and reference["r_version"].startswith("R version")
    for key in DATASETS:
        assert reference[key]["models"] == list(MODEL_NAMES)
        assert reference[key]["G"] == list(range(1, 10))
        assert reference[key]["n"] == len(_frame(key))


@pytest.mark.parametrize("key", list(DATASETS))
# every model mclust has ("all") takes ~10 s: make test and CI run it, make check the default set
@pytest.mark.parametrize("which", ["default", pytest.param("all", marks=pytest.mark.slow)])
def test_bic_table_agrees_with_mclust_from_the_same_starts(key, which, reference) -> None:
    res = _fit_from_r_starts(key, reference, which)
    ours = res.bic.to_numpy()
    # default: mclustBIC(X, G = 1:9, modelNames, control = emControl(tol = c(1e-10, ...)))
    # all: elementwise max over that and mclustBIC(..., initialization = list(hcPairs =
    #      hcRandomPairs(X, seed = s))) for s = 1..30
    theirs = _r_table(reference[key]["bic_default" if which == "default" else "bic_best"])
    both = np.isfinite(ours) & np.isfinite(theirs)
    assert both.sum() >= 0.85 * both.size
    assert_allclose(ours[both], theirs[both], rtol=1e-4)
    # NA exactly where mclust reports NA (a singular covariance)
    assert (np.isfinite(ours) == np.isfinite(theirs)).all()


@pytest.mark.parametrize("key", list(DATASETS))
def test_chosen_fit_agrees_with_mclust(key, reference) -> None:
    chosen = reference[key]["chosen"]
    # the largest BIC of the table from mclust's starts is R's choice:
    # Mclust(X, G = g, modelNames = m, ...)$modelName, $G
    table = _fit_from_r_starts(key, reference, "all")
    assert (table.model_name, table.n_profiles) == (chosen["model"], chosen["G"])
    # that cell again from every mclust start, to R's tolerance (1e-14), as R refitted it
    g = chosen["G"]
    parts = np.array(reference[key]["partitions"])[:, :, g - 1]
    res = LatentProfiles(
        _frame(key),
        models=[chosen["model"]],
        profiles=[g],
        initial={g: parts},
        tol=1e-14,
        max_iter=100_000,
    ).fit()
    # fit$bic and fit$loglik
    assert_allclose(res.best.bic, chosen["bic"], rtol=1e-6)
    assert_allclose(res.best.loglik, chosen["loglik"], rtol=1e-6)
    r_means = np.array(chosen["mean"])  # t(fit$parameters$mean)
    order = _match(res.means.to_numpy(), r_means)
    assert_allclose(res.means.to_numpy()[order], r_means, rtol=1e-4, atol=1e-8)
    # fit$parameters$pro
    assert_allclose(res.proportions.to_numpy()[order], chosen["pro"], rtol=1e-4)
    # fit$parameters$variance$sigma[, , j]
    assert_allclose(res.covariances[order], np.array(chosen["sigma"]), rtol=1e-4, atol=1e-12)
    # fit$z
    assert_allclose(res.probabilities.to_numpy()[:, order], np.array(chosen["z"]), atol=1e-4)


def test_own_starts_find_mclust_choice_on_simulated_data(reference) -> None:
    res = LatentProfiles(_frame("simulated"), starts=20, seed=3).fit()
    chosen = reference["simulated"]["chosen"]
    assert (res.model_name, res.n_profiles) == (chosen["model"], chosen["G"])
    assert_allclose(res.best.bic, chosen["bic"], rtol=1e-6)
    # never worse than mclust's own single start where that one is the best known
    theirs = _r_table(reference["simulated"]["bic_default"])
    ours = res.bic.to_numpy()
    both = np.isfinite(ours) & np.isfinite(theirs)
    assert (ours[both] >= theirs[both] - 1e-4 * np.abs(theirs[both])).mean() >= 0.9


def test_parameter_counts_match_mclust_bic(reference) -> None:
    # BIC = 2 loglik - npar log n: check npar through the default table's G = 1 row, where the
    # maximum is closed-form and unique (mclustBIC(X, G = 1, ...))
    x = _frame("simulated")
    res = LatentProfiles(x, profiles=[1]).fit()
    theirs = _r_table(reference["simulated"]["bic_default"])[0]
    assert_allclose(res.bic.to_numpy()[0], theirs, rtol=1e-9)
    assert n_parameters("VEI", 3, 4) == 3 * 4 + 2 + 3 + 3
    assert n_parameters("EVI", 3, 4) == 3 * 4 + 2 + 1 + 3 * 3


def test_recovery_of_known_profiles() -> None:
    df, truth = simulate_profiles(
        600,
        seed=11,
        means=((0, 0, 0), (3, 0, 1), (0, 3, -1)),
        sds=((1, 1, 1), (0.7, 0.7, 0.7), (1.2, 0.8, 1.0)),
        correlations=(0.0, 0.4, -0.2),
    )
    res = LatentProfiles(df, profiles=range(1, 7), starts=10, seed=1).fit()
    ari = adjusted_rand_index(truth, res.classification)
    print(f"ARI {ari:.3f}, chosen {res.model_name} G={res.n_profiles}")
    assert res.n_profiles == 3
    assert ari > 0.85


def test_adjusted_rand_index_known_values() -> None:
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 1]) == 1.0
    # Hubert & Arabie's example: ARI of these two partitions of 6 items is 0.24242...
    a = [1, 1, 1, 2, 2, 2]
    b = [1, 1, 2, 2, 3, 3]
    # pairs: table [[2,1,0],[0,1,2]] -> index 2, rows 6, cols 3, expected 6*3/15 = 1.2, top 4.5
    assert_allclose(adjusted_rand_index(a, b), (2 - 1.2) / (4.5 - 1.2))


def test_outputs_have_the_documented_shapes() -> None:
    df, _ = simulate_profiles(120, seed=5)
    res = LatentProfiles(df, profiles=[1, 2, 3], models=["EII", "VVV"], starts=5).fit()
    frame = res.to_frame()
    assert list(frame.columns[-2:]) == ["profile", "uncertainty"]
    assert_allclose(res.probabilities.sum(axis=1), 1.0)
    out = res.to_dict()
    json.dumps(out, allow_nan=False)
    assert set(out["bic_table"]) == {"EII", "VVV"}
    assert len(out["dyads"]) == 120
    assert "BIC by number of profiles" in res.summary()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"columns": ["nope"]}, "column 'nope' not found"),
        ({"models": ["XYZ"]}, "unknown covariance model 'XYZ'"),
        ({"profiles": [0, 1]}, "positive integers"),
        ({"profiles": [200]}, "200 profiles need more than"),
    ],
)
def test_bad_input_is_refused(kwargs, message) -> None:
    df, _ = simulate_profiles(30, seed=1)
    with pytest.raises(DyadDataError, match=message):
        LatentProfiles(df, **kwargs)


def test_missing_values_are_refused_with_the_couple_named() -> None:
    df, _ = simulate_profiles(30, seed=1)
    df.loc[7, "x2"] = np.nan
    with pytest.raises(DyadDataError, match="couple 7 has a missing"):
        LatentProfiles(df)


@pytest.mark.parametrize("model", ["EII", "VEI", "EVI", "VVV"])
def test_accelerated_em_reaches_plain_em_fixed_point(model: str) -> None:
    """SQUAREM (used on all couples when the starts ran on a subsample) converges to the same
    maximum as plain EM from the same start, in fewer E steps; a cap leaves it flagged."""
    from counterpoint.science import profiles as prof

    df, _ = simulate_profiles(
        1500,
        seed=4,
        means=((0, 0, 0), (2, 1, 0), (0, 2, 1)),
        sds=((1, 1, 1), (0.8, 1.2, 1), (1, 1, 0.7)),
    )
    x = df.to_numpy()
    data = prof._Data((x - x.mean(axis=0)) / x.std())
    z0 = prof._kmeans_starts(data.X, 3, 1, np.random.default_rng(2))
    plain = prof._em(model, data, z0, 1.0, 1e-12, 20_000)
    fast = prof._squarem(model, data, z0, 1.0, 1e-12, 20_000)
    assert plain.converged[0] and fast.converged[0]
    assert_allclose(fast.loglik[0], plain.loglik[0], rtol=1e-9)
    order = _match(fast.mix.mean[0], plain.mix.mean[0])
    assert_allclose(fast.mix.mean[0][order], plain.mix.mean[0], atol=1e-4)
    assert_allclose(fast.mix.pro[0][order], plain.mix.pro[0], atol=1e-4)
    assert fast.iterations[0] < plain.iterations[0]
    capped = prof._squarem(model, data, z0, 1.0, 1e-12, 5)
    # the cap is checked between cycles; a cycle takes at most 3 E steps
    assert not capped.converged[0] and capped.iterations[0] <= 5 + 2


def test_fit_on_more_couples_than_the_subsample_reports_convergence() -> None:
    df, truth = simulate_profiles(900, seed=8)
    res = LatentProfiles(df, profiles=[2, 3], models=["EII", "VVI"], subsample=300, starts=5).fit()
    assert res.n_profiles == 3  # simulate_profiles' default: three profiles
    assert adjusted_rand_index(truth, res.classification) > 0.8
    out = res.to_dict()
    assert out["converged"] is True and out["iterations"] >= 1
    assert "converged after" in res.summary()
