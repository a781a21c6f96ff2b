"""The comparison process for bench_cli.py: read a CSV, fit every dyad with a loop of statsmodels OLS.

``python benchmarks/statsmodels_loop.py clo|couple-var DATA.csv OUT.csv`` reads the long CSV with
pandas, runs the same per-dyad estimates as ``counterpoint fit`` one statsmodels fit at a time (the
loops of bench_clo.py and bench_var.py) and writes one row per dyad. Timed as a whole process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_clo import statsmodels_loop as clo_loop
from bench_var import _statsmodels_loop as couple_var_loop

from counterpoint.science.data import DyadicData


def main(model: str, source: str, out: str) -> int:
    frame = pd.read_csv(source)
    data = DyadicData(frame, dyad="dyad", person="person", role="role", time="time")
    if model == "clo":
        table = clo_loop(data, "y")
        table.index.name = "dyad"
        table.reset_index().to_csv(out, index=False)
        return 0
    arrays = data.to_arrays("y")
    est = couple_var_loop(arrays, np.arange(len(arrays)))
    pd.DataFrame(
        est, columns=["actor@0", "partner@0", "actor@1", "partner@1"], index=data.dyad_ids
    ).rename_axis("dyad").reset_index().to_csv(out, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
