"""Every bad input the command line met in review ends with exit code 2 and one clear line.

Each case names the file and, where there is one, the line (CSV) and the column; successful runs
print nothing on stderr (no numpy RuntimeWarnings), and boundary estimates are flagged.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from counterpoint.science import cli
from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.mlvar import simulate_var
from counterpoint.science.simulate import simulate
from tests.science.cli_checks import assert_bad_input, fit


@pytest.fixture
def var_csv(tmp_path: Path) -> Path:
    """A daily diary (global time = day number, no day column): 6 couples × 40 days."""
    path = tmp_path / "var.csv"
    simulate_var(6, n_days=40, seed=5).drop(columns=["day", "beep"]).to_csv(path, index=False)
    return path


@pytest.fixture
def apim_csv(tmp_path: Path) -> Path:
    path = tmp_path / "apim.csv"
    simulate("apim", 20, 1, seed=2).to_csv(path, index=False)
    return path


def _with_value(path: Path, out: Path, row: int, column: str, value: str) -> Path:
    """A copy of the CSV with one cell's text replaced (row 0 is file line 2)."""
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[row + 1].split(",")
    cells[header.index(column)] = value
    lines[row + 1] = ",".join(cells)
    out.write_text("\n".join(lines) + "\n")
    return out


def test_truncated_gzip(var_csv: Path, tmp_path: Path, capsys) -> None:
    whole = gzip.compress(var_csv.read_bytes())
    bad = tmp_path / "cut.csv.gz"
    bad.write_bytes(whole[: len(whole) // 2])
    code, out, err = fit(capsys, "couple-var", str(bad), "--role", "role")
    assert_bad_input(code, out, err, "cut.csv.gz", "not a readable CSV file")


def test_ragged_row_names_its_line(var_csv: Path, tmp_path: Path, capsys) -> None:
    lines = var_csv.read_text().splitlines()
    lines[7] = ",".join(lines[7].split(",")[:-1])
    bad = tmp_path / "ragged.csv"
    bad.write_text("\n".join(lines) + "\n")
    code, out, err = fit(capsys, "couple-var", str(bad))
    assert_bad_input(code, out, err, "ragged.csv", "line 8", "expected 5 columns, got 4")


@pytest.mark.parametrize("value", ["inf", "-inf"])
def test_inf_in_an_apim_outcome(value: str, apim_csv: Path, tmp_path: Path, capsys) -> None:
    bad = _with_value(apim_csv, tmp_path / "inf.csv", 3, "y", value)
    code, out, err = fit(capsys, "apim", str(bad), "--outcome", "y", "--x", "x")
    assert_bad_input(code, out, err, "inf.csv", "line 5, column 'y'", "not a finite number")


@pytest.mark.parametrize("model", ["var", "couple-var"])
def test_inf_in_a_var_series(model: str, var_csv: Path, tmp_path: Path, capsys) -> None:
    bad = _with_value(var_csv, tmp_path / "inf.csv", 10, "y", "inf")
    code, out, err = fit(capsys, model, str(bad), "--role", "role")
    assert_bad_input(code, out, err, "inf.csv", "line 12, column 'y'", "inf is not a finite")


@pytest.mark.parametrize("model", ["var", "couple-var"])
def test_huge_value_in_a_var_series(model: str, var_csv: Path, tmp_path: Path, capsys) -> None:
    bad = _with_value(var_csv, tmp_path / "huge.csv", 20, "y", "1e308")
    code, out, err = fit(capsys, model, str(bad), "--role", "role")
    assert_bad_input(code, out, err, "huge.csv", "line 22, column 'y'", "too large to model")


def test_huge_value_in_an_apim_outcome(apim_csv: Path, tmp_path: Path, capsys) -> None:
    bad = _with_value(apim_csv, tmp_path / "huge.csv", 0, "y", "1e200")
    code, out, err = fit(capsys, "apim", str(bad), "--outcome", "y", "--x", "x")
    assert_bad_input(code, out, err, "huge.csv", "line 2, column 'y'", "too large to model")


def test_constant_variable_in_var(var_csv: Path, tmp_path: Path, capsys) -> None:
    df = pd.read_csv(var_csv).assign(y=3.0)
    bad = tmp_path / "flat.csv"
    df.to_csv(bad, index=False)
    code, out, err = fit(capsys, "var", str(bad), "--role", "role")
    assert_bad_input(code, out, err, "flat.csv", "'y' takes the same value (3)")


def test_partners_in_lockstep_in_var(var_csv: Path, tmp_path: Path, capsys) -> None:
    """Both partners give the same value at every occasion: actor and partner lags coincide. The
    multilevel VAR used to stop on numpy's "Singular matrix" (a server error on a study's page)."""
    df = pd.read_csv(var_csv)
    df["y"] = df.groupby(["dyad", "time"])["y"].transform("first")
    bad = tmp_path / "lockstep.csv"
    df.to_csv(bad, index=False)
    code, out, err = fit(capsys, "var", str(bad), "--role", "role")
    assert_bad_input(code, out, err, "lockstep.csv", "cannot tell actor from partner effects")


def test_var_naming_an_id_column(var_csv: Path, capsys) -> None:
    code, out, err = fit(capsys, "var", str(var_csv), "--role", "role", "--var", "dyad")
    assert_bad_input(code, out, err, "var.csv", "column 'dyad' is an id column")


@pytest.mark.parametrize("model", ["couple-var", "ic", "clo"])
def test_all_missing_variable(model: str, var_csv: Path, tmp_path: Path, capsys) -> None:
    df = pd.read_csv(var_csv).assign(y=np.nan)
    bad = tmp_path / "empty_y.csv"
    df.to_csv(bad, index=False)
    code, out, err = fit(capsys, model, str(bad))
    assert_bad_input(code, out, err, "empty_y.csv", "column 'y' has no values")


# pytest catches warnings before they reach stderr: make a RuntimeWarning fail the run instead
@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("model", ["var", "couple-var", "ic", "clo"])
def test_successful_runs_print_nothing_on_stderr(
    model: str, var_csv: Path, tmp_path: Path, capsys
) -> None:
    """A couple with a constant partner and one with a single row give NaN rows, not warnings."""
    df = pd.read_csv(var_csv)
    df.loc[(df.dyad == 2) & (df.role == 1), "y"] = 4.0
    df = df[~((df.dyad == 3) & (df.time > 1))]
    path = tmp_path / "awkward.csv"
    df.to_csv(path, index=False)
    code, out, err = fit(capsys, model, str(path), "--role", "role", "--json")
    assert code == 0, err
    assert err == ""
    assert json.loads(out)["model"] == model


def test_var_asks_for_day_with_a_global_time_column(tmp_path: Path, capsys) -> None:
    path = tmp_path / "beeps.csv"
    simulate_var(8, n_days=6, beeps_per_day=5, seed=1).to_csv(path, index=False)
    code, out, err = fit(capsys, "var", str(path), "--role", "role")
    assert_bad_input(code, out, err, "column 'day'", "--day day", "--no-day")
    code, out, err = fit(capsys, "var", str(path), "--role", "role", "--day", "day", "--json")
    assert code == 0, err
    with_days = json.loads(out)["params"]["actor@0"]["estimate"]
    code, out, err = fit(capsys, "var", str(path), "--role", "role", "--no-day", "--json")
    assert code == 0, err
    # lags across nights use more rows, so the estimate differs
    assert json.loads(out)["params"]["actor@0"]["estimate"] != with_days
    assert json.loads(out)["n_obs"] > 0


def test_boundary_estimate_is_not_a_clean_fit(tmp_path: Path, capsys) -> None:
    """Three tiny couples: the random-intercept correlation goes to the edge (±1)."""
    path = tmp_path / "tiny.csv"
    simulate_var(3, n_days=3, beeps_per_day=3, seed=2).to_csv(path, index=False)
    code, out, err = fit(capsys, "var", str(path), "--role", "role", "--day", "day", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["converged"] is False
    assert "re_corr" in doc["boundary"]
    assert abs(doc["params"]["re_corr"]["estimate"]) > 0.999
    code, out, _ = fit(capsys, "var", str(path), "--role", "role", "--day", "day")
    assert "NO: re_corr at the boundary" in out


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("k_interval", ["delta", "fieller", "bootstrap"])
def test_apim_prints_nothing_on_stderr(k_interval: str, reference_data: Path, capsys) -> None:
    """The pooled APIM's successful runs are quiet too (warnings fail the run here)."""
    code, out, err = fit(
        capsys, "apim", str(reference_data / "acipair.csv"),
        "--dyad", "CoupleID", "--person", "Partnum",
        "--outcome", "Satisfaction_A", "--actor", "Tension_A", "--partner", "SelfPos_A",
        "--k-interval", k_interval, "--seed", "1", "--json",
        *(["--boot", "200"] if k_interval == "bootstrap" else []),
    )  # fmt: skip
    assert code == 0, err
    assert err == ""  # stderr is not a terminal and the run is small: no bootstrap progress either
    assert json.loads(out)["model"] == "apim"


# -- requests larger than memory -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("model", "occasions", "beeps"), [("apim", 1, 1), ("ic", 7, 1), ("clo", 9, 1), ("var", 6, 3)]
)
def test_simulated_rows_are_counted_before_drawing(model: str, occasions: int, beeps: int) -> None:
    """check_size counts the rows the generators then make (what the refusal below relies on)."""
    from counterpoint.science.simulate import check_size

    params = {"beeps_per_day": beeps} if model == "var" else {}
    frame = simulate(model, 3, occasions, seed=1, **params)
    assert check_size(3, occasions) == len(frame)


def test_simulate_refuses_more_rows_than_memory_holds(capsys, tmp_path: Path) -> None:
    """A million couples × 60 days (120 million rows) to CSV used to be drawn until memory ran out."""
    from counterpoint.science.simulate import MAX_SIMULATED_ROWS

    dyads = MAX_SIMULATED_ROWS // 2 + 1  # one occasion: a single row too many
    csv = tmp_path / "big.csv"
    code, out, err = run(capsys, "simulate", "apim", "--dyads", str(dyads), "-o", str(csv))
    rows = f"{2 * dyads:,} rows"
    assert_bad_input(code, out, err, rows, f"{MAX_SIMULATED_ROWS:,}", "-o DIR.parquet")
    assert not csv.exists()
    code, out, err = run(capsys, "simulate", "var", "--dyads", "1000000", "--occasions", "60")
    assert_bad_input(code, out, err, f"{2 * 1_000_000 * 60:,} rows")
    # a partitioned output holds one part in memory at a time: its size is what counts
    parts = tmp_path / "big.parquet"
    code, out, err = run(capsys, "simulate", "var", "--dyads", "1000000", "--occasions", "60",
                         "--partition-dyads", "1000000", "-o", str(parts))  # fmt: skip
    most = MAX_SIMULATED_ROWS // (2 * 60)  # dyads of 60 occasions a part may hold
    assert_bad_input(code, out, err, "one part", f"{2 * 1_000_000 * 60:,} rows")
    assert f"--partition-dyads {most:,} or fewer" in err
    assert 2 * most * 60 <= MAX_SIMULATED_ROWS < 2 * (most + 1) * 60
    assert not parts.exists()
    with pytest.raises(ValueError, match=f"more than the {MAX_SIMULATED_ROWS:,}"):
        simulate("apim", dyads, 1, seed=1)


@pytest.mark.parametrize("command", ["simulate", "fit"])
def test_running_out_of_memory_is_one_line(command: str, apim_csv: Path, capsys, monkeypatch):
    """A MemoryError used to end in an "internal error" (or a traceback) instead of advice."""

    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    if command == "simulate":
        monkeypatch.setattr("counterpoint.science.simulate.simulate", no_memory)
        code, out, err = run(capsys, "simulate", "ic", "--dyads", "3", "--occasions", "5")
        assert_bad_input(code, out, err, "counterpoint simulate:", "ran out of memory", "fewer")
    else:
        monkeypatch.setattr(cli, "_fit", no_memory)
        code, out, err = fit(capsys, "apim", str(apim_csv), "--outcome", "y", "--x", "x")
        assert_bad_input(code, out, err, "counterpoint fit:", "ran out of memory", "--dask")


# -- time columns that do not count occasions ---------------------------------------------------------
@pytest.mark.parametrize("model", ["couple-var", "var", "ic", "clo"])
@pytest.mark.parametrize(
    ("stamp", "shown"), [("%Y-%m-%d %H:%M", "2024-01-01 01:00:00"), ("%Y-%m-%d", "2024-01-02")]
)
def test_dates_in_the_time_column(
    model: str, stamp: str, shown: str, var_csv: Path, tmp_path: Path, capsys
) -> None:
    """Timestamps used to become nanoseconds since 1970 and a grid of billions of empty cells."""
    df = pd.read_csv(var_csv)
    hours = pd.to_timedelta(df["time"], unit="D" if "%H" not in stamp else "h")
    df["time"] = (pd.Timestamp("2024-01-01") + hours).dt.strftime(stamp)
    bad = tmp_path / "stamps.csv"
    df.to_csv(bad, index=False)
    code, out, err = fit(capsys, model, str(bad), "--role", "role")
    assert_bad_input(code, out, err, "stamps.csv", "column 'time' holds dates", shown, "1, 2, 3")


@pytest.mark.parametrize("model", ["couple-var", "var", "ic", "clo"])
@pytest.mark.parametrize("unit", [1, 1000])
def test_time_in_seconds(model: str, unit: int, var_csv: Path, tmp_path: Path, capsys) -> None:
    """Unix time at hourly beeps: no lag-1 pairs at all (and, in milliseconds, arrays too large
    for memory); refused before any grid is laid out."""
    df = pd.read_csv(var_csv)
    df["time"] = (1_704_067_200 + df["time"] * 3600) * unit
    bad = tmp_path / "epoch.csv"
    df.to_csv(bad, index=False)
    code, out, err = fit(capsys, model, str(bad), "--role", "role")
    step = f"the smallest step is {3600 * unit}"
    assert_bad_input(code, out, err, "epoch.csv", "no person has two consecutive occasions", step)


def _short_diary(tmp_path: Path, times: list[int]) -> Path:
    """Two couples whose four people share the occasion numbers ``times`` (a short series)."""
    df = simulate("ic", 2, len(times), seed=3)
    df["time"] = df["time"].map(dict(zip(sorted(df["time"].unique()), times, strict=True)))
    path = tmp_path / "short.csv"
    df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("model", ["couple-var", "var", "ic", "clo"])
@pytest.mark.parametrize(
    ("times", "why"),
    [
        ([900, 930, 1000, 1030, 1100, 1130], "the smallest step is 30"),  # 9:00, 9:30, …
        ([10, 20, 30], "the smallest step is 10"),
        ([2, 4, 6, 8, 10, 12], "every step is a multiple of 2"),
        ([3, 9, 12, 15, 21, 24], "every step is a multiple of 3"),
    ],
)
def test_clock_times_in_a_short_series(
    model: str, times: list[int], why: str, tmp_path: Path, capsys
) -> None:
    """Below 50 steps a time column without a step of 1 used to pass: clock times (900, 930, …)
    then gave a grid of mostly empty occasions and lags that never met."""
    code, out, err = fit(capsys, model, str(_short_diary(tmp_path, times)), "--role", "role")
    assert_bad_input(code, out, err, "short.csv", "column 'time'", why, "1, 2, 3")


@pytest.mark.parametrize(
    "times",
    [
        [1, 2, 3, 4, 5, 6],
        [1, 3, 4, 6, 7, 9],  # gaps, but some consecutive occasions
        [1, 3],  # four steps of 2: too few to tell
        [2, 5, 7, 10, 12, 15],  # steps of 3 and 2: no common divisor
        [10, 11, 12, 20, 21, 22],  # large numbers, but steps of 1
    ],
)
def test_short_series_that_number_occasions(times: list[int], tmp_path: Path) -> None:
    data = DyadicData.from_path(
        _short_diary(tmp_path, times), dyad="dyad", person="person", role="role", time="time"
    )
    assert sorted(data.frame["time"].unique()) == times


def test_steps_counted_within_each_day(tmp_path: Path) -> None:
    """Beeps numbered 1, 2, 3 within each day: the steps across nights do not count."""
    df = simulate_var(2, n_days=4, beeps_per_day=3, seed=1)
    df["time"] = (df["day"] - 1) * 10 + df["beep"]  # 1, 2, 3, 11, 12, 13, …
    data = DyadicData(df, dyad="dyad", person="person", role="role", time="time", day="day")
    assert data.n_obs == len(df)
    df["time"] = df["time"] * 10  # 10, 20, 30, 110, … : no step of 1 within a day
    with pytest.raises(DyadDataError, match="the smallest step is 10"):
        DyadicData(df, dyad="dyad", person="person", role="role", time="time", day="day")


def test_one_stray_time_far_away(var_csv: Path, tmp_path: Path, capsys) -> None:
    """One mistyped time (a year in seconds) would stretch every couple's arrays."""
    df = pd.read_csv(var_csv)
    df.loc[df.index[-1], "time"] = 10**9
    bad = tmp_path / "far.csv"
    df.to_csv(bad, index=False)
    code, out, err = fit(capsys, "couple-var", str(bad), "--role", "role")
    assert_bad_input(code, out, err, "far.csv", "column 'time'", "mostly empty")


# -- text encodings and missing markers ---------------------------------------------------------------
def test_latin1_cell(var_csv: Path, tmp_path: Path, capsys) -> None:
    df = pd.read_csv(var_csv)
    df["who"] = np.where(df["role"] == 0, "José", "Zoë")
    bad = tmp_path / "latin1.csv"
    df.to_csv(bad, index=False, encoding="latin-1")
    code, out, err = fit(capsys, "var", str(bad), "--role", "who")
    assert_bad_input(code, out, err, "latin1.csv", "not UTF-8", "line 2, column 'who'", "0xe9")


def test_latin1_header(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "header.csv"
    bad.write_bytes("dyad,person,time,\u00e9t\u00e9\n1,1,1,2\n1,2,1,3\n".encode("latin-1"))
    code, out, err = fit(capsys, "var", str(bad), "--var", "\u00e9t\u00e9")
    assert_bad_input(code, out, err, "header.csv", "not UTF-8", "line 1 (the header)")


@pytest.mark.parametrize("model", ["couple-var", "var"])
def test_missing_markers_and_stray_words(model: str, var_csv: Path, tmp_path: Path, capsys) -> None:
    """'n/a' (a missing marker, files.MISSING_MARKERS) is a missing value on both readers; 'abc'
    is refused with its line, never dropped."""
    code, out, _ = fit(capsys, model, str(var_csv), "--role", "role", "--json")
    whole = json.loads(out)
    marked = _with_value(var_csv, tmp_path / "marked.csv", 10, "y", "n/a")
    code, out, err = fit(capsys, model, str(marked), "--role", "role", "--json")
    assert code == 0, err
    assert json.loads(out) != whole  # one value fewer
    stray = _with_value(var_csv, tmp_path / "stray.csv", 10, "y", "abc")
    code, out, err = fit(capsys, model, str(stray), "--role", "role")
    assert_bad_input(code, out, err, "stray.csv", "line 12, column 'y'", "'abc' is not a number")


# -- options --------------------------------------------------------------------------------------------
def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("param", "fragment"),
    [
        ("sigma=-1", "--param sigma is a standard deviation and cannot be negative"),
        ("sigma=-1,1", "--param sigma is a standard deviation and cannot be negative"),
        ("zz=1", "--param apim has no parameter 'zz'; it has a, intercept"),
        ("a=nan", "--param a must be a finite number"),
        ("a=inf", "--param a must be a finite number"),
        ("a=1,2,3", "--param a takes one number or two (one per role), got 3"),
        ("rho=1.5", "--param rho is a correlation"),
        ("a", "expected NAME=VALUE"),
        ("a=x", "expected a number"),
    ],
)
def test_simulate_param_checks(param: str, fragment: str, capsys) -> None:
    """apim with sigma=-1 used to simulate as sigma=1 (the SD was squared); nan gave empty y."""
    code, out, err = run(capsys, "simulate", "apim", "--dyads", "3", "--param", param)
    assert_bad_input(code, out, err, fragment)


@pytest.mark.parametrize(
    ("model", "param", "fragment"),
    [
        ("var", "sigma=-1", "sigma is a standard deviation"),  # was "'float' not subscriptable"
        ("ic", "sigma=-1", "sigma is a standard deviation"),  # was numpy's "scale < 0"
        ("clo", "obs_0=1,2", "obs_0 takes one number, got 2"),
        ("ic", "burn_in=2.5", "burn_in must be a whole number"),
        ("var", "missing=1", "missing is a probability"),
    ],
)
def test_simulate_param_checks_per_model(model: str, param: str, fragment: str, capsys) -> None:
    args = ["simulate", model, "--dyads", "3", "--occasions", "4", "--param", param]
    code, out, err = run(capsys, *args)
    assert_bad_input(code, out, err, fragment)


def test_simulate_one_sigma_for_both_roles(capsys) -> None:
    code, out, err = run(capsys, "simulate", "var", "--dyads", "2", "--occasions", "5",
                         "--seed", "1", "--param", "sigma=2")  # fmt: skip
    assert code == 0, err
    assert out.startswith("dyad,person,role,time,y")


def test_seed_must_be_a_whole_number_from_zero(capsys, apim_csv: Path) -> None:
    code, out, err = run(capsys, "simulate", "apim", "--dyads", "3", "--seed", "-1")
    assert_bad_input(code, out, err, "--seed", "from 0 on")
    code, out, err = fit(capsys, "apim", str(apim_csv), "--outcome", "y", "--x", "x",
                         "--k-interval", "bootstrap", "--boot", "100", "--seed", "-1")  # fmt: skip
    assert_bad_input(code, out, err, "--seed", "from 0 on")
    code, out, err = fit(capsys, "profiles", str(apim_csv), "--seed", "1.5")
    assert_bad_input(code, out, err, "--seed", "'1.5'")


def test_partition_dyads_needs_parquet_output(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "simulate", "apim", "--dyads", "3", "--partition-dyads", "2")
    assert_bad_input(code, out, err, "--partition-dyads", "DIR.parquet")
    csv = tmp_path / "s.csv"
    code, out, err = run(capsys, "simulate", "apim", "--dyads", "3", "--partition-dyads", "2",
                         "-o", str(csv))  # fmt: skip
    assert_bad_input(code, out, err, "--partition-dyads")
    assert not csv.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", "apim", "--dyads", "3", "-o", "{missing}/s.csv"],
        ["simulate", "apim", "--dyads", "3", "-o", "{missing}/s.parquet"],
        ["prepare", "{data}", "-o", "{missing}/p.parquet"],
        ["fit", "clo", "{data}", "--out", "{missing}/e.csv"],
        ["fit", "clo", "{data}", "--out", "{missing}/e.parquet"],
        ["fit", "clo", "{data}", "--html", "{missing}/r.html"],
        ["fit", "clo", "{data}", "--html", "{tmp}/r.html", "--out", "{missing}/e.csv"],
    ],
)
def test_output_into_a_missing_directory(args: list[str], var_csv: Path, tmp_path: Path, capsys):
    """Refused before any work, and nothing else is written (the report used to be)."""
    missing = tmp_path / "nowhere"
    fill = {"missing": missing, "data": var_csv, "tmp": tmp_path}
    code, out, err = run(capsys, *(a.format(**fill) for a in args))
    assert_bad_input(code, out, err, f"directory {missing} does not exist")
    assert not missing.exists()
    assert not (tmp_path / "r.html").exists()


def test_output_that_is_a_directory(var_csv: Path, tmp_path: Path, capsys) -> None:
    code, out, err = fit(capsys, "clo", str(var_csv), "--out", str(tmp_path))
    assert_bad_input(code, out, err, "is a directory")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--profiles", "1-1000000000"], "at most 100 profiles"),  # used to fill memory
        (["--profiles", "0"], "--profiles"),
        (["--profiles", "-3"], "--profiles"),
        (["--profiles", "500"], "at most 100 profiles"),
        (["--starts", "100000000"], "at most 1000 starts"),
        (["--columns", "dyad,nope", "--dyad", "id"], "column 'nope' not found"),
    ],
)
def test_profiles_option_values(args: list[str], fragment: str, apim_csv: Path, capsys) -> None:
    code, out, err = fit(capsys, "profiles", str(apim_csv), *args)
    assert_bad_input(code, out, err, fragment)


@pytest.mark.parametrize("delta", ["0", "-1", "nan", "inf", "1e-320", "1e200"])
def test_clo_delta_values(delta: str, var_csv: Path, capsys) -> None:
    """inf ended in "Eigenvalues did not converge", 1e-320 in "Singular matrix"."""
    code, out, err = fit(capsys, "clo", str(var_csv), f"--delta={delta}")
    assert_bad_input(code, out, err, "--delta")


@pytest.mark.parametrize("option", ["--x", "--actor", "--partner"])
def test_apim_variable_given_twice(option: str, apim_csv: Path, capsys) -> None:
    """--x x --x x used to be reported as collinear predictors."""
    code, out, err = fit(capsys, "apim", str(apim_csv), "--outcome", "y", option, "x", option, "x")
    assert_bad_input(code, out, err, f"{option} x is given twice")
    assert "collinear" not in err


# -- constants are named as constants ---------------------------------------------------------------
@pytest.mark.parametrize("model", ["ic", "clo"])
def test_constant_variable_in_per_dyad_models(
    model: str, var_csv: Path, tmp_path: Path, capsys
) -> None:
    """Both partners constant used to be reported as 'the two partners' series are identical'.

    One couple constant here: a variable constant in every couple is refused up front instead
    (tests/science/test_constant_variable.py)."""
    df = pd.read_csv(var_csv)
    df.loc[df["dyad"] == df["dyad"].iloc[0], "y"] = 3.0
    flat = tmp_path / "flat.csv"
    df.to_csv(flat, index=False)
    code, out, err = fit(capsys, model, str(flat), "--role", "role")
    assert code == 0, err
    assert "never varies (every value is 3)" in out
    assert "identical" not in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["--outcome", "y", "--x", "c"],
            "predictor 'c' takes the same value (2) in every complete",
        ),
        (["--outcome", "c", "--x", "x"], "outcome 'c' takes the same value (2)"),
        (["--outcome", "y", "--x", "c", "--role", "role"], "in every complete row of role A"),
    ],
)
def test_constant_in_the_apim(
    args: list[str], fragment: str, apim_csv: Path, tmp_path: Path, capsys
) -> None:
    """A constant outcome used to 'fit' with residual SD 0; a constant predictor was 'collinear'."""
    df = pd.read_csv(apim_csv).assign(c=2.0)
    path = tmp_path / "const.csv"
    df.to_csv(path, index=False)
    code, out, err = fit(capsys, "apim", str(path), *args)
    assert_bad_input(code, out, err, fragment)
    assert "collinear" not in err


def test_clo_table_shows_no_pandas_na(var_csv: Path, tmp_path: Path, capsys) -> None:
    """A dyad without estimates has no tau or embed: shown as —, like every missing number."""
    df = pd.read_csv(var_csv)
    df.loc[df["dyad"] == 2, "y"] = 3.0
    path = tmp_path / "one_flat.csv"
    df.to_csv(path, index=False)
    code, out, err = fit(capsys, "clo", str(path), "--role", "role")
    assert code == 0, err
    assert "<NA>" not in out
    row = next(line for line in out.splitlines() if line.startswith("2 "))
    assert "—" in row and "<NA>" not in row


def test_binary_file_given_as_csv(tmp_path: Path, capsys) -> None:
    """A ragged row that is not UTF-8 made pyarrow print a traceback ('Exception ignored in …')."""
    bad = tmp_path / "picture.csv"
    bad.write_bytes(b"dyad,person,time,y\n\x89PNG\xd8\xff,\x00\xfe\n1,1,1,2\n")
    code, out, err = fit(capsys, "var", str(bad))
    assert_bad_input(code, out, err, "picture.csv is not UTF-8 text", "0x")


def test_workbook_given_as_data(tmp_path: Path, capsys) -> None:
    """An .xlsx (a zip archive) used to be reported as an empty CSV file."""
    import zipfile

    book = tmp_path / "study.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>" * 50)
    code, out, err = fit(capsys, "var", str(book))
    assert_bad_input(code, out, err, "study.xlsx is a zip archive", "export the data as CSV")
