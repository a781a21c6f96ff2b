"""Per-couple VAR(1) (model 5) against lm() per couple in R, degenerate couples, parameter recovery."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from counterpoint.science.couple_var import MIN_OCCASIONS, CoupleVAR, couple_var_arrays
from counterpoint.science.data import DyadicData
from counterpoint.science.mlvar import simulate_var

COLS = {"dyad": "dyad", "person": "person", "role": "role", "time": "time", "day": "day"}


@pytest.fixture(scope="module")
def reference(request: pytest.FixtureRequest) -> tuple[dict, pd.DataFrame]:
    here = request.path.parent / "results" / "couple_var"
    ref = json.loads((here / "couple_var_reference.json").read_text())
    return ref, pd.read_csv(here / "couple_var_data.csv")


@pytest.fixture(scope="module")
def table(reference) -> pd.DataFrame:
    _, df = reference
    return CoupleVAR(DyadicData(df, **COLS), "y", min_occasions=6).fit().table  # type: ignore[arg-type]


def _column(ref: dict, table: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    couples = [int(k) for k in ref]
    return table.loc[couples, name].to_numpy(dtype=float), np.array([ref[k][name] for k in ref])


@pytest.mark.parametrize("role", [0, 1])
def test_it_agrees_with_lm_per_couple(reference, table, role: int) -> None:
    ref, _ = reference
    for kind in ("intercept", "actor", "partner"):
        name = f"{kind}@{role}"
        # coef(lm(y ~ lag_own + lag_partner)) per couple and role
        assert_allclose(*_column(ref, table, name), rtol=1e-4)
        # sqrt(diag(vcov(m)))
        assert_allclose(*_column(ref, table, f"se_{name}"), rtol=1e-4)
        # confint(m)[term, 1:2]
        assert_allclose(*_column(ref, table, f"ci_low_{name}"), rtol=1e-4)
        assert_allclose(*_column(ref, table, f"ci_high_{name}"), rtol=1e-4)
    # coef(m)["lag_own"] * sd(d$lag_own) / sd(d$y)
    assert_allclose(*_column(ref, table, f"std_actor@{role}"), rtol=1e-4)
    # coef(m)["lag_partner"] * sd(d$lag_partner) / sd(d$y)
    assert_allclose(*_column(ref, table, f"std_partner@{role}"), rtol=1e-4)


def test_it_agrees_with_r_on_residual_correlation_and_counts(reference, table) -> None:
    ref, _ = reference
    # cor(resid(m0), resid(m1))
    assert_allclose(*_column(ref, table, "resid_corr"), rtol=1e-4)
    # nrow(usable rows) / 2
    assert_allclose(*_column(ref, table, "n_occasions"), rtol=0)


def test_degenerate_couples_get_reasons_not_numbers(table) -> None:
    reasons = table["reason"]
    assert reasons[41] == "role 1's values never vary over the usable occasions"
    assert (
        reasons[42] == "the two partners' series are identical; their effects cannot be told apart"
    )
    assert reasons[43] == "not enough data: 3 usable occasions, at least 6 needed"
    assert table.loc[[41, 42, 43], "actor@0"].isna().all()
    assert reasons.loc[:40].isna().all()
    assert np.isfinite(table.loc[:40, "actor@0"]).all()


def test_a_couple_below_the_minimum_is_told_how_many_occasions_it_needs(reference) -> None:
    _, df = reference
    res = CoupleVAR(DyadicData(df, **COLS), "y").fit()  # type: ignore[arg-type]
    short = res.table[res.table["n_occasions"] < MIN_OCCASIONS]
    assert len(short) > 0
    for couple, row in short.iterrows():
        n = int(row["n_occasions"])
        assert (
            row["reason"]
            == f"not enough data: {n} usable occasions, at least {MIN_OCCASIONS} needed"
        ), couple
        assert np.isnan(row["partner@1"])


def test_one_couple_does_not_change_another(reference, table) -> None:
    _, df = reference
    alone = CoupleVAR(DyadicData(df[df["dyad"] == 5], **COLS), "y", min_occasions=6).fit().table  # type: ignore[arg-type]
    assert_allclose(alone.loc[5, "partner@0"], table.loc[5, "partner@0"], rtol=1e-12)


def test_it_recovers_one_couples_dynamics_on_a_long_series() -> None:
    # 100 simulated couples with 240 daily check-ins each: each 95% CI should cover the truth in
    # about 95% of couples
    truth = {"actor@0": 0.5, "actor@1": 0.2, "partner@0": 0.25, "partner@1": -0.15}
    df = simulate_var(100, n_days=241, seed=5, actor=(0.5, 0.2), partner=(0.25, -0.15), rho=0.3)
    res = CoupleVAR(
        DyadicData(df, dyad="dyad", person="person", role="role", time="time"), "y"
    ).fit()
    t = res.table
    assert (t["n_occasions"] == 240).all()
    for name, value in truth.items():
        within = (t[f"ci_low_{name}"] <= value) & (value <= t[f"ci_high_{name}"])
        assert 0.88 <= within.mean() <= 1.0, (name, within.mean())
        within_2se = (t[name] - value).abs() < 2 * t[f"se_{name}"]
        assert within_2se.mean() >= 0.88, name
    # the same-occasion residual correlation: the simulator's rho
    assert abs(t["resid_corr"].mean() - 0.3) < 0.03


def test_arrays_core_handles_a_single_couple_and_reports_json() -> None:
    rng = np.random.default_rng(1)
    out = couple_var_arrays(rng.standard_normal((1, 2, 40)))
    assert out["n_occasions"].tolist() == [39]
    assert out["reason"][0] is None
    df = simulate_var(2, n_days=40, seed=1)
    df["gender"] = np.where(df["role"] == 0, "F", "M")
    data = DyadicData(
        df.drop(columns="role"), dyad="dyad", person="person", role="gender", time="time"
    )
    doc = CoupleVAR(data, "y").fit().to_dict()
    assert doc["model"] == "couple-var"
    first = doc["dyads"][0]
    assert {"actor@F", "partner@M", "std_partner@F", "resid_corr"} <= set(first["params"])
    assert first["n_occasions"] == 39 and first["reason"] is None
    json.dumps(doc)


def test_a_night_breaks_the_lag() -> None:
    # one day of 5 beeps, then another: the first beep of day 2 has no lag, so 8 usable occasions
    df = simulate_var(1, n_days=2, beeps_per_day=5, seed=3)
    out = CoupleVAR(DyadicData(df, **COLS), "y", min_occasions=6).fit().table  # type: ignore[arg-type]
    assert int(out.loc[1, "n_occasions"]) == 8
    no_day = {k: v for k, v in COLS.items() if k != "day"}
    out = CoupleVAR(DyadicData(df, **no_day), "y", min_occasions=6).fit().table  # type: ignore[arg-type]
    assert int(out.loc[1, "n_occasions"]) == 9
