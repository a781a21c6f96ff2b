"""Reading data files and writing result tables: CSV (pyarrow's multi-threaded reader) and Parquet.

Every failure to read becomes a :class:`DyadDataError` naming the file (and the line, when the
reader knows it), so the command line can end with one clear line and exit code 2. A directory
(``DIR.parquet``, as ``counterpoint prepare`` writes it) reads as the union of its part files.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counterpoint.science.errors import DyadDataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MISSING_MARKERS",
    "PARQUET_SUFFIXES",
    "is_parquet",
    "part_files",
    "read_frame",
    "write_table",
    "written_whole",
]

PARQUET_SUFFIXES = {".parquet", ".pq"}

MISSING_MARKERS = (
    *("", "NA", "N/A", "n/a", "#N/A", "#N/A N/A", "#NA", "NULL", "null"),
    *("NaN", "nan", "-NaN", "-nan", "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN"),
)
"""CSV cells read as missing values (pyarrow's defaults, spelled out so the docs can list them).

Any other text in a numeric column, such as ``abc`` or ``n.a.``, is refused with its line."""


def is_parquet(path: str | Path) -> bool:
    """Whether ``path`` names Parquet (by extension; a directory counts when it holds part files)."""
    p = Path(path)
    return p.suffix.lower() in PARQUET_SUFFIXES or (p.is_dir() and bool(part_files(p)))


def part_files(directory: str | Path) -> list[Path]:
    """The Parquet part files of a partitioned dataset, in name order (one partition each)."""
    return sorted(
        f for f in Path(directory).iterdir() if f.suffix.lower() in PARQUET_SUFFIXES and f.is_file()
    )


def read_frame(
    path: str | Path, columns: list[str] | None = None
) -> tuple[pd.DataFrame, int | None]:
    """``(frame, first_line)``: the file's rows, and the file line of the first row (CSV) or None.

    CSV may be compressed (``.gz``, ``.bz2``, ``.zst`` by extension). ``columns`` limits a Parquet
    read to those columns (CSV files are read whole, so a missing column is reported by name).
    """
    p = Path(path)
    if p.is_dir():
        parts = part_files(p)
        if not parts:
            raise DyadDataError(f"{p}: a directory without Parquet part files")
        return _read_parquet(parts, columns, p), None
    if not p.is_file():
        raise DyadDataError(f"no such file: {p}")
    if p.suffix.lower() in PARQUET_SUFFIXES:
        return _read_parquet([p], columns, p), None
    _refuse_other_formats(p)
    return _read_csv(p), 2


# the first bytes of files people save from spreadsheets and statistics programs, which the CSV
# reader would otherwise report as empty or ragged
_OTHER_FORMATS = {
    b"PK\x03\x04": "a zip archive (an Excel .xlsx or LibreOffice .ods workbook?)",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook",
    b"$FL2": "an SPSS .sav file",
    b"RDX": "an R data file",
}


def _refuse_other_formats(path: Path) -> None:
    """Name a spreadsheet or statistics-program file given where CSV is expected."""
    try:
        with path.open("rb") as f:
            start = f.read(8)
    except OSError:
        return  # the reader reports it
    for magic, what in _OTHER_FORMATS.items():
        if start.startswith(magic):
            raise DyadDataError(
                f"{path} is {what}, not CSV or Parquet: export the data as CSV (UTF-8) first"
            )


def _read_parquet(files: list[Path], columns: list[str] | None, name: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(files[0])
        wanted = None if columns is None else [c for c in columns if c in schema.names]
        tables = [pq.read_table(f, columns=wanted) for f in files]
        table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise DyadDataError(f"{name} is not a readable Parquet file: {_first_line(exc)}") from None
    return table.to_pandas()


def _read_csv(path: Path) -> pd.DataFrame:
    import pyarrow as pa
    from pyarrow import csv

    bad_rows: list[Any] = []

    def invalid_row(row: Any) -> str:
        bad_rows.append(row)
        return "error"

    # pyarrow decodes a ragged row's text for the handler above; when that text is not UTF-8 the
    # decoding fails inside pyarrow, which prints a traceback ("Exception ignored in …") and goes
    # on: catch it here and say what is wrong instead
    undecodable: list[Any] = []

    def unraisable(info: Any) -> None:
        if isinstance(info.exc_value, UnicodeDecodeError):
            undecodable.append(info.exc_value)
        else:
            previous_hook(info)

    previous_hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    try:
        # One reading thread: on two cores the threaded reader spent 2.3x the CPU time for the same
        # file (0.85 s against 0.36 s for 55 MB) and was no faster in wall time on a busy machine.
        table = csv.read_csv(
            path,
            read_options=csv.ReadOptions(use_threads=False),
            parse_options=csv.ParseOptions(invalid_row_handler=invalid_row),
            # an empty cell is missing in a text column too: a word among numbers is then the
            # first value named, not the empty cells around it
            convert_options=csv.ConvertOptions(
                strings_can_be_null=True, null_values=list(MISSING_MARKERS)
            ),
        )
    except pa.ArrowInvalid as exc:
        text = _first_line(exc)
        if undecodable:
            raise DyadDataError(
                f"{path} is not UTF-8 text (or not a CSV file at all): a row with the byte "
                f"0x{undecodable[0].object[undecodable[0].start]:02x} does not split into the "
                "header's columns; save the file as UTF-8 CSV"
            ) from None
        if "Empty CSV file" in text:
            raise DyadDataError(f"{path} is empty") from None
        if bad_rows:
            row = bad_rows[0]
            number = row.number if row.number is not None else _ragged_line(path)
            where = f"line {number}: " if number is not None else ""
            raise DyadDataError(
                f"{path} is not a readable CSV file: {where}expected {row.expected_columns} "
                f"columns, got {row.actual_columns}"
            ) from None
        raise DyadDataError(f"{path} is not a readable CSV file: {text}") from None
    except (OSError, EOFError, UnicodeDecodeError, pa.ArrowException) as exc:
        raise DyadDataError(f"{path} is not a readable CSV file: {_first_line(exc)}") from None
    finally:
        sys.unraisablehook = previous_hook
    if table.num_rows == 0:
        raise DyadDataError(f"{path} has a header but no data rows")
    _refuse_non_utf8(path, table)
    return table.to_pandas()


def _refuse_non_utf8(path: Path, table: Any) -> None:
    """Name the first cell that is not UTF-8 text (pyarrow reads such a column as raw bytes)."""
    import pyarrow as pa

    try:
        names = table.column_names
    except UnicodeDecodeError as exc:
        raise DyadDataError(
            f"{path} is not UTF-8 text: line 1 (the header) has the byte "
            f"0x{exc.object[exc.start]:02x}; save the file as UTF-8 (e.g. from a latin-1 or "
            "Windows export)"
        ) from None
    for i, name in enumerate(names):
        column = table.column(i)
        if not (pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type)):
            continue
        for row, value in enumerate(column.to_pylist()):
            if value is None:
                continue
            try:
                value.decode("utf-8")
            except UnicodeDecodeError as exc:
                byte = value[exc.start]
                raise DyadDataError(
                    f"{path} is not UTF-8 text: line {row + 2}, column {name!r} has the byte "
                    f"0x{byte:02x} ({value!r}); save the file as UTF-8 (e.g. from a latin-1 or "
                    "Windows export)"
                ) from None


def _ragged_line(path: Path) -> int | None:
    """The file line of the first row whose field count differs from the header's (error path only)."""
    import csv as pycsv
    import io

    import pyarrow as pa

    try:
        with pa.input_stream(str(path), compression="detect") as raw:
            reader = pycsv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            width = len(next(reader))
            for row in reader:
                if len(row) != width:
                    return reader.line_num
    except Exception:  # the message without a line number is still clear
        return None
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def written_whole(path: str | Path) -> Iterator[Path]:
    """A file written whole or not at all: write to the path this yields (a hidden sibling with
    the same last suffix, so ``.gz`` still compresses); on success it is renamed to ``path`` in
    one step, on any failure or interruption (Ctrl-C) it is removed. A run killed outright can
    leave only the hidden ``.NAME.partial-PID`` file, never a cut-off file under ``path``'s name
    that a later fit would read as if complete."""
    final = Path(path)
    partial = final.with_name(f".{final.stem}.partial-{os.getpid()}{final.suffix}")
    try:
        yield partial
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a result table with its index as a column: Parquet by extension, else CSV (whole or
    not at all: ``written_whole``)."""
    p = Path(path)
    out = frame.reset_index()
    with written_whole(p) as partial:
        if p.suffix.lower() in PARQUET_SUFFIXES:
            out.to_parquet(partial, index=False)
        else:
            out.to_csv(partial, index=False)
