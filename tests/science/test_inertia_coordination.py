"""Inertia–coordination model: agreement with R's lm, rties data, degenerate dyads, recovery."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from counterpoint.science.batched_ols import detrend_by_person
from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.inertia_coordination import (
    IC_PARAMS,
    InertiaCoordination,
    simulate_ic,
)


def _data(df: pd.DataFrame) -> DyadicData:
    return DyadicData(df, dyad="dyad", person="person", role="role", time="time")


@pytest.fixture(scope="module")
def r_reference() -> dict:
    path = Path(__file__).parent / "results" / "ic" / "ic_reference.json"
    return json.loads(path.read_text())


def _ic_reference_fit(lag: int):
    df = pd.read_csv(Path(__file__).parent / "results" / "ic" / "ic_data.csv")
    return InertiaCoordination(_data(df), "y", lag=lag).fit()


@pytest.fixture(scope="module")
def r_fit():
    return _ic_reference_fit(1)


@pytest.mark.parametrize("lag", [1, 2])
def test_estimates_agree_with_r(lag: int, r_reference) -> None:
    assert r_reference["coef_order"] == list(IC_PARAMS)
    table = _ic_reference_fit(lag).table
    for dyad, ref in r_reference["lags"][str(lag)].items():
        row = table.loc[int(dyad)]
        # coef(lm(y_dt ~ -1 + dist0 + dist1 + dist0:lag_own + dist0:lag_partner
        #          + dist1:lag_own + dist1:lag_partner, data = dg, na.action = na.exclude))
        assert_allclose(row[list(IC_PARAMS)].to_numpy(float), ref["coef"], rtol=1e-4)
        # summary(m_full)$adj.r.squared
        assert_allclose(row["adj_r2"], ref["adj_r2"], rtol=1e-4)
        # summary(lm(y_dt ~ -1 + dist0 + dist1 + dist0:lag_own + dist1:lag_own, ...))$adj.r.squared
        assert_allclose(row["adj_r2_inert"], ref["adj_r2_inert"], rtol=1e-4)
        # summary(lm(y_dt ~ -1 + dist0 + dist1 + dist0:lag_partner + dist1:lag_partner, ...))$adj.r.squared
        assert_allclose(row["adj_r2_coord"], ref["adj_r2_coord"], rtol=1e-4)
        # nobs(m_full)
        assert row["n_obs"] == ref["n_obs"]
        assert row["reason"] is None


def test_comparison_differences(r_fit) -> None:
    comp = r_fit.comparison
    assert_allclose(comp["IC_minus_I"], comp["inert_coord"] - comp["inert"])
    assert_allclose(comp["I_minus_C"], comp["inert"] - comp["coord"])
    assert_allclose(comp["IC_minus_C"], comp["inert_coord"] - comp["coord"])


def test_to_dict_and_summary(r_fit) -> None:
    out = r_fit.to_dict()
    json.dumps(out)  # JSON-ready
    assert out["model"] == "ic"
    assert out["lag"] == 1
    first = out["dyads"][0]
    assert set(first["params"]) == set(IC_PARAMS)
    assert first["reason"] is None and isinstance(first["adj_r2"], float)
    text = r_fit.summary()
    assert "inert0" in text and "coord1" in text


def test_detrending_matches_a_straight_line_fit_on_observed_points() -> None:
    rng = np.random.default_rng(1)
    y = 2.0 + 0.3 * np.arange(25) + rng.normal(size=25)
    y[[3, 11]] = np.nan
    t = np.flatnonzero(np.isfinite(y))
    slope, intercept = np.polyfit(t, y[t], 1)
    resid = detrend_by_person(y)
    assert_allclose(resid[t], y[t] - intercept - slope * t, atol=1e-12)
    assert np.isnan(resid[[3, 11]]).all()


def test_lags_look_back() -> None:
    # role 1 copies role 0's previous value: coord1 ≈ 1 with a backward lag; with rties'
    # forward-shifting absMaxCC lag the same data would give a coordination near 0 instead
    rng = np.random.default_rng(2)
    n = 300
    leader = rng.normal(size=n)
    follower = np.r_[0.0, leader[:-1]] + 0.01 * rng.normal(size=n)
    df = pd.DataFrame(
        {
            "dyad": 1,
            "person": np.repeat([1, 2], n),
            "role": np.repeat([0, 1], n),
            "time": np.tile(np.arange(1, n + 1), 2),
            "y": np.r_[leader, follower],
        }
    )
    row = InertiaCoordination(_data(df), "y", lag=1).fit().table.loc[1]
    assert row["coord1"] == pytest.approx(1.0, abs=0.02)
    assert abs(row["inert1"]) < 0.05
    assert abs(row["coord0"]) < 0.15


def test_lag_never_bridges_a_missing_occasion() -> None:
    df = simulate_ic(n_dyads=1, n_occasions=40, seed=3)
    full = InertiaCoordination(_data(df), "y", lag=2).fit().table.loc[1]
    gap = df[~((df["role"] == 0) & (df["time"] == 20))]
    fit = InertiaCoordination(_data(gap), "y", lag=2).fit().table.loc[1]
    # role 0 loses the row at t = 20 (outcome) and t = 22 (own lag); role 1 loses t = 22 (partner lag)
    assert fit["n_obs"] == full["n_obs"] - 3


def test_rties_data(reference_data: Path) -> None:
    df = pd.read_csv(reference_data / "rties_ExampleDataFull.csv.gz")
    data = DyadicData(df, dyad="couple", person="person", role="female", time="time")
    res = InertiaCoordination(data, "dial", lag=1).fit()
    table = res.table
    assert len(table) == 80
    assert "identical" in table.loc[19, "reason"]
    assert table.loc[19, list(IC_PARAMS)].isna().all()
    good = table.drop(index=19)
    assert good["reason"].isna().all()
    assert good[list(IC_PARAMS)].notna().all().all()
    # detrended dial ratings are highly inert
    assert good["inert0"].median() > 0.5 and good["inert1"].median() > 0.5


def _two_dyads_plus(bad: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([simulate_ic(n_dyads=2, n_occasions=50, seed=4), bad], ignore_index=True)


@pytest.mark.parametrize(
    ("make_bad", "expected"),
    [
        (lambda d: d.assign(y=np.where(d["role"] == 1, 5.0, d["y"])), "constant"),
        (lambda d: d, "identical"),  # role 1 gets role 0's series below
        (lambda d: d, "identical after detrending"),  # role 1 gets role 0's series plus a line
        (lambda d: d[d["time"] <= 2], "too few observations"),
        (lambda d: d[d["time"] <= 3], "too few usable occasions"),
    ],
)
def test_degenerate_dyads_get_a_reason_and_leave_the_others_alone(make_bad, expected) -> None:
    bad = simulate_ic(n_dyads=1, n_occasions=50, seed=5).assign(
        dyad=99, person=lambda d: 198 + d["role"]
    )
    bad = make_bad(bad.sort_values(["role", "time"]).reset_index(drop=True))
    if expected.startswith("identical"):
        both = bad.pivot(index="time", columns="role", values="y")
        copy = both[0].reindex(bad["time"]).to_numpy()
        if expected != "identical":
            copy = copy + 3.0 - 0.01 * bad["time"].to_numpy()
        bad = bad.assign(y=np.where(bad["role"] == 1, copy, bad["y"]))
    res = InertiaCoordination(_data(_two_dyads_plus(bad)), "y").fit()
    table = res.table
    assert expected in table.loc[99, "reason"]
    assert table.loc[99, list(IC_PARAMS)].isna().all()
    alone = (
        InertiaCoordination(_data(simulate_ic(n_dyads=2, n_occasions=50, seed=4)), "y").fit().table
    )
    assert_allclose(
        table.loc[[1, 2], list(IC_PARAMS)].to_numpy(float), alone[list(IC_PARAMS)].to_numpy(float)
    )
    assert table.loc[[1, 2], "reason"].isna().all()


def test_batched_equals_dyad_by_dyad() -> None:
    df = simulate_ic(n_dyads=4, n_occasions=80, seed=6, trend=0.05)
    together = InertiaCoordination(_data(df), "y", lag=2).fit().table
    for dyad in range(1, 5):
        alone = InertiaCoordination(_data(df[df["dyad"] == dyad]), "y", lag=2).fit().table
        assert_allclose(
            together.loc[[dyad], list(IC_PARAMS)].to_numpy(float),
            alone[list(IC_PARAMS)].to_numpy(float),
            rtol=1e-10,
        )


def test_recovers_simulated_parameters() -> None:
    truth = {"inert0": 0.5, "coord0": 0.2, "inert1": 0.3, "coord1": -0.15}
    df = simulate_ic(n_dyads=200, n_occasions=300, seed=7, trend=0.02, **truth)  # type: ignore[arg-type]
    table = InertiaCoordination(_data(df), "y").fit().table
    for name, value in truth.items():
        # per-dyad OLS of an autoregression is biased by O(1/T); averaged over dyads it is small
        assert table[name].mean() == pytest.approx(value, abs=0.02), name
    assert table[["int0", "int1"]].abs().max().max() < 0.05  # detrending removed the means


def test_bad_options() -> None:
    df = simulate_ic(n_dyads=1, n_occasions=10, seed=0)
    with pytest.raises(DyadDataError, match="lag"):
        InertiaCoordination(_data(df), "y", lag=0)
    with pytest.raises(DyadDataError, match="time"):
        InertiaCoordination(DyadicData(df[df["time"] == 1], dyad="dyad", person="person"), "y")
    with pytest.raises(ValueError, match="stationary"):
        simulate_ic(n_dyads=1, n_occasions=10, inert0=1.0, coord0=0.5, coord1=0.5)
