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
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from counterpoint.science import cli
from counterpoint.science.couple_var import CoupleVAR
from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.files import part_files
from counterpoint.science.inertia_coordination import InertiaCoordination
from counterpoint.science.oscillator import CoupledOscillator
from counterpoint.science.panels import refuse_constant
from counterpoint.science.part_ranges import refuse_constant_parts
from counterpoint.science.partitioned import (
    FitSpec,
    fit_dask,
    fit_result,
    result_table,
    simulate_partitioned,
)
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


# -- a partitioned file under --dask: each part is fitted alone, the refusal is for the whole file --
DASK_OPTIONS: dict[str, dict[str, Any]] = {
    "couple-var": {},
    "ic": {"lag": 1},
    "clo": {"taus": (4,), "embeds": (3, 4)},
}


def _partitioned(model: str, tmp_path: Path) -> tuple[Path, FitSpec]:
    """Twelve simulated couples in three part files, and what to fit to them."""
    source = tmp_path / "data.parquet"
    simulate_partitioned(model, 12, 80, 5, source, partition_dyads=4)
    return source, FitSpec(model, "y", role="role", options=DASK_OPTIONS[model])


def _rewrite(path: Path, values: np.ndarray, *, nan_as_value: bool = False, **options: Any) -> None:
    """Replace a part's ``y`` with ``values``: NaN written as a null (as pandas writes it) or, with
    ``nan_as_value``, as a floating-point NaN, which Parquet statistics leave out of min and max."""
    table = pa.Table.from_pandas(pd.read_parquet(path).drop(columns="y"), preserve_index=False)
    if nan_as_value:
        column = pa.array(values, from_pandas=False)
    else:
        column = pa.array(values, from_pandas=True)
    pq.write_table(table.append_column("y", column), path, **options)


def _in_memory_refusal(source: Path, spec: FitSpec) -> str:
    """The message of the in-memory fit of the whole directory (which must refuse)."""
    with pytest.raises(DyadDataError) as caught:
        fit_result(spec.data(pd.read_parquet(source)), spec)
    return str(caught.value)


def _with_gaps(n: int, value: float, every: int = 7) -> np.ndarray:
    values = np.full(n, value)
    values[::every] = np.nan
    return values


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("value", [3.0, 0.0])
def test_constant_in_every_part_is_refused_under_dask_as_in_memory(
    model: str, value: float, tmp_path: Path
) -> None:
    """Missing values as nulls in one part, as NaN in another (with a row group of NaN only,
    which has no statistics), none in the third; 0.0 because statistics store it as -0.0."""
    source, spec = _partitioned(model, tmp_path)
    first, second, third = part_files(source)
    n = len(pd.read_parquet(first))
    _rewrite(first, _with_gaps(n, value))
    gaps = _with_gaps(n, value)
    gaps[:50] = np.nan
    _rewrite(second, gaps, nan_as_value=True, row_group_size=50)
    _rewrite(third, np.full(n, value))
    expected = _in_memory_refusal(source, spec)
    assert f"y is {value:g} for every couple and every occasion" in expected
    out = tmp_path / "out.parquet"
    with pytest.raises(DyadDataError) as caught:
        fit_dask(source, out, spec, workers=1, processes=False)
    assert str(caught.value) == expected
    assert not out.exists()


def test_constant_in_every_part_is_refused_on_the_command_line_with_dask(
    tmp_path: Path, capsys
) -> None:
    """Whole numbers (integer statistics), the words of the fit without --dask, no output left."""
    source, _ = _partitioned("couple-var", tmp_path)
    for part in part_files(source):
        frame = pd.read_parquet(part)
        frame.assign(y=3).to_parquet(part, index=False)
    args = ["couple-var", str(source), "--role", "role"]
    code, out, in_memory = fit(capsys, *args, "--out", str(tmp_path / "o.parquet"))
    assert_bad_input(code, out, in_memory, "y is 3 for every couple and every occasion")
    code, out, on_dask = fit(capsys, *args, "--dask", "--out", str(tmp_path / "d.parquet"))
    assert_bad_input(code, out, on_dask)
    assert on_dask == in_memory
    assert not (tmp_path / "o.parquet").exists() and not (tmp_path / "d.parquet").exists()


@pytest.mark.parametrize("model", ["couple-var", "ic"])
def test_constant_in_each_part_but_not_the_file_is_fitted_under_dask(
    model: str, tmp_path: Path
) -> None:
    """Each part one value of its own (with gaps): every couple gets its in-memory reason."""
    source, spec = _partitioned(model, tmp_path)
    for k, part in enumerate(part_files(source)):
        n = len(pd.read_parquet(part))
        _rewrite(part, _with_gaps(n, 3.0 + k), nan_as_value=k == 1)
    out = tmp_path / "out.parquet"
    assert fit_dask(source, out, spec, workers=1, processes=False) == (12, 3)
    on_dask = pd.read_parquet(out).sort_values("dyad").reset_index(drop=True)
    in_memory = result_table(fit_result(spec.data(pd.read_parquet(source)), spec))
    pd.testing.assert_frame_equal(on_dask, in_memory, check_exact=True, check_dtype=False)
    assert on_dask["reason"].notna().all()


@pytest.mark.parametrize(
    ("second", "write"),
    [
        ([3.0, 3.0, 4.0], {"write_statistics": False}),  # varies where no statistics tell
        ([3.0, 3.0, 3.0], {"write_statistics": False}),
        ([3.0, np.nan, 3.0], {"row_group_size": 1}),  # a row group of NaN alone
        ([3.0, 3.0 + 1e-14, 3.0], {}),  # one value up to rounding, as refuse_constant decides
        (["3", None, "3.0"], {}),  # numbers as text, read as the fit reads them
    ],
)
def test_the_pre_pass_decides_as_refuse_constant_on_the_whole_column(
    second: list, write: dict, tmp_path: Path
) -> None:
    """Two one-column parts; the expected answer is refuse_constant's on all the values."""
    files = [tmp_path / "part-00000.parquet", tmp_path / "part-00001.parquet"]
    pq.write_table(pa.table({"y": pa.array([3.0, None, 3.0])}), files[0])
    column = pa.array(second, from_pandas=False)
    pq.write_table(pa.table({"y": column}), files[1], **write)
    whole = pd.to_numeric(pd.read_parquet(tmp_path)["y"]).to_numpy(dtype=float)
    try:
        refuse_constant(whole[None, None, :], "y")
    except DyadDataError as exc:
        with pytest.raises(DyadDataError) as caught:
            refuse_constant_parts(files, "y")
        assert str(caught.value) == str(exc)
    else:
        refuse_constant_parts(files, "y")
