"""Partitioned data and the Dask backend for the per-dyad models (couple VAR, inertia–coordination, CLO).

A partitioned dataset is a directory (by convention ``NAME.parquet``) of Parquet part files in which
no dyad spans two files; ``counterpoint prepare`` and ``counterpoint simulate … -o DIR.parquet``
write them. Each part file is one Dask partition, and :func:`fit_dask` fits every partition with the
model's batched kernel (``map_partitions``: one task per partition, never one per dyad), each worker
writing its own result part, so neither the workers nor this process ever hold more than a few
partitions. A per-dyad model's estimates for a dyad depend only on that dyad's rows, so the result
is the same as fitting everything in memory (:func:`result_table` is the one code path for both).

Dask is imported only when a Dask fit runs.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from counterpoint.science.errors import DyadDataError
from counterpoint.science.files import PARQUET_SUFFIXES, part_files, write_table

if TYPE_CHECKING:  # imported where used: `counterpoint fit` reaches fit_result without pandas
    import pandas as pd

    from counterpoint.science.arrays import DyadArrays
    from counterpoint.science.data import DyadicData

__all__ = [
    "PER_DYAD_MODELS",
    "FitSpec",
    "fit_dask",
    "fit_result",
    "prepare",
    "result_table",
    "simulate_partitioned",
    "write_per_dyad",
]

PER_DYAD_MODELS = ("couple-var", "ic", "clo")
PART_NAME = "part-{:05d}.parquet"
DEFAULT_PARTITION_ROWS = 1_000_000


@dataclass(frozen=True)
class FitSpec:
    """What to fit: the model, its variable, the column names and the model's options."""

    model: str
    var: str
    dyad: str = "dyad"
    person: str = "person"
    role: str | None = None
    time: str | None = "time"
    day: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """The data columns the fit reads."""
        cols = [self.dyad, self.person, self.role, self.time, self.day, self.var]
        return list(dict.fromkeys(c for c in cols if c is not None))

    def data(self, frame: pd.DataFrame, first_line: int | None = None) -> DyadicData:
        from counterpoint.science.data import DyadicData

        return DyadicData(
            frame,
            dyad=self.dyad,
            person=self.person,
            role=self.role,
            time=self.time,
            day=self.day,
            variables=[self.var],
            _first_line=first_line,
        )


def fit_result(data: DyadicData | DyadArrays, spec: FitSpec, *, whole_file: bool = True) -> Any:
    """Fit ``spec.model`` (a per-dyad model) to ``data``; the model's results object. With
    ``whole_file=False`` ``data`` is one part of a file, and a variable constant in it is not
    refused (another part may vary)."""
    opts = spec.options
    if spec.model == "couple-var":
        from counterpoint.science.couple_var import CoupleVAR

        if opts.get("min_occasions") is not None:
            return CoupleVAR(data, spec.var, min_occasions=opts["min_occasions"]).fit(
                whole_file=whole_file
            )
        return CoupleVAR(data, spec.var).fit(whole_file=whole_file)
    if spec.model == "ic":
        from counterpoint.science.inertia_coordination import InertiaCoordination

        return InertiaCoordination(data, spec.var, lag=opts.get("lag", 1)).fit(
            whole_file=whole_file
        )
    if spec.model == "clo":
        from counterpoint.science.oscillator import CoupledOscillator

        return CoupledOscillator(
            data,
            spec.var,
            opts.get("taus", (4, 5)),
            opts.get("embeds", (3, 4, 5)),
            opts.get("delta", 1.0),
        ).fit(whole_file=whole_file)
    raise ValueError(f"{spec.model} is not a per-dyad model ({', '.join(PER_DYAD_MODELS)})")


def result_table(result: Any) -> pd.DataFrame:
    """A per-dyad result as a flat table: ``dyad`` column first, then every estimate column."""
    table = result.to_frame()
    table.index = table.index.rename("dyad")
    out = table.reset_index()
    if "reason" in out.columns:
        out["reason"] = out["reason"].astype(object).where(out["reason"].notna(), None)
    return out


def write_per_dyad(result: Any, path: str | Path) -> None:
    """Write a per-dyad result's table, a ``dyad`` column first: Parquet by extension, else CSV.

    Parquet is written straight from the result's arrays (:attr:`PerDyadResults.columns`; NaN as
    null, as pandas writes it) when every column is numbers or text; a table with other columns
    (nullable integers, say), and CSV, go through pandas (``result_table``). Read back with pandas,
    both give the same frame.
    """
    import numpy as np

    p = Path(path)
    arrays = None
    ids = result.dyad_ids
    if (
        p.suffix.lower() in PARQUET_SUFFIXES
        and "dyad" not in result.columns
        and isinstance(ids, np.ndarray)
        and ids.dtype == np.int64
    ):
        arrays = _arrow_columns({"dyad": ids, **result.columns})
    if arrays is None:
        write_table(result_table(result).set_index("dyad"), p)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = list(arrays)
    table = pa.Table.from_arrays([arrays[n][0] for n in names], names=names)
    # dictionary encoding only for text (reasons repeat): tried on every column of distinct
    # estimates it took three quarters of the writing time and made the file larger
    text = [n for n in names if arrays[n][1][0] == "unicode"]
    from counterpoint.science.files import written_whole

    with written_whole(p) as partial:
        pq.write_table(
            table.replace_schema_metadata(_pandas_metadata(arrays)), partial, use_dictionary=text
        )


def _pandas_metadata(arrays: dict[str, Any]) -> dict[bytes, bytes]:
    """The schema note pandas leaves in a Parquet file (so it reads text back as objects)."""
    import json
    from importlib.metadata import version

    import pyarrow as pa

    columns = [
        {
            "name": n,
            "field_name": n,
            "pandas_type": kinds[0],
            "numpy_type": kinds[1],
            "metadata": None,
        }
        for n, (_, kinds) in arrays.items()
    ]
    note = {
        "index_columns": [],
        "column_indexes": [],
        "columns": columns,
        "attributes": {},
        "creator": {"library": "pyarrow", "version": pa.__version__},
        "pandas_version": version("pandas"),
    }
    return {b"pandas": json.dumps(note).encode()}


def _arrow_columns(columns: dict[str, Any]) -> dict[str, tuple[Any, tuple[str, str]]] | None:
    """Each column as a pyarrow array built from its buffers, with the pandas and numpy type names
    pandas would record for it; None if a column is of another kind.

    (``pyarrow.array`` would import pandas to look at the values; these kinds need no guessing.)
    """
    import numpy as np
    import pyarrow as pa

    out = {}
    for name, values in columns.items():
        if isinstance(values, np.ma.MaskedArray):
            return None
        array = np.ascontiguousarray(values)
        n = len(array)
        if array.dtype == np.float64:
            missing = np.isnan(array)
            out[name] = (
                pa.Array.from_buffers(
                    pa.float64(), n, [_validity(~missing), pa.py_buffer(array)], int(missing.sum())
                ),
                ("float64", "float64"),
            )
        elif array.dtype == np.int64:
            out[name] = (
                pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(array)], 0),
                ("int64", "int64"),
            )
        elif array.dtype == object and all(v is None or isinstance(v, str) for v in array):
            present = np.array([v is not None for v in array], dtype=bool)
            if not present.any():
                out[name] = (pa.nulls(n), ("empty", "object"))  # as pandas writes only None
                continue
            encoded = [v.encode() if v is not None else b"" for v in array]
            offsets = np.zeros(n + 1, dtype=np.int64)
            np.cumsum([len(b) for b in encoded], out=offsets[1:])
            if offsets[-1] >= 2**31:
                return None
            text = pa.Array.from_buffers(
                pa.string(),
                n,
                [
                    _validity(present),
                    pa.py_buffer(offsets.astype(np.int32)),
                    pa.py_buffer(b"".join(encoded)),
                ],
                int(n - present.sum()),
            )
            out[name] = (text, ("unicode", "object"))
        else:
            return None
    return out


def _validity(present: Any) -> Any:
    """Arrow's validity bitmap (None when nothing is missing)."""
    import numpy as np
    import pyarrow as pa

    if present.all():
        return None
    return pa.py_buffer(np.packbits(present, bitorder="little"))


# -- prepare ----------------------------------------------------------------------------------------
def _bucket(values: pd.Series, n_parts: int) -> np.ndarray:
    """Partition number of each row from its dyad id: stable across batches and runs."""
    import pandas as pd

    hashed = pd.util.hash_array(values.to_numpy(), categorize=False)
    return (hashed % np.uint64(n_parts)).astype(np.int64)


def _estimate_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    if path.suffix.lower() in PARQUET_SUFFIXES:
        return int(pq.ParquetFile(path).metadata.num_rows)
    size = path.stat().st_size
    compressed = path.suffix.lower() in {".gz", ".bz2", ".zst", ".xz"}
    return int(size * (4 if compressed else 1) / 30)  # about 30 bytes a CSV row of a few numbers


def _batches(path: Path) -> Iterator[pd.DataFrame]:
    """The file in batches of rows (bounded memory), as DataFrames."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyarrow import csv

    try:
        if path.suffix.lower() in PARQUET_SUFFIXES:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=500_000):
                yield batch.to_pandas()
            return
        reader = csv.open_csv(path, read_options=csv.ReadOptions(block_size=32 << 20))
        for batch in reader:
            yield batch.to_pandas()
    except (pa.ArrowException, OSError, EOFError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DyadDataError(f"{path} is not readable: {first}") from None


def prepare(
    source: str | Path,
    out_dir: str | Path,
    *,
    dyad: str = "dyad",
    n_parts: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[int, int]:
    """Write ``source`` (CSV or Parquet) as a partitioned Parquet directory; ``(rows, parts)``.

    Rows go to part ``hash(dyad id) mod n_parts``, so every dyad lies in exactly one part whatever
    the row order of the input; the file is streamed in batches and each part buffered only up to a
    bounded number of rows, so memory stays bounded. ``n_parts`` defaults to about one part per
    million rows.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    src, out = Path(source), Path(out_dir)
    if not src.is_file():
        raise DyadDataError(f"no such file: {src}")
    _fresh_directory(out)
    if n_parts is None:
        n_parts = max(1, math.ceil(_estimate_rows(src) / DEFAULT_PARTITION_ROWS))
    flush_rows = max(20_000, DEFAULT_PARTITION_ROWS // 8)
    writers: dict[int, Any] = {}
    buffers: dict[int, list[pd.DataFrame]] = {}
    buffered: dict[int, int] = {}
    schema: Any = None
    total = 0

    def flush(k: int) -> None:
        import pandas as pd

        frame = pd.concat(buffers.pop(k), ignore_index=True)
        buffered.pop(k)
        table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
        if k not in writers:
            writers[k] = pq.ParquetWriter(out / PART_NAME.format(k), schema)
        writers[k].write_table(table)

    try:
        for batch in _batches(src):
            if dyad not in batch.columns:
                have = ", ".join(map(str, batch.columns[:20]))
                raise DyadDataError(f"{src}: column {dyad!r} not found; the data have: {have}")
            if schema is None:
                schema = pa.Schema.from_pandas(batch, preserve_index=False)
            for k, part in batch.groupby(_bucket(batch[dyad], n_parts), sort=False):
                key = int(k)
                buffers.setdefault(key, []).append(part)
                buffered[key] = buffered.get(key, 0) + len(part)
                if buffered[key] >= flush_rows:
                    flush(key)
            total += len(batch)
            if progress is not None:
                progress(f"read {total:,} rows")
        for k in list(buffers):
            flush(k)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DyadDataError(f"{src}: a column changes type part-way through ({exc})") from None
    finally:
        for w in writers.values():
            w.close()
    if total == 0:
        raise DyadDataError(f"{src} has no data rows")
    return total, len(writers)


def _fresh_directory(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DyadDataError(f"{out} already exists; choose a new directory name")
    out.mkdir(parents=True, exist_ok=True)


# -- simulate ---------------------------------------------------------------------------------------
def simulate_partitioned(
    model: str,
    n_dyads: int,
    n_occasions: int,
    seed: int | None,
    out_dir: str | Path,
    *,
    partition_dyads: int = 10_000,
    progress: Callable[[str], None] | None = None,
    **params: Any,
) -> tuple[int, int]:
    """Simulate ``n_dyads`` dyads in blocks of ``partition_dyads``, one part file per block.

    Block ``i`` is drawn with its own seed (from ``numpy.random.SeedSequence(seed).spawn``), so the
    data are reproducible for a given seed and block size, but differ from the unpartitioned
    ``simulate(…)`` with the same seed. Dyad ids run 1…n_dyads across the blocks. ``(rows, parts)``.
    """
    from counterpoint.science.simulate import simulate

    out = Path(out_dir)
    _fresh_directory(out)
    n_parts = math.ceil(n_dyads / partition_dyads)
    children = np.random.SeedSequence(seed).spawn(n_parts)
    rows = 0
    for i, child in enumerate(children):
        start = i * partition_dyads
        size = min(partition_dyads, n_dyads - start)
        frame = simulate(model, size, n_occasions, int(child.generate_state(1)[0]), **params)
        frame["dyad"] = frame["dyad"] + start
        frame["person"] = frame["person"] + 2 * start
        frame.to_parquet(out / PART_NAME.format(i), index=False)
        rows += len(frame)
        if progress is not None:
            progress(f"wrote part {i + 1}/{n_parts} ({rows:,} rows)")
    return rows, n_parts


# -- Dask -------------------------------------------------------------------------------------------
def _fit_partition(
    frame: pd.DataFrame, spec: FitSpec, files: list[str], partition_info: Any = None
) -> pd.DataFrame:
    """One partition (one part file) fitted with the model's batched kernel."""
    name = files[partition_info["number"]] if partition_info else "a partition"
    try:
        data = spec.data(frame.reset_index(drop=True))
        return result_table(fit_result(data, spec, whole_file=False))
    except DyadDataError as exc:
        raise DyadDataError(f"{Path(name).name}: {exc}") from None


def _write_part(table: pd.DataFrame, path: str) -> int:
    table.to_parquet(path, index=False)
    return len(table)


def _read_part(path: str, columns: list[str]) -> pd.DataFrame:
    """One part file's ``columns``, through the reader of every other fit (its formats, checks and
    messages); a missing column or an unreadable file is a DyadDataError naming the part."""
    from counterpoint.science.data import DyadicData
    from counterpoint.science.files import read_frame

    try:
        frame = read_frame(path, columns)[0]
        DyadicData.require_columns(frame, columns)
    except DyadDataError as exc:
        name = Path(path).name
        raise DyadDataError(str(exc) if name in str(exc) else f"{name}: {exc}") from None
    return frame.loc[:, columns]


def _meta(first: Path, spec: FitSpec) -> pd.DataFrame:
    """The result table's columns and types, from the first three dyads of the first part."""
    import pandas as pd

    frame = _read_part(str(first), spec.columns)
    head = frame[frame[spec.dyad].isin(pd.unique(frame[spec.dyad])[:3])]
    try:
        return _fit_partition(head, spec, [str(first)], {"number": 0}).iloc[:0]
    except DyadDataError:
        # the first dyads alone cannot be fitted (e.g. a dyad split by a bad id): the whole part
        # will say why when it runs; its own table gives the columns
        return _fit_partition(frame, spec, [str(first)], {"number": 0}).iloc[:0]


def fit_dask(
    source: str | Path,
    out_dir: str | Path,
    spec: FitSpec,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    processes: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Fit a per-dyad model to every partition of ``source`` on Dask; ``(dyads, partitions)``.

    Without ``scheduler`` a :class:`distributed.LocalCluster` runs here (``workers`` processes of
    one thread each, by default one per core, at most two; ``processes=False`` for threads in this
    process). With ``scheduler`` (``tcp://host:8786``) the same graph runs on that cluster, whose
    workers must see ``source`` and ``out_dir`` at the same paths. Each worker writes its result
    part to ``out_dir``; ``progress(done, total)`` is called as partitions finish. A variable that
    takes one value in the whole file is refused before anything is fitted or written
    (:func:`~counterpoint.science.part_ranges.refuse_constant_parts`).
    """
    src, out = Path(source), Path(out_dir)
    if not src.is_dir():
        raise DyadDataError(
            f"{src}: --dask reads a partitioned Parquet directory; make one with "
            f"`counterpoint prepare {src} -o DIR.parquet`"
        )
    files = part_files(src)
    if not files:
        raise DyadDataError(f"{src}: a directory without Parquet part files")
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, as_completed

    from counterpoint.science.part_ranges import refuse_constant_parts

    meta = _meta(files[0], spec)
    # each part is fitted alone (whole_file=False): a variable constant in the whole file is
    # refused here, as the in-memory fit refuses it, before the output directory is made
    refuse_constant_parts(files, spec.var)
    _fresh_directory(out)
    names = [str(f) for f in files]
    empty = _read_part(names[0], spec.columns).iloc[:0]
    ddf = dd.from_map(_read_part, names, columns=spec.columns, meta=empty, enforce_metadata=False)
    fitted = ddf.map_partitions(
        _fit_partition, spec=spec, files=names, meta=meta, enforce_metadata=False
    )
    parts = fitted.to_delayed()
    writes = [
        dask.delayed(_write_part)(part, str(out / PART_NAME.format(i)))
        for i, part in enumerate(parts)
    ]
    for name in ("distributed", "bokeh", "tornado"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        n = workers or max(1, min(2, os.cpu_count() or 1))
        # worker processes talk over loopback only; the dashboard takes any free loopback port, so a
        # second cluster on the machine never makes it warn about port 8787
        network = {"host": "127.0.0.1"} if processes else {}
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=processes,
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
            **network,
        )
        client = Client(cluster)
    dyads = 0
    try:
        futures = client.compute(writes)
        for done, future in enumerate(as_completed(futures), start=1):
            dyads += int(future.result())
            if progress is not None:
                progress(done, len(futures))
    except BaseException:
        client.cancel(futures if "futures" in locals() else [])
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return dyads, len(files)
