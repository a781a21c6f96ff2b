"""Partitioned Parquet and the Dask backend: no dyad spans two parts, and Dask gives the in-memory numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from counterpoint.science import cli
from counterpoint.science.data import DyadicData
from counterpoint.science.errors import DyadDataError
from counterpoint.science.files import part_files
from counterpoint.science.partitioned import (
    FitSpec,
    fit_dask,
    fit_result,
    prepare,
    result_table,
    simulate_partitioned,
)
from counterpoint.science.simulate import simulate


def _dyads_per_part(directory: Path, dyad: str = "dyad") -> list[set]:
    return [
        set(pq.read_table(f, columns=[dyad]).column(0).to_pylist()) for f in part_files(directory)
    ]


def test_prepare_keeps_every_dyad_in_one_part(tmp_path: Path) -> None:
    frame = simulate("ic", 60, 30, seed=4).sample(frac=1.0, random_state=1)  # any row order
    frame = frame.rename(columns={"dyad": "couple"})
    source = tmp_path / "shuffled.csv"
    frame.to_csv(source, index=False)
    rows, parts = prepare(source, tmp_path / "prep.parquet", dyad="couple", n_parts=5)
    assert (rows, parts) == (len(frame), 5)
    seen = _dyads_per_part(tmp_path / "prep.parquet", "couple")
    assert sum(len(s) for s in seen) == 60  # disjoint, and all there
    assert set().union(*seen) == set(frame["couple"])
    back = pd.read_parquet(tmp_path / "prep.parquet")
    assert len(back) == len(frame)


def test_simulate_partitioned_numbers_dyads_across_parts(tmp_path: Path) -> None:
    rows, parts = simulate_partitioned("var", 25, 12, 7, tmp_path / "s.parquet", partition_dyads=10)
    assert (rows, parts) == (25 * 2 * 12, 3)
    seen = _dyads_per_part(tmp_path / "s.parquet")
    assert [len(s) for s in seen] == [10, 10, 5]
    assert set().union(*seen) == set(range(1, 26))
    people = pd.read_parquet(tmp_path / "s.parquet").groupby("person")["dyad"].nunique()
    assert len(people) == 50 and (people == 1).all()


@pytest.mark.parametrize(
    ("model", "options"),
    [("couple-var", {}), ("ic", {"lag": 1}), ("clo", {"taus": (4,), "embeds": (3, 4)})],
)
def test_dask_local_cluster_matches_in_memory(model: str, options: dict, tmp_path: Path) -> None:
    """A LocalCluster (threads, one worker: quick in CI) gives exactly the in-memory table."""
    source = tmp_path / "data.parquet"
    simulate_partitioned(
        "couple-var" if model == "couple-var" else model,
        30,
        60,
        3,
        source,
        partition_dyads=8,
    )
    spec = FitSpec(model, "y", role="role", options=options)
    out = tmp_path / "out.parquet"
    dyads, parts = fit_dask(source, out, spec, workers=1, processes=False)
    assert (dyads, parts) == (30, 4)
    assert len(part_files(out)) == 4
    on_dask = pd.read_parquet(out).sort_values("dyad").reset_index(drop=True)
    whole = spec.data(pd.read_parquet(source))
    in_memory = result_table(fit_result(whole, spec))
    pd.testing.assert_frame_equal(on_dask, in_memory, check_exact=True, check_dtype=False)


def test_dask_reports_a_bad_partition_by_file_and_row(tmp_path: Path, capsys) -> None:
    source = tmp_path / "data.parquet"
    simulate_partitioned("couple-var", 12, 40, 1, source, partition_dyads=6)
    second = part_files(source)[1]
    frame = pd.read_parquet(second)
    frame.loc[5, "y"] = float("inf")
    frame.to_parquet(second, index=False)
    spec = FitSpec("couple-var", "y", role="role")
    with pytest.raises(Exception, match=r"part-00001.parquet: row 5, column 'y'"):
        fit_dask(source, tmp_path / "out.parquet", spec, workers=1, processes=False)


def test_dask_names_a_missing_column_as_the_other_fits_do(tmp_path: Path, capsys) -> None:
    """--dask used to read its parts with pyarrow alone and print pyarrow's "No match for
    FieldRef.Name(mood)" with its schema; it now reads them as every other fit does."""
    source = tmp_path / "d.parquet"
    simulate_partitioned("couple-var", 6, 40, 1, source, partition_dyads=3)
    args = ["fit", "couple-var", str(source), "--role", "role", "--var", "mood"]
    assert cli.main([*args, "--dask", "--out", str(tmp_path / "o.parquet")]) == 2
    on_dask = capsys.readouterr().err
    assert len(on_dask.strip().splitlines()) == 1 and "FieldRef" not in on_dask
    assert "part-00000.parquet: column 'mood' not found; the data have: dyad" in on_dask
    assert cli.main([*args, "--out", str(tmp_path / "o.csv")]) == 2  # the same words without Dask
    in_memory = capsys.readouterr().err
    assert "column 'mood' not found; the data have: dyad" in in_memory


def test_dask_reports_an_unreadable_part_by_name(tmp_path: Path) -> None:
    source = tmp_path / "data.parquet"
    simulate_partitioned("couple-var", 12, 40, 1, source, partition_dyads=6)
    part_files(source)[1].write_bytes(b"not parquet at all")
    spec = FitSpec("couple-var", "y", role="role")
    with pytest.raises(DyadDataError, match=r"part-00001.parquet is not a readable Parquet file"):
        fit_dask(source, tmp_path / "out.parquet", spec, workers=1, processes=False)


def test_require_columns_names_every_missing_column() -> None:
    frame = simulate("apim", 2, 1, seed=1)
    DyadicData.require_columns(frame, ["dyad", "y"])
    with pytest.raises(
        DyadDataError, match=r"columns 'mood', 'day' not found; the data have: dyad"
    ):
        DyadicData.require_columns(frame, ["dyad", "mood", "day"])


@pytest.mark.parametrize("pooled", [["var"], ["apim", "--outcome", "y", "--x", "y"]])
def test_cli_refuses_dask_for_pooled_models_and_needs_out(
    pooled: list[str], tmp_path: Path, capsys
) -> None:
    source = tmp_path / "d.parquet"
    simulate_partitioned("var", 4, 10, 1, source, partition_dyads=2)
    code = cli.main(
        ["fit", pooled[0], str(source), *pooled[1:], "--dask", "--out", str(tmp_path / "o")]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "pools all dyads" in err and "docs/science/scale.md" in err
    assert len(err.strip().splitlines()) == 1
    assert cli.main(["fit", "couple-var", str(source), "--dask"]) == 2
    assert "--out DIR.parquet" in capsys.readouterr().err


def test_cli_in_memory_out_reads_a_partitioned_directory(tmp_path: Path, capsys) -> None:
    source = tmp_path / "d.parquet"
    simulate_partitioned("couple-var", 9, 40, 2, source, partition_dyads=4)
    out = tmp_path / "est.parquet"
    code = cli.main(["fit", "couple-var", str(source), "--role", "role", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    table = pd.read_parquet(out)
    assert table["dyad"].tolist() == list(range(1, 10))
    assert {"actor@0", "partner@1", "reason"} <= set(table.columns)


@pytest.mark.parametrize("model", ["couple-var", "ic"])
def test_dask_leaves_a_part_constant_in_itself_to_its_couples(model: str, tmp_path: Path) -> None:
    """A variable constant in one part but not in the file is not refused for that part: its
    couples get the reasons the in-memory fit gives them, and the table is the in-memory one."""
    source = tmp_path / "data.parquet"
    simulate_partitioned(model, 12, 40, 2, source, partition_dyads=6)
    first = part_files(source)[0]
    frame = pd.read_parquet(first)
    frame["y"] = 3.0
    frame.to_parquet(first, index=False)
    spec = FitSpec(model, "y", role="role", options={"lag": 1} if model == "ic" else {})
    out = tmp_path / "out.parquet"
    assert fit_dask(source, out, spec, workers=1, processes=False) == (12, 2)
    on_dask = pd.read_parquet(out).sort_values("dyad").reset_index(drop=True)
    in_memory = result_table(fit_result(spec.data(pd.read_parquet(source)), spec))
    pd.testing.assert_frame_equal(on_dask, in_memory, check_exact=True, check_dtype=False)
    constant = set(pd.read_parquet(first)["dyad"])
    reasons = on_dask.set_index("dyad")["reason"]
    assert reasons[list(constant)].notna().all() and reasons.drop(list(constant)).isna().all()
    with pytest.raises(DyadDataError, match="y is 3 for every couple"):  # the part on its own
        fit_result(spec.data(pd.read_parquet(first)), spec)
