"""The quick path from a file to per-dyad arrays (counterpoint.science.arrays).

It must give exactly the arrays DyadicData gives, and for every bad input it must step aside so
that the general path refuses the file with the same one line (exit code 2) it always gave.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from counterpoint.science import arrays, cli
from counterpoint.science.arrays import DyadArrays, read_arrays
from counterpoint.science.data import DyadicData
from counterpoint.science.mlvar import simulate_var
from tests.science.cli_checks import assert_bad_input, fit

ROOT = Path(__file__).resolve().parents[2]
COLS = {"dyad": "dyad", "person": "person", "time": "time", "var": "y"}


@pytest.fixture(params=["whole", "in pieces"], autouse=True)
def pieces(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test also runs with the CSV read in pieces of ~600 bytes (about 20 rows): dyads and
    persons then span several pieces, as in a large file."""
    if request.param == "in pieces":
        monkeypatch.setattr(arrays, "CSV_BLOCK_BYTES", 600)


@pytest.fixture
def frame() -> pd.DataFrame:
    """A daily diary, 5 couples × 40 days, with a few missing values."""
    df = simulate_var(5, n_days=40, seed=3).drop(columns=["day", "beep"])
    df.loc[[3, 50, 51, 200], "y"] = np.nan
    return df


def _csv(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False)
    return path


def _same_as_dyadic_data(path: Path, role: str | None) -> DyadArrays:
    fast = read_arrays(path, role=role, **COLS)
    assert fast is not None
    general = DyadicData.from_path(path, role=role, time="time", dyad="dyad", person="person")
    np.testing.assert_array_equal(fast.to_arrays("y"), general.to_arrays("y"))
    np.testing.assert_array_equal(fast.dyad_ids, general.dyad_ids)
    assert fast.roles == general.roles
    assert (fast.n_dyads, fast.n_obs) == (general.n_dyads, general.n_obs)
    return fast


# -- good files: the same arrays as DyadicData -----------------------------------------------------
@pytest.mark.parametrize("role", ["role", None])
def test_same_arrays_as_dyadic_data(role: str | None, frame: pd.DataFrame, tmp_path: Path) -> None:
    _same_as_dyadic_data(_csv(frame, tmp_path / "diary.csv"), role)


def test_rows_in_any_order_within_a_dyad(frame: pd.DataFrame, tmp_path: Path) -> None:
    """Role 1 before role 0, occasions interleaved across the partners, gaps in time."""
    df = frame[frame.time % 7 != 3]  # missing occasions
    df = df.sort_values(["dyad", "time", "role"], ascending=[True, True, False])
    _same_as_dyadic_data(_csv(df, tmp_path / "mixed.csv"), "role")


def test_interleaved_rows_with_a_repeated_time_are_refused(
    frame: pd.DataFrame, tmp_path: Path, capsys
) -> None:
    """Rows by occasion (partners alternating): the order check runs on the sorted persons."""
    df = frame.sort_values(["dyad", "time", "role"], kind="stable").reset_index(drop=True)
    df.loc[df.index[-1], "time"] = 39  # the last person's last occasion repeats the one before
    path = _csv(df, tmp_path / "interleaved.csv")
    assert read_arrays(path, role="role", **COLS) is None
    code = cli.main(["fit", "couple-var", str(path), "--role", "role"])
    _, err = capsys.readouterr()
    assert code == 2 and "duplicate occasion" in err and "interleaved.csv" in err, err


def test_role_values_missing_markers_parquet_and_gzip(frame: pd.DataFrame, tmp_path: Path) -> None:
    df = frame.assign(role=frame.role * 5 + 1)  # role values 1 and 6
    path = _csv(df, tmp_path / "na.csv")
    text = path.read_text()
    assert "\n1,1,1,4,\n" in text  # row 3: an empty cell, written as NA instead
    path.write_text(text.replace("\n1,1,1,4,\n", "\n1,1,1,4,NA\n"))
    _same_as_dyadic_data(path, "role")
    df.to_parquet(tmp_path / "diary.parquet", index=False)
    _same_as_dyadic_data(tmp_path / "diary.parquet", "role")
    packed = tmp_path / "diary.csv.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    _same_as_dyadic_data(packed, "role")


def test_fit_is_the_same_through_either_path(frame: pd.DataFrame, tmp_path: Path, capsys) -> None:
    """Dyads out of order send the file the general way: the JSON is identical."""
    sorted_csv = _csv(frame, tmp_path / "sorted.csv")
    reverse = frame.sort_values("dyad", ascending=False, kind="stable")  # last dyad first
    shuffled = _csv(reverse, tmp_path / "shuffled.csv")
    assert read_arrays(sorted_csv, role="role", **COLS) is not None
    assert read_arrays(shuffled, role="role", **COLS) is None
    for model in ("couple-var", "ic", "clo"):
        outputs = []
        for path in (sorted_csv, shuffled):
            assert cli.main(["fit", model, str(path), "--role", "role", "--json"]) == 0
            outputs.append(capsys.readouterr().out)
        assert outputs[0] == outputs[1], model
        assert json.loads(outputs[0])["n_dyads"] == 5


VARIANTS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "plain": lambda df: df,
    "a short couple": lambda df: df[~((df.dyad == 2) & (df.time > 20))],  # a reason for one
    "text ids": lambda df: df.assign(dyad="c" + df.dyad.astype(str)),  # the general path
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("model", ["couple-var", "ic", "clo"])
def test_out_file_is_the_same_as_pandas_wrote_it(
    model: str, variant: str, frame: pd.DataFrame, tmp_path: Path, capsys
) -> None:
    """Parquet written from the arrays holds what pandas wrote before: data, types, schema note."""
    path = _csv(VARIANTS[variant](frame), tmp_path / "diary.csv")
    out = tmp_path / "est.parquet"
    assert cli.main(["fit", model, str(path), "--role", "role", "--out", str(out)]) == 0
    capsys.readouterr()
    general = DyadicData.from_path(
        path, role="role", time="time", dyad="dyad", person="person", variables=["y"]
    )
    from counterpoint.science.partitioned import FitSpec, fit_result, result_table

    expected = result_table(fit_result(general, FitSpec(model, "y", role="role")))
    by_pandas = tmp_path / "by_pandas.parquet"
    expected.to_parquet(by_pandas, index=False)
    pd.testing.assert_frame_equal(
        pd.read_parquet(out), pd.read_parquet(by_pandas), check_exact=True
    )
    import pyarrow.parquet as pq

    assert pq.read_table(out).equals(pq.read_table(by_pandas), check_metadata=True)
    if variant == "a short couple" and model == "couple-var":
        assert expected["reason"].notna().sum() == 1


def test_a_per_dyad_fit_does_not_import_pandas(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = _csv(frame, tmp_path / "diary.csv")
    code = (
        "import sys\n"
        "from counterpoint.science.cli import main\n"
        f"assert main(['fit', 'couple-var', {str(path)!r}, '--role', 'role', '--json']) == 0\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["model"] == "couple-var"


# -- bad files: the quick path steps aside, the general path refuses them as before ----------------
def _cell(row: int, column: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(df: pd.DataFrame) -> pd.DataFrame:
        out = df.astype({column: object})
        out.loc[row, column] = value
        return out

    return change


BAD: dict[str, tuple[Callable[[pd.DataFrame], pd.DataFrame], tuple[str, ...]]] = {
    "inf": (_cell(10, "y", "inf"), ("line 12, column 'y'", "inf is not a finite number")),
    "-inf": (_cell(10, "y", "-inf"), ("line 12, column 'y'", "-inf is not a finite number")),
    "huge": (_cell(20, "y", "1e200"), ("line 22, column 'y'", "too large to model")),
    "text value": (_cell(5, "y", "high"), ("line 7, column 'y'", "'high' is not a number")),
    "all missing": (lambda df: df.assign(y=np.nan), ("column 'y' has no values",)),
    "missing id": (_cell(4, "person", ""), ("line 6, column 'person'", "missing id value")),
    "fractional time": (_cell(8, "time", "2.5"), ("line 10, column 'time'", "not an integer")),
    "time going back": (_cell(9, "time", "0"), ("line 11, column 'time'", "time must increase")),
    "three people": (_cell(0, "person", "77"), ("column 'person'", "has 3 people")),
    "one person": (
        lambda df: df[~((df.dyad == 2) & (df.role == 1))],
        ("column 'person'", "dyad 2 has 1 person"),
    ),
    "two roles for one person": (_cell(3, "role", "1"), ("column 'role'", "more than one role")),
    "same role for both": (
        lambda df: df.assign(role=np.where(df.dyad == 4, 0, df.role)),
        ("column 'role'", "both people in dyad 4 have role 0"),
    ),
    "three role values": (
        lambda df: df.assign(role=np.where(df.dyad == 5, df.role + 1, df.role)),
        ("column 'role'", "exactly two values"),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("model", ["couple-var", "ic", "clo"])
def test_bad_input_is_refused_as_before(
    case: str, model: str, frame: pd.DataFrame, tmp_path: Path, capsys
) -> None:
    change, fragments = BAD[case]
    path = _csv(change(frame.reset_index(drop=True)), tmp_path / "bad.csv")
    assert read_arrays(path, role="role", **COLS) is None
    code, out, err = fit(capsys, model, str(path), "--role", "role")
    assert_bad_input(code, out, err, "bad.csv", *fragments)
    with pytest.raises(Exception) as general:  # the general path's own message, word for word
        DyadicData.from_path(
            path, role="role", time="time", dyad="dyad", person="person", variables=["y"]
        )
    assert str(general.value) in err


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.csv", b"", "is empty"),
        ("header.csv", b"dyad,person,role,time,y\n", "has a header but no data rows"),
        ("ragged.csv", b"dyad,person,role,time,y\n1,1,0,1,2.0\n1,2,1\n", "line 3"),
        (
            "cut.csv.gz",
            gzip.compress(b"dyad,person,role,time,y\n" * 500, mtime=0)[:40],
            "not a readable",
        ),
        ("columns.csv", b"couple,person,role,time,y\n1,1,0,1,2.0\n", "'dyad' not found"),
    ],
    ids=["empty", "header only", "ragged", "truncated gzip", "missing column"],
)
def test_unreadable_files_are_refused_as_before(
    name: str, content: bytes, fragment: str, tmp_path: Path, capsys
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert read_arrays(path, role="role", **COLS) is None
    code = cli.main(["fit", "clo", str(path), "--role", "role"])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert name in err and fragment in err, err


def test_var_naming_an_id_column_is_refused(frame: pd.DataFrame, tmp_path: Path, capsys) -> None:
    path = _csv(frame, tmp_path / "diary.csv")
    assert read_arrays(path, role="role", **{**COLS, "var": "time"}) is None
    code = cli.main(["fit", "couple-var", str(path), "--role", "role", "--var", "time"])
    _, err = capsys.readouterr()
    assert code == 2 and "column 'time' is an id column" in err, err


def test_days_go_the_general_way(tmp_path: Path, capsys) -> None:
    """With --day the general path lays the days out (a gap between them): same as before."""
    path = tmp_path / "beeps.csv"
    simulate_var(4, n_days=5, beeps_per_day=4, seed=1).to_csv(path, index=False)
    assert cli.main(["fit", "ic", str(path), "--role", "role", "--day", "day", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["n_dyads"] == 4
