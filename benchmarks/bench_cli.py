"""Whole-process speed: `counterpoint fit` against a process that loops statsmodels OLS over the dyads.

Both sides are timed from outside as whole processes on the same CSV file — start-up and imports,
reading the file, fitting, writing the results — which is what a researcher waits for:

* ``fit clo`` on 2,000 couples × 400 occasions (the τ/E grid of 6 cells), JSON on stdout to a file;
* ``fit couple-var`` on 100,000 couples × 60 occasions, the table of estimates to Parquet (``--out``).

The data are simulated once into ``var/bench/`` and reused. Prints one table with, for each side, the
wall time and the CPU time (user + system of the whole process, from the operating system's
accounting of the finished child), the ratios of both (target ≥ 20×), the load average while it ran,
and the largest difference between the two sets of estimates. On a shared machine the wall time
mostly measures the wait for a core; the CPU time is what each process actually used.

Run: ``.venv/bin/python benchmarks/bench_cli.py`` (or ``make bench``); ``--runs N`` for more runs of
ours (default 3), ``--only clo`` for the quick case.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CACHE = ROOT / "var" / "bench"
LOOP = Path(__file__).resolve().parent / "statsmodels_loop.py"

CASES = {
    "clo": {"dyads": 2_000, "occasions": 400, "loop_runs": 2},
    "couple-var": {"dyads": 100_000, "occasions": 60, "loop_runs": 1},
}
COMPARE = {
    "clo": ["obs_0", "d1_0", "p_obs_0", "p_d1_0", "obs_1", "d1_1", "p_obs_1", "p_d1_1"],
    "couple-var": ["actor@0", "partner@0", "actor@1", "partner@1"],
}


def data_file(model: str) -> Path:
    case = CASES[model]
    path = CACHE / f"{model}_{case['dyads']}x{case['occasions']}.csv"
    if not path.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                str(BIN / "counterpoint"),
                "simulate",
                model,
                "--dyads",
                str(case["dyads"]),
                "--occasions",
                str(case["occasions"]),
                "--seed",
                "1",
                "-o",
                str(path),
            ],
            check=True,
        )
    return path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# The console script imports `counterpoint` from wherever the virtualenv's editable install points
# (the main checkout); run this checkout's code instead, so a worktree measures its own changes.
_PATH = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(_PATH)}


def timed(cmd: list[str], stdout: Path | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process: CPU is its user + system time, threads included."""
    cpu, start = _children_cpu(), time.perf_counter()
    with open(stdout or os.devnull, "w") as out:
        proc = subprocess.run(
            cmd, stdout=out, stderr=subprocess.PIPE, text=True, check=False, env=ENV
        )
    took = time.perf_counter() - start, _children_cpu() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    if proc.stderr.strip():
        raise SystemExit(f"{' '.join(cmd)} wrote to stderr: {proc.stderr.strip()[:300]}")
    return took


def ours_command(model: str, source: Path, out: Path) -> tuple[list[str], Path | None]:
    base = [str(BIN / "counterpoint"), "fit", model, str(source), "--role", "role", "--quiet"]
    if model == "clo":
        return [*base, "--json"], out
    return [*base, "--out", str(out)], None


def ours_estimates(model: str, out: Path) -> pd.DataFrame:
    if model == "clo":
        doc = json.loads(out.read_text())
        rows = {d["dyad"]: d["params"] for d in doc["dyads"]}
        return pd.DataFrame.from_dict(rows, orient="index")
    return pd.read_parquet(out).set_index("dyad")


def bench(model: str, runs: int) -> tuple[str, ...]:
    source = data_file(model)
    suffix = ".json" if model == "clo" else ".parquet"
    ours_out = CACHE / f"ours_{model}{suffix}"
    loop_out = CACHE / f"loop_{model}.csv"
    cmd, stdout = ours_command(model, source, ours_out)
    timed(cmd, stdout)  # warm-up: the file in the page cache, Python's bytecode compiled
    ours = [timed(cmd, stdout) for _ in range(runs)]
    loop = [
        timed([sys.executable, str(LOOP), model, str(source), str(loop_out)])
        for _ in range(CASES[model]["loop_runs"])
    ]
    load = os.getloadavg()[0]
    mine = ours_estimates(model, ours_out)
    theirs = pd.read_csv(loop_out).set_index("dyad").loc[mine.index]
    cols = COMPARE[model]
    diff = float(np.nanmax(np.abs(mine[cols].to_numpy(float) - theirs[cols].to_numpy(float))))
    w_ours, w_loop = (statistics.median(t[0] for t in runs_) for runs_ in (ours, loop))
    c_ours, c_loop = (statistics.median(t[1] for t in runs_) for runs_ in (ours, loop))
    case = CASES[model]
    return (
        f"fit {model}",
        f"{case['dyads']:,} × {case['occasions']} ({source.stat().st_size / 1e6:.0f} MB CSV)",
        f"{w_ours:.2f} s / {c_ours:.2f} s",
        f"{w_loop:.1f} s / {c_loop:.1f} s",
        f"{w_loop / w_ours:.1f}× / {c_loop / c_ours:.1f}×",
        f"{runs} / {len(loop)}",
        f"{load:.1f}",
        f"{diff:.1e}",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of ours (default: 3)")
    parser.add_argument("--only", choices=sorted(CASES), help="one case only")
    args = parser.parse_args()
    rows = [bench(m, args.runs) for m in CASES if args.only in (None, m)]
    head = (
        "command",
        "data",
        "ours: wall / CPU",
        "statsmodels loop: wall / CPU",
        "ratio: wall / CPU (target ≥ 20×)",
        "runs (ours / loop, medians)",
        "load average",
        "max |Δ estimate|",
    )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"Whole-process speed ({cores} cores; CPU = user + system seconds of the whole process; "
        "load average = 1-minute, at the end of each case)"
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
