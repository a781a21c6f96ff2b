"""Benchmark the VAR models: per-couple VAR(1) and the multilevel dyadic VAR(1), against statsmodels.

    .venv/bin/python benchmarks/bench_var.py [--couples 100000] [--loop-sample 2000]

Prints one table. Per-couple VAR: our batched fit of every couple vs a Python loop of statsmodels
OLS fits (two per couple) on a random subsample of couples, extrapolated linearly to all couples
(the table says so); the loop's estimates are checked against ours on that subsample. Multilevel
VAR: our REML fit (full nlme structure) vs statsmodels MixedLM (random intercepts per role only: it
cannot express the same-occasion residual correlation or the per-role residual variance) on 200
couples × 70 occasions (14 days × 5 beeps).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import statsmodels.api as sm
import statsmodels.formula.api as smf

from counterpoint.science.couple_var import CoupleVAR, couple_var_arrays
from counterpoint.science.data import DyadicData
from counterpoint.science.mlvar import DyadicVAR, simulate_var
from counterpoint.science.panels import lag_panel

T = TypeVar("T")


def _best_of(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """Best wall time of ``repeat`` calls, and the last result."""
    best, out = np.inf, fn()  # a first call warms caches; not timed
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def _statsmodels_loop(arrays: np.ndarray, couples: np.ndarray) -> np.ndarray:
    """Same estimates as ours by a loop of statsmodels OLS fits: actor@0, partner@0, actor@1, partner@1."""
    panel = lag_panel(arrays[couples])
    out = np.empty((len(couples), 4))
    for i in range(len(couples)):
        use = panel.usable[i, 0] & panel.usable[i, 1]
        x = sm.add_constant(np.column_stack([panel.own[i, 0, use], panel.own[i, 1, use]]))
        fits = [sm.OLS(panel.y[i, g, use], x).fit() for g in (0, 1)]
        for fit in fits:
            fit.bse, fit.conf_int()  # the loop computes what ours reports, not only the slopes
        np.corrcoef(fits[0].resid, fits[1].resid)
        out[i] = [fits[0].params[1], fits[0].params[2], fits[1].params[2], fits[1].params[1]]
    return out


def bench_couple_var(n_couples: int, loop_sample: int) -> list[tuple[str, str, str]]:
    rows = []
    start = time.perf_counter()
    df = simulate_var(n_couples, n_days=60, seed=1)
    rows.append(
        (
            f"simulate {n_couples:,} couples × 60 occasions",
            f"{time.perf_counter() - start:.2f} s",
            "",
        )
    )
    start = time.perf_counter()
    data = DyadicData(df, dyad="dyad", person="person", role="role", time="time")
    rows.append(
        (
            "DyadicData validation (data layer, not the model)",
            f"{time.perf_counter() - start:.2f} s",
            "",
        )
    )
    ours_s, res = _best_of(lambda: CoupleVAR(data, "y").fit())
    rows.append(("CoupleVAR(data).fit(): all couples, batched", f"{ours_s:.2f} s", "target < 10 s"))
    arrays = data.to_arrays("y")
    core_s, core = _best_of(lambda: couple_var_arrays(arrays))
    rows.append(("  of which the estimation on arrays", f"{core_s:.2f} s", ""))
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(n_couples, size=min(loop_sample, n_couples), replace=False))
    start = time.perf_counter()
    loop = _statsmodels_loop(arrays, sample)
    loop_s = time.perf_counter() - start
    full_loop = loop_s * n_couples / len(sample)
    ours = np.column_stack(
        [core[k][sample] for k in ("actor@0", "partner@0", "actor@1", "partner@1")]
    )
    max_diff = float(np.max(np.abs(loop - ours)))
    speedup = f"ours is {full_loop / ours_s:.0f}× faster (target ≥ 20×)"
    measured = len(sample) == n_couples
    rows.append(
        (
            f"statsmodels OLS loop, {len(sample):,} couples (measured)",
            f"{loop_s:.2f} s",
            f"max |Δ estimate| vs ours {max_diff:.1e}" + (f"; {speedup}" if measured else ""),
        )
    )
    if not measured:
        rows.append(
            (
                f"statsmodels OLS loop, {n_couples:,} couples (extrapolated)",
                f"{full_loop:.1f} s",
                speedup,
            )
        )
    assert res.table.shape[0] == n_couples
    return rows


def bench_multilevel(n_couples: int = 200) -> list[tuple[str, str, str]]:
    df = simulate_var(n_couples, n_days=14, beeps_per_day=5, seed=2, missing=0.1)
    data = DyadicData(df, dyad="dyad", person="person", role="role", time="time", day="day")
    ours_s, res = _best_of(lambda: DyadicVAR(data, "y").fit(), repeat=3)
    lagged = data.lagged(["y"])
    means = lagged.groupby("person")["y"].mean()
    pair_sum = lagged.groupby("dyad")["person"].transform(lambda p: p.unique().sum())
    partner = pair_sum - lagged["person"]
    lagged["lag_own"] = lagged["lag_y"] - lagged["person"].map(means)
    lagged["lag_partner"] = lagged["p_lag_y"] - partner.map(means)
    lagged["role0"] = (lagged["role"] == 0).astype(float)
    lagged["role1"] = (lagged["role"] == 1).astype(float)
    fit_rows = lagged.dropna(subset=["y", "lag_own", "lag_partner"])
    formula = "y ~ 0 + role0 + role1 + role0:lag_own + role1:lag_own + role0:lag_partner + role1:lag_partner"

    def mixedlm() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = smf.mixedlm(
                formula, fit_rows, groups=fit_rows["dyad"], re_formula="0 + role0 + role1"
            )
            return model.fit(reml=True)

    sm_s, sm_res = _best_of(mixedlm, repeat=1)
    diff = abs(res.params.loc["actor@0", "estimate"] - sm_res.params["role0:lag_own"])
    return [
        (
            f"DyadicVAR REML, {n_couples} couples × 70 occasions",
            f"{ours_s:.3f} s",
            "full nlme structure",
        ),
        (
            "statsmodels MixedLM, same data",
            f"{sm_s:.3f} s",
            f"random intercepts only; ours {sm_s / ours_s:.0f}× faster; |Δ actor@0| {diff:.1e}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--couples", type=int, default=100_000)
    parser.add_argument("--loop-sample", type=int, default=2_000)
    parser.add_argument(
        "--full-loop", action="store_true", help="time the statsmodels loop on every couple"
    )
    args = parser.parse_args()
    if args.full_loop:
        args.loop_sample = args.couples
    rows = bench_couple_var(args.couples, args.loop_sample) + bench_multilevel()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    width = max(len(r[0]) for r in rows)
    print(f"VAR benchmarks ({cores} cores, numpy {np.__version__})")
    print(f"{'what'.ljust(width)}  {'time':>8}  note")
    for what, took, note in rows:
        print(f"{what.ljust(width)}  {took:>8}  {note}")


if __name__ == "__main__":
    main()
