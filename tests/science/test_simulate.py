"""simulate(): one entry point for every model's generator, seeded and reproducible."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from counterpoint.science import DyadicData, cli
from counterpoint.science.simulate import MODELS, estimate_file_bytes, simulate, simulate_apim
from tests.science.cli_checks import assert_bad_input


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


# -- simulate -o: room on the disk ------------------------------------------------------------------
def _free(monkeypatch, n_bytes: int) -> None:
    """The operating system's answer about free space (the one thing not measured for real)."""
    usage = shutil.disk_usage(".")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage._replace(free=n_bytes))


def _simulate(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["simulate", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["couple-var", "--dyads", "2000000", "--occasions", "60"], "big.parquet"),
        (["ic", "--dyads", "200000", "--occasions", "100"], "big.csv"),
    ],
)
def test_simulate_refuses_an_output_larger_than_the_free_space(
    args: list[str], name: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    """Refused before anything is drawn: a 2,000,000-couple request answers at once, and no file
    or directory is left."""
    _free(monkeypatch, 50_000_000)
    out = tmp_path / name
    code, stdout, err = _simulate(capsys, *args, "-o", str(out))
    assert_bad_input(code, stdout, err, f"-o {out}: the data would take about", "50.0 MB free")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["s.csv", "s.csv.gz", "s.parquet"])
def test_simulate_needs_the_estimate_and_its_margin_free(
    name: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    args = ["clo", "--dyads", "30", "--occasions", "200", "--seed", "2", "-o"]
    need = estimate_file_bytes("clo", 30, 200, "part.parquet" if name == "s.parquet" else name)
    _free(monkeypatch, int(need * cli.DISK_MARGIN) - 1)
    code, stdout, err = _simulate(capsys, *args, str(tmp_path / name))
    assert_bad_input(code, stdout, err, "free some space")
    _free(monkeypatch, int(need * cli.DISK_MARGIN) + 1)
    code, stdout, err = _simulate(capsys, *args, str(tmp_path / name))
    assert code == 0, err


@pytest.mark.parametrize(
    ("model", "dyads", "occasions", "name", "params"),
    [
        ("apim", 30_000, 1, "a.csv", {}),
        ("ic", 200, 250, "i.csv.gz", {}),
        ("var", 800, 70, "v.csv", {"beeps_per_day": 7}),
        ("couple-var", 4000, 60, "part.parquet", {}),
    ],
)
def test_the_size_estimate_is_close_to_the_file_written(
    model: str, dyads: int, occasions: int, name: str, params: dict, tmp_path: Path
) -> None:
    """A sample of a few hundred rows predicts the whole file: at most 5% low (the margin), a
    little high for Parquet (ids compress better in a large file than in the sample)."""
    estimate = estimate_file_bytes(model, dyads, occasions, name, **params)
    frame = simulate(model, dyads, occasions, seed=9, **params)
    path = tmp_path / name
    if name.endswith(".parquet"):
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    ratio = estimate / path.stat().st_size
    assert 1 / cli.DISK_MARGIN <= ratio <= 1.3, ratio


# -- simulate -o: a file written whole or not at all ------------------------------------------------
@pytest.mark.parametrize("name", ["s.csv", "s.csv.gz"])
def test_an_interrupted_simulate_leaves_the_earlier_file_and_no_partial_one(
    name: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    """Ctrl-C while the file is being written: the file under that name is the earlier, complete
    one (a later fit never reads a cut-off file), and the hidden partial file is removed."""
    out = tmp_path / name
    args = ["apim", "--dyads", "300", "--seed", "4", "-o", str(out)]
    assert _simulate(capsys, *args)[0] == 0
    before = out.read_bytes()
    real_to_csv = pd.DataFrame.to_csv

    def cut_short(frame: pd.DataFrame, target: object, **kwargs: object) -> object:
        if Path(str(target)).parent != tmp_path:  # the size estimate's sample, elsewhere
            return real_to_csv(frame, target, **kwargs)
        real_to_csv(frame.iloc[: len(frame) // 2], target, **kwargs)  # half the rows are written
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", cut_short)
    assert _simulate(capsys, *args[:-4], "--seed", "5", "-o", str(out))[0] == 130  # interrupted
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    monkeypatch.undo()
    assert _simulate(capsys, *args[:-4], "--seed", "5", "-o", str(out))[0] == 0
    again = pd.read_csv(out)  # the new file, whole, compressed as its name says
    earlier = tmp_path / "earlier" / name
    earlier.parent.mkdir()
    earlier.write_bytes(before)
    assert len(again) == 600 and not again.equals(pd.read_csv(earlier))
