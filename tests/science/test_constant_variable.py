"""A variable constant in the whole file is refused once, up front, by every per-couple model.

A variable constant within some couples only keeps each such couple's own reason; the other couples
are fitted as usual.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from counterpoint.science import cli
from counterpoint.science.couple_var import CoupleVAR
from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.inertia_coordination import InertiaCoordination
from counterpoint.science.oscillator import CoupledOscillator
from counterpoint.science.simulate import simulate
from tests.science.cli_checks import assert_bad_input, fit

MODELS: dict[str, Any] = {
    "couple-var": CoupleVAR,
    "ic": InertiaCoordination,
    "clo": CoupledOscillator,
}
REFUSAL = "mood is 3 for every couple and every occasion, so there is nothing for the model"


def _frame(model: str) -> pd.DataFrame:
    """Four simulated couples, long enough for every model, with the variable called ``mood``."""
    return simulate(model, 4, 120, seed=6).rename(columns={"y": "mood"})


def _data(df: pd.DataFrame) -> DyadicData:
    return DyadicData(df, dyad="dyad", person="person", role="role", time="time")


@pytest.mark.parametrize("model", MODELS)
def test_constant_everywhere_is_refused_once_in_the_api(model: str) -> None:
    df = _frame(model).assign(mood=3)
    with pytest.raises(DyadDataError) as caught:
        MODELS[model](_data(df), "mood").fit()
    message = str(caught.value)
    assert message.count(REFUSAL) == 1, message
    assert "couple 1" not in message and "\n" not in message


@pytest.mark.parametrize("model", MODELS)
def test_constant_in_some_couples_fits_the_others_in_the_api(model: str) -> None:
    df = _frame(model)
    df.loc[df["dyad"] == 1, "mood"] = 3.0
    table = MODELS[model](_data(df), "mood").fit().table
    assert table.loc[1, "reason"] is not None
    assert "every couple" not in table.loc[1, "reason"]
    others = table.drop(index=1)
    assert others["reason"].isna().all(), others["reason"]
    assert np.isfinite(others["adj_r2" if model != "couple-var" else "actor@0"]).all()


@pytest.mark.parametrize("model", MODELS)
def test_constant_everywhere_is_refused_once_on_the_command_line(
    model: str, tmp_path: Path, capsys
) -> None:
    path = tmp_path / "flat.csv"
    _frame(model).assign(mood=3).to_csv(path, index=False)
    code, out, err = fit(capsys, model, str(path), "--var", "mood")
    assert_bad_input(code, out, err, REFUSAL)
    assert err.count(REFUSAL) == 1, err


@pytest.mark.parametrize("model", MODELS)
def test_constant_in_some_couples_fits_the_others_on_the_command_line(
    model: str, tmp_path: Path, capsys
) -> None:
    df = _frame(model)
    df.loc[df["dyad"] == 1, "mood"] = 3.0
    path = tmp_path / "one_flat.csv"
    df.to_csv(path, index=False)
    code = cli.main(["fit", model, str(path), "--var", "mood", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "every couple and every occasion" not in out + err
    dyads = {row["dyad"]: row for row in json.loads(out)["dyads"]}
    assert dyads[1]["reason"] is not None
    assert [dyads[d]["reason"] for d in (2, 3, 4)] == [None, None, None]
