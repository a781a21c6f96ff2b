"""The ``counterpoint`` command: fit a dyadic model to a data file, or simulate data.

``counterpoint fit MODEL DATA [options]`` prints a readable table (``--json`` for one JSON document,
``--html FILE`` for a self-contained report); ``counterpoint simulate MODEL --dyads N --occasions T
--seed S`` writes CSV. Bad input ends with exit code 2 and a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from counterpoint.science.cli_tables import TABLE_OPTION_OWNERS, seed_number
from counterpoint.science.errors import DyadDataError

if TYPE_CHECKING:  # imported when a command needs it: `--help` and `simulate` stay quick, and the
    # per-dyad fits of files that read straight into arrays never import pandas (DyadicData does)
    from counterpoint.science.arrays import DyadArrays
    from counterpoint.science.data import DyadicData

__all__ = ["build_parser", "main"]

MODELS = ("apim", "ic", "clo", "var", "couple-var")
TABLE_MODELS = ("profiles", "influence")  # fitted to a plain table, not to long dyadic data
FIT_MODELS = (*MODELS, *TABLE_MODELS)
LONGITUDINAL = ("ic", "clo", "var", "couple-var")
PER_DYAD = ("couple-var", "ic", "clo")  # the models fitted to each dyad separately
MANY_DYADS = 2000  # show progress on a non-terminal stderr from this many dyads on
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """A bad option or option combination (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (``counterpoint fit: error: … (see --help)``), no abbreviations."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _int_list(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None
    if not values:
        raise argparse.ArgumentTypeError("expected at least one integer")
    return values


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _boot_count(text: str) -> int:
    """``--boot``: a whole number of refits within apim_k's MIN_BOOT..MAX_BOOT."""
    from counterpoint.science.apim_k import MAX_BOOT, MIN_BOOT

    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not MIN_BOOT <= value <= MAX_BOOT:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of bootstrap refits from {MIN_BOOT} to {MAX_BOOT:,}, "
            f"got {text!r}"
        )
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _time_step(text: str) -> float:
    """``--delta``: a positive number whose square and inverse square stay finite (derivatives
    divide by it squared)."""
    value = _positive_float(text)
    if not (value * value > 0 and math.isfinite(1.0 / (value * value))):
        raise argparse.ArgumentTypeError(
            f"{text!r} is too small to compute with; give the time in larger units"
        )
    if not math.isfinite(value * value):
        raise argparse.ArgumentTypeError(
            f"{text!r} is too large to compute with; give the time in smaller units"
        )
    return value


def _check_output(path: str | None, option: str, directory: bool = False) -> None:
    """Refuse, before any work, an output whose directory is missing (or a file path that is a
    directory), so that a bad path costs no fit and leaves no other output half written."""
    if not path:
        return
    target = Path(path)
    parent = target.parent
    if not parent.is_dir():
        raise UsageError(f"{option} {path}: directory {parent} does not exist")
    if not directory and target.is_dir():
        raise UsageError(f"{option} {path} is a directory; give a file name")


def _param(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` with VALUE a number or comma-separated numbers (one per role)."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        numbers = [float(v) for v in raw.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{name}: expected a number or numbers, got {raw!r}"
        ) from None
    return name.strip(), numbers[0] if len(numbers) == 1 else tuple(numbers)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to generate the CLI section of docs/science.md)."""
    parser = _Parser(
        prog="counterpoint",
        description="Fit dyadic models to long-format data, or simulate data with known parameters.",
    )
    parser.add_argument("--version", action="version", version="counterpoint science engine 0.1")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add_command in COMMANDS.values():
        add_command[0](sub)
    return parser


def _add_fit(sub: Any) -> None:
    fit = sub.add_parser(
        "fit",
        help="fit a model to a CSV or Parquet file",
        description="Fit MODEL to DATA (CSV, possibly compressed; Parquet by extension; or a "
        "partitioned Parquet directory), long format: one row per person (per occasion); for "
        "profiles one row per couple (or --from MODEL), for influence one row per turn.",
    )
    fit.add_argument(
        "model", choices=FIT_MODELS, metavar="MODEL", help=f"one of {', '.join(FIT_MODELS)}"
    )
    fit.add_argument("data", metavar="DATA", help="CSV or Parquet file, or DIR.parquet")
    cols = fit.add_argument_group("columns")
    cols.add_argument("--dyad", default="dyad", help="dyad id column (default: dyad)")
    cols.add_argument("--person", default="person", help="person id column (default: person)")
    cols.add_argument(
        "--role",
        help="column distinguishing the partners; role 0/1 follow its sorted values (default: none)",
    )
    cols.add_argument(
        "--time", help="integer occasion column (default for ic/clo/var/couple-var: time)"
    )
    days = cols.add_mutually_exclusive_group()
    days.add_argument("--day", help="day column: lags never cross days (default: none)")
    days.add_argument(
        "--no-day",
        action="store_true",
        help="var: lags run on through the data's day column (needed, with --day, when the data "
        "have one)",
    )
    cols.add_argument(
        "--var", default="y", help="variable for ic, clo, var, couple-var (default: y)"
    )
    apim = fit.add_argument_group("apim")
    apim.add_argument("--outcome", help="outcome Y (required for apim)")
    apim.add_argument(
        "--x",
        action="append",
        default=[],
        metavar="X",
        help="actor and partner effect of X (repeatable)",
    )
    apim.add_argument("--actor", action="append", default=[], metavar="X", help="actor effect only")
    apim.add_argument(
        "--partner", action="append", default=[], metavar="X", help="partner effect only"
    )
    apim.add_argument(
        "--indistinguishable",
        action="store_true",
        help="one set of effects for both partners even when --role is given",
    )
    apim.add_argument("--ml", action="store_true", help="maximum likelihood instead of REML")
    apim.add_argument(
        "--k-interval",
        choices=("delta", "fieller", "bootstrap"),
        default="delta",
        help="CI of k = partner/actor: delta method, Fieller, parametric bootstrap (default: delta)",
    )
    apim.add_argument(
        "--boot",
        type=_boot_count,
        default=1000,
        help="bootstrap refits for --k-interval bootstrap, 50 to 100,000 (default: 1000; seed: "
        "--seed)",
    )
    ic = fit.add_argument_group("ic")
    ic.add_argument("--lag", type=_positive_int, default=1, help="lag in occasions (default: 1)")
    clo = fit.add_argument_group("clo")
    clo.add_argument("--taus", type=_int_list, default=(4, 5), help="τ grid (default: 4,5)")
    clo.add_argument("--embeds", type=_int_list, default=(3, 4, 5), help="E grid (default: 3,4,5)")
    clo.add_argument(
        "--delta", type=_time_step, default=1.0, help="time between occasions (default: 1)"
    )
    cvar = fit.add_argument_group("couple-var")
    cvar.add_argument(
        "--min-occasions",
        type=_positive_int,
        default=None,
        help="usable occasions a couple needs (default: the model's, 30)",
    )
    scale = fit.add_argument_group("scale (couple-var, ic, clo)")
    scale.add_argument(
        "--dask",
        action="store_true",
        help="fit each partition of a partitioned Parquet directory on Dask (needs --out)",
    )
    scale.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --dask: a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local "
        "cluster)",
    )
    scale.add_argument(
        "--workers",
        type=_positive_int,
        help="with --dask and no --scheduler: worker processes (default: one per core, at most 2)",
    )
    from counterpoint.science.cli_tables import add_table_options

    add_table_options(fit)
    out = fit.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="one JSON document on stdout")
    out.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    out.add_argument(
        "--out",
        metavar="PATH",
        help="per-dyad models: write the table of estimates (one row per dyad) to PATH (.parquet "
        "or .csv; with --dask, a directory DIR.parquet)",
    )
    out.add_argument("--quiet", action="store_true", help="no progress display on stderr")


def _add_simulate(sub: Any) -> None:
    sim = sub.add_parser(
        "simulate",
        help="simulate data with known parameters (CSV, or partitioned Parquet)",
        description="Simulate long-format data for MODEL with known parameters and write CSV, or, "
        "with -o DIR.parquet, a partitioned Parquet directory (no dyad spans two parts).",
    )
    sim.add_argument("model", choices=MODELS, metavar="MODEL", help=f"one of {', '.join(MODELS)}")
    sim.add_argument("--dyads", type=_positive_int, required=True, help="number of dyads")
    sim.add_argument(
        "--occasions",
        type=_positive_int,
        help="occasions per person (apim: 1, the default; required for the other models)",
    )
    sim.add_argument("--seed", type=seed_number, help="random seed (default: fresh randomness)")
    sim.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="CSV file, or DIR.parquet for partitioned Parquet (default: CSV on stdout)",
    )
    sim.add_argument(
        "--partition-dyads",
        type=_positive_int,
        help="with -o DIR.parquet: dyads per part file (default: 10000)",
    )
    sim.add_argument(
        "--param",
        action="append",
        type=_param,
        default=[],
        metavar="NAME=VALUE",
        help="model parameter, e.g. a=0.4 or a=0.4,0.2 (per role); repeatable",
    )


def _add_prepare(sub: Any) -> None:
    prep = sub.add_parser(
        "prepare",
        help="write long data as partitioned Parquet for `fit --dask`",
        description="Write DATA (CSV or Parquet) as a directory of Parquet part files in which "
        "no dyad spans two parts (rows go to a part by a hash of the dyad id, so any row order "
        "works). The file is streamed: memory stays bounded whatever its size.",
    )
    prep.add_argument("data", metavar="DATA", help="CSV (possibly compressed) or Parquet file")
    prep.add_argument(
        "-o", "--output", required=True, metavar="DIR", help="new directory, e.g. DIR.parquet"
    )
    prep.add_argument("--dyad", default="dyad", help="dyad id column (default: dyad)")
    prep.add_argument(
        "--partitions",
        type=_positive_int,
        help="number of part files (default: about one per million rows)",
    )
    prep.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


# -- progress ---------------------------------------------------------------------------------------
class _Progress:
    """Stages of a run on stderr: a rich progress display on a terminal, plain lines otherwise.

    Silent unless enabled: on a terminal from the start, elsewhere (a log file) only for large runs.
    """

    def __init__(self, enabled: bool, terminal: bool) -> None:
        self.enabled = enabled
        self.terminal = terminal
        self._progress: Any = None
        self._task: Any = None
        self._t0 = time.perf_counter()
        self._started = False

    def start(self, total: int) -> None:
        if not self.enabled or self._started:
            return
        self._started = True
        if not self.terminal:
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("starting", total=total)

    def stage(self, text: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=text, advance=1)
        elif self.enabled and self._started:
            elapsed = time.perf_counter() - self._t0
            print(f"counterpoint: {text} ({elapsed:.1f} s)", file=sys.stderr, flush=True)

    def counter(self, text: str, total: int) -> Callable[[int, int], None] | None:
        """A ``(done, total)`` callback that shows a long step's count (a bar of its own on a
        terminal, a line at every tenth in a log), or None when progress is not shown."""
        if not self.enabled or not self._started:
            return None
        if self._progress is not None:
            task = self._progress.add_task(text, total=total)

            def advance(done: int, total: int) -> None:
                self._progress.update(task, completed=done, total=total)

            return advance
        shown = [0]

        def line(done: int, total: int) -> None:
            tenth = done * 10 // total
            if tenth > shown[0]:
                shown[0] = tenth
                self.stage(f"{text} {done}/{total}")

        return line

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


@contextmanager
def _progress(quiet: bool) -> Iterator[_Progress]:
    terminal = sys.stderr.isatty()
    bar = _Progress(enabled=not quiet and terminal, terminal=terminal)
    try:
        yield bar
    finally:
        bar.stop()


# -- fit --------------------------------------------------------------------------------------------
def _spec(args: argparse.Namespace) -> Any:
    from counterpoint.science.partitioned import FitSpec

    options: dict[str, Any] = {
        "couple-var": {"min_occasions": args.min_occasions},
        "ic": {"lag": args.lag},
        "clo": {"taus": args.taus, "embeds": args.embeds, "delta": args.delta},
    }.get(args.model, {})
    return FitSpec(
        model=args.model,
        var=args.var,
        dyad=args.dyad,
        person=args.person,
        role=args.role,
        time=args.time or "time",
        day=args.day,
        options=options,
    )


def _load(args: argparse.Namespace) -> DyadicData:
    from counterpoint.science.data import DyadicData

    if args.model == "apim":
        if args.time or args.day:
            raise UsageError("apim is cross-sectional: --time and --day are not used")
        if not args.outcome:
            raise UsageError("apim needs --outcome")
        if not (args.x or args.actor or args.partner):
            raise UsageError("apim needs at least one of --x, --actor, --partner")
        for option, names in (
            ("--x", args.x),
            ("--actor", args.actor),
            ("--partner", args.partner),
        ):
            twice = [n for i, n in enumerate(names) if n in names[:i]]
            if twice:
                raise UsageError(f"{option} {twice[0]} is given twice; give each variable once")
        variables = [args.outcome, *args.x, *args.actor, *args.partner]
        return DyadicData.from_path(
            args.data,
            dyad=args.dyad,
            person=args.person,
            role=args.role,
            variables=list(dict.fromkeys(variables)),
        )
    data = DyadicData.from_path(
        args.data,
        dyad=args.dyad,
        person=args.person,
        role=args.role,
        time=args.time or "time",
        day=args.day,
        variables=[args.var],
    )
    if args.model == "var" and args.day is None and not args.no_day:
        day_like = day_columns(data, exclude=[args.var])
        if day_like:
            raise UsageError(
                f"the data have a column {day_like[0]!r} that groups the occasions into days: say "
                f"--day {day_like[0]} so that lags stop at each night, or --no-day to let them run "
                "on"
            )
    return data


def _load_any(args: argparse.Namespace) -> DyadicData | DyadArrays:
    """The data to fit: for a per-dyad model straight into arrays when the file allows it
    (:mod:`counterpoint.science.arrays`: no pandas), otherwise (and for every problem) DyadicData."""
    from counterpoint.science.partitioned import PER_DYAD_MODELS

    if args.model in PER_DYAD_MODELS and args.day is None:
        from counterpoint.science.arrays import read_arrays

        arrays = read_arrays(
            args.data,
            dyad=args.dyad,
            person=args.person,
            role=args.role,
            time=args.time or "time",
            var=args.var,
        )
        if arrays is not None:
            return arrays
    return _load(args)


def _fit(args: argparse.Namespace, data: DyadicData | DyadArrays) -> Any:
    from counterpoint.science.partitioned import PER_DYAD_MODELS, fit_result

    model = args.model
    if model in PER_DYAD_MODELS:
        return fit_result(data, _spec(args))
    from counterpoint.science.data import DyadicData

    assert isinstance(data, DyadicData), "only the per-dyad models read arrays"
    if model == "apim":
        from counterpoint.science.apim import APIM

        distinguishable = False if args.indistinguishable else None
        return APIM(
            data,
            args.outcome,
            x=args.x,
            actor=args.actor,
            partner=args.partner,
            distinguishable=distinguishable,
        ).fit(reml=not args.ml, k_interval=args.k_interval, n_boot=args.boot, seed=args.seed)
    from counterpoint.science.mlvar import DyadicVAR

    return DyadicVAR(data, args.var).fit()


def _check_model_options(args: argparse.Namespace, argv: Sequence[str]) -> None:
    """Refuse options that belong to another model, so a typo does not pass silently."""
    owners = {
        "--outcome": "apim",
        "--x": "apim",
        "--actor": "apim",
        "--partner": "apim",
        "--indistinguishable": "apim",
        "--ml": "apim",
        "--k-interval": "apim",
        "--boot": "apim",
        "--lag": "ic",
        "--taus": "clo",
        "--embeds": "clo",
        "--delta": "clo",
        "--min-occasions": "couple-var",
        "--no-day": "var",
        **TABLE_OPTION_OWNERS,
    }
    from_model = getattr(args, "group_from", None)
    for arg in argv:
        name = arg.split("=", 1)[0]
        if name in owners and owners[name] != args.model and owners[name] != from_model:
            raise UsageError(f"{name} is an option of {owners[name]}, not of {args.model}")
    given = [a.split("=", 1)[0] for a in argv]
    if args.model == "apim" and "--var" in given:
        raise UsageError("apim takes --outcome and --x/--actor/--partner, not --var")
    if "--boot" in given and args.k_interval != "bootstrap":
        raise UsageError(
            f"--boot sets the number of bootstrap refits, but the k interval is {args.k_interval}: "
            "add --k-interval bootstrap, or leave --boot out"
        )
    if args.dask:
        if args.model not in PER_DYAD:
            raise UsageError(
                f"--dask fits the per-dyad models ({', '.join(PER_DYAD)}); {args.model} pools "
                "all dyads (see docs/science/scale.md)"
            )
        if not args.out:
            raise UsageError("--dask writes its results to a directory: add --out DIR.parquet")
        if args.json or args.html:
            raise UsageError("--dask writes Parquet (--out); --json and --html are not available")
    elif args.scheduler or args.workers:
        raise UsageError("--scheduler and --workers go with --dask")
    if args.out and args.model not in PER_DYAD:
        raise UsageError(f"--out writes per-dyad tables ({', '.join(PER_DYAD)}), not {args.model}")


def day_columns(data: DyadicData, exclude: Sequence[str] = ()) -> list[str]:
    """Columns that group each person's occasions into blocks (days) the fit was not told about.

    A column qualifies when, within every person, it never decreases along time, takes at least two
    values, and fewer values than the person has occasions (so some block holds several).
    """
    import pandas as pd

    frame = data.frame
    used = {data.dyad_col, data.person_col, data.role_col, data.time_col, *exclude}
    found = []
    keys = [frame[data.dyad_col], frame[data.person_col]]
    for col in frame.columns:
        if col in used:
            continue
        codes = pd.Series(pd.factorize(frame[col], sort=True)[0], index=frame.index)
        if (codes < 0).any():
            continue
        grouped = codes.groupby(keys, sort=False)
        if (grouped.diff() < 0).any():
            continue
        distinct = grouped.nunique()
        rows = grouped.size()
        if (distinct >= 2).all() and (distinct < rows).any():
            found.append(str(col))
    return found


def _run_fit(args: argparse.Namespace, argv: Sequence[str]) -> int:
    _check_model_options(args, argv)
    _check_output(args.html, "--html")
    _check_output(args.out, "--out", directory=bool(args.dask))
    if args.dask:
        return _run_fit_dask(args)
    with _progress(args.quiet) as bar:
        bar.start(total=4)
        bar.stage(f"reading {Path(args.data).name}")
        if args.model in TABLE_MODELS:
            from counterpoint.science.cli_tables import fit_table_model

            result = fit_table_model(args, lambda model: _fit_as(args, model))
        else:
            data = _load_any(args)
            if not args.quiet and data.n_dyads >= MANY_DYADS:
                bar.enabled = True
                bar.start(total=4)
                bar.stage(f"read {data.n_obs} rows")
            bar.stage(f"fitting {args.model} to {data.n_dyads} dyads")
            result = _fit(args, data)
            if args.model == "apim" and args.k_interval == "bootstrap":
                result.boot_progress = bar.counter("bootstrap refits", args.boot)
                result.k  # noqa: B018 -- the refits run here, while the progress is shown
        if args.html:
            bar.stage(f"writing {args.html}")
            from counterpoint.science.report import write_report

            write_report(result, args.html, source=str(args.data))
        if args.out:
            from counterpoint.science.partitioned import write_per_dyad

            bar.stage(f"writing {args.out}")
            write_per_dyad(result, args.out)
        bar.stage("done")
    if args.json:
        print(result.to_json())
    else:
        print(result.summary())
        if args.html:
            print(f"\nreport written to {args.html}")
        if args.out:
            print(f"\nestimates written to {args.out}")
    return 0


def _fit_as(args: argparse.Namespace, model: str) -> Any:
    """Fit a per-couple model (for ``profiles --from MODEL``) with this command's options."""
    as_model = argparse.Namespace(**{**vars(args), "model": model})
    return _fit(as_model, _load(as_model))


def _run_fit_dask(args: argparse.Namespace) -> int:
    from counterpoint.science.partitioned import fit_dask

    t0 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            elapsed = time.perf_counter() - t0
            print(
                f"counterpoint: fitted partition {done}/{total} ({elapsed:.1f} s)",
                file=sys.stderr,
                flush=True,
            )

    dyads, parts = fit_dask(
        args.data,
        args.out,
        _spec(args),
        scheduler=args.scheduler,
        workers=args.workers,
        progress=progress,
    )
    print(f"{args.model}: {dyads} dyads in {parts} partitions; estimates written to {args.out}")
    return 0


# -- simulate ---------------------------------------------------------------------------------------
def _run_simulate(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from counterpoint.science.files import PARQUET_SUFFIXES

    occasions = args.occasions
    if occasions is None:
        if args.model != "apim":
            raise UsageError(f"simulating {args.model} needs --occasions")
        occasions = 1
    from counterpoint.science.simulate import check_params

    try:
        params = check_params(args.model, dict(args.param))
    except ValueError as exc:
        raise UsageError(f"--param {exc}") from None
    partitioned = bool(args.output) and Path(args.output).suffix.lower() in PARQUET_SUFFIXES
    if args.partition_dyads is not None and not partitioned:
        raise UsageError(
            "--partition-dyads sets the size of the part files of a partitioned Parquet output: "
            "add -o DIR.parquet, or leave it out"
        )
    _check_simulated_size(args, occasions, partitioned)
    _check_output(args.output, "-o", directory=partitioned)
    _check_disk_room(args, occasions, params, partitioned)
    try:
        if partitioned:
            from counterpoint.science.partitioned import simulate_partitioned

            def progress(text: str) -> None:
                print(f"counterpoint: {text}", file=sys.stderr, flush=True)

            rows, parts = simulate_partitioned(
                args.model,
                args.dyads,
                occasions,
                args.seed,
                args.output,
                partition_dyads=args.partition_dyads or 10_000,
                progress=progress if sys.stderr.isatty() or args.dyads >= MANY_DYADS * 10 else None,
                **params,
            )
            print(
                f"wrote {rows} rows ({args.dyads} dyads) in {parts} parts to {args.output}",
                file=sys.stderr,
            )
            return 0
        from counterpoint.science.simulate import simulate

        frame = simulate(args.model, args.dyads, occasions, args.seed, **params)
    except TypeError as exc:  # an unknown parameter name
        raise UsageError(f"{args.model} has no parameter among {sorted(params)}: {exc}") from None
    if args.output:
        from counterpoint.science.files import written_whole

        with written_whole(args.output) as partial:  # never a cut-off file under its name
            frame.to_csv(partial, index=False)
        print(f"wrote {len(frame)} rows ({args.dyads} dyads) to {args.output}", file=sys.stderr)
    else:
        frame.to_csv(sys.stdout, index=False)
    return 0


def _check_simulated_size(args: argparse.Namespace, occasions: int, partitioned: bool) -> None:
    """Refuse, before anything is drawn, more rows in memory than simulate makes at once: the whole
    CSV output, or one part file of a partitioned output (written and let go part by part)."""
    from counterpoint.science.simulate import MAX_SIMULATED_ROWS, check_size

    if not partitioned:
        try:
            check_size(args.dyads, occasions)
        except ValueError as exc:
            raise UsageError(
                f"{exc}; ask for fewer dyads or occasions, or write a partitioned Parquet "
                "directory (-o DIR.parquet), which is drawn part by part"
            ) from None
        return
    per_part = min(args.partition_dyads or 10_000, args.dyads)
    try:
        check_size(per_part, occasions)
    except ValueError:
        most = max(1, MAX_SIMULATED_ROWS // (2 * occasions))
        raise UsageError(
            f"one part of {per_part:,} dyads × 2 people × {occasions:,} occasions would hold "
            f"{2 * per_part * occasions:,} rows in memory, more than {MAX_SIMULATED_ROWS:,}; "
            + (
                f"give --partition-dyads {most:,} or fewer"
                if most * 2 * occasions <= MAX_SIMULATED_ROWS
                else "ask for fewer occasions"
            )
        ) from None


DISK_MARGIN = 1.05
"""``simulate -o`` needs this many times its estimated size free on the output's disk."""


def _check_disk_room(
    args: argparse.Namespace, occasions: int, params: dict[str, Any], partitioned: bool
) -> None:
    """Refuse, before anything is drawn, an output larger than the free space of its disk (the
    size estimated from a small sample written the same way: ``simulate.estimate_file_bytes``)."""
    import shutil

    from counterpoint.science.simulate import estimate_file_bytes

    if not args.output:
        return
    target = Path(args.output)
    where = target if target.is_dir() else target.parent
    name = "part.parquet" if partitioned else target.name
    need = estimate_file_bytes(args.model, args.dyads, occasions, name, **params)
    free = shutil.disk_usage(where).free
    if target.is_file():
        free += target.stat().st_size  # the file is replaced
    if need * DISK_MARGIN > free:
        margin = round(100 * (DISK_MARGIN - 1))
        raise UsageError(
            f"-o {args.output}: the data would take about {_size(need)} "
            f"({_size(need * DISK_MARGIN)} with a {margin}% margin), and the disk of {where} has "
            f"{_size(free)} free; free some space, write elsewhere, or ask for fewer dyads or "
            "occasions"
        )


def _size(n_bytes: float) -> str:
    """A byte count for people: ``1.2 GB``."""
    for unit in ("bytes", "kB", "MB", "GB"):
        if n_bytes < 1000:
            return f"{n_bytes:.0f} {unit}" if unit == "bytes" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1000
    return f"{n_bytes:,.1f} TB"


# -- prepare ----------------------------------------------------------------------------------------
def _run_prepare(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from counterpoint.science.partitioned import prepare

    def progress(text: str) -> None:
        if not args.quiet:
            print(f"counterpoint: {text}", file=sys.stderr, flush=True)

    _check_output(args.output, "-o", directory=True)
    rows, parts = prepare(
        args.data, args.output, dyad=args.dyad, n_parts=args.partitions, progress=progress
    )
    print(f"wrote {rows} rows in {parts} parts to {args.output}", file=sys.stderr)
    return 0


# command name -> (add its parser, run it); a new command is one more entry
COMMANDS: dict[str, tuple[Any, Any]] = {
    "fit": (_add_fit, _run_fit),
    "simulate": (_add_simulate, _run_simulate),
    "prepare": (_add_prepare, _run_prepare),
}


# what to try after running out of memory, by command
_SMALLER = {
    "simulate": "ask for fewer dyads or occasions, or write a partitioned Parquet directory "
    "(-o DIR.parquet), which is drawn part by part",
    "fit": "fit fewer dyads at a time, or, for couple-var, ic and clo, write the data as a "
    "partitioned Parquet directory (counterpoint prepare) and fit it with --dask",
    "prepare": "give more --partitions, so that each part is smaller",
}


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _with_file(args: argparse.Namespace, message: str) -> str:
    """Name the data file in a data error, unless the message already does."""
    path = getattr(args, "data", None)
    if not path or str(path) in message or Path(path).name in message:
        return message
    return f"{path}: {message}"


def _one_blas_thread() -> None:
    """Start OpenBLAS with one thread (unless the user chose otherwise), before numpy is imported.

    The per-dyad kernels multiply thousands of tiny matrices, which OpenBLAS never splits across
    threads; but at start-up it creates its thread pool, whose threads spin for a while: about
    0.05 s of CPU of a 0.75 s `fit clo` (measured on the shared machine). No effect once numpy is
    imported (e.g. in tests, where the environment is left alone), and none on the numbers.
    """
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _keep_freed_memory() -> None:
    """Ask glibc to keep freed memory for reuse instead of returning it to the system at once.

    The fits allocate and free many arrays of a few to tens of megabytes; by default each comes from
    a fresh ``mmap`` and goes back on ``free``, so the kernel zeroes new pages again and again (in a
    measured ``fit clo`` this doubled the system time). Other C libraries: nothing to do.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: blocks up to 32 MB come from the heap
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: keep up to 1 GB of freed heap
        libc.mallopt(-2, 64 << 20)  # M_TOP_PAD: grow the heap in 64 MB steps
    except (OSError, AttributeError):  # not glibc
        return
    # pyarrow's own allocator (mimalloc) maps fresh pages for the table it reads and hands them
    # back: with glibc's malloc, tuned as above, the same read faulted in far fewer pages (system
    # time of `fit clo` on 2,000 x 400: 0.85-1.4 s -> 0.25-0.4 s, measured on the shared machine)
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input, 1 internal error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["fit"]:
        if argv[1:2] and argv[1] in PER_DYAD:
            _one_blas_thread()
        _keep_freed_memory()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version or a usage error (already printed)
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(COMMANDS[args.command][1](args, argv))
    except DyadDataError as exc:
        message = _with_file(args, _one_line(str(exc)))
        print(f"counterpoint {args.command}: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as exc:
        print(f"counterpoint {args.command}: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (ValueError, OSError) as exc:
        print(f"counterpoint {args.command}: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print(
            f"counterpoint {args.command}: error: this machine ran out of memory; "
            f"{_SMALLER.get(args.command, 'try a smaller input')}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("counterpoint: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line, unless the developer asks for the traceback
        if os.environ.get("COUNTERPOINT_DEBUG"):
            raise
        print(
            f"counterpoint {args.command}: internal error: {type(exc).__name__}: "
            f"{_one_line(str(exc))} (set COUNTERPOINT_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
