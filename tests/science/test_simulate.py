"""simulate(): one entry point for every model's generator, seeded and reproducible."""

from __future__ import annotations

import pandas as pd
import pytest

from counterpoint.science import DyadicData
from counterpoint.science.simulate import MODELS, simulate, simulate_apim


@pytest.mark.parametrize("model", list(MODELS))
def test_every_model_simulates_valid_dyadic_data(model: str) -> None:
    n_occ = 1 if model == "apim" else 40
    df = simulate(model, n_dyads=3, n_occasions=n_occ, seed=7)
    assert {"dyad", "person", "role", "y"} <= set(df.columns)
    assert df["dyad"].nunique() == 3
    time = None if model == "apim" else "time"
    day = "day" if "day" in df.columns else None
    DyadicData(df, dyad="dyad", person="person", role="role", time=time, day=day, variables=["y"])


@pytest.mark.parametrize("model", list(MODELS))
def test_same_seed_same_data(model: str) -> None:
    n_occ = 1 if model == "apim" else 30
    first = simulate(model, 2, n_occ, seed=11)
    pd.testing.assert_frame_equal(first, simulate(model, 2, n_occ, seed=11))
    assert not first["y"].equals(simulate(model, 2, n_occ, seed=12)["y"])


def test_parameters_reach_the_generator() -> None:
    df = simulate("apim", 500, 1, seed=3, a=0.0, p=0.0, sigma=1e-9, intercept=2.0)
    assert df["y"].mean() == pytest.approx(2.0)


def test_var_occasions_are_days_times_beeps() -> None:
    df = simulate("var", 2, 20, seed=1, beeps_per_day=5)
    assert df.groupby("person").size().max() == 20
    assert df["day"].nunique() == 4
    with pytest.raises(ValueError, match="multiple of beeps_per_day"):
        simulate("var", 2, 21, seed=1, beeps_per_day=5)


def test_bad_requests() -> None:
    with pytest.raises(ValueError, match="unknown model 'nope'"):
        simulate("nope", 2, 2)
    with pytest.raises(ValueError, match="cross-sectional"):
        simulate("apim", 2, 5)
    with pytest.raises(ValueError, match="at least 1"):
        simulate("ic", 0, 5)


def test_reexported_generator() -> None:
    assert simulate_apim(2, seed=1).shape == (4, 5)
