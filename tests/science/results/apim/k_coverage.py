"""Coverage of the three k = p/a intervals by simulation: the table in docs/science.md ("k intervals").

Not a test (it takes many minutes); run with
    nice -n 10 .venv/bin/python tests/science/results/apim/k_coverage.py [reps] [boot_reps] [n_boot]
Indistinguishable dyads, rho = .4, k = p/a with the rows below. Delta and Fieller on ``reps``
datasets per row; the parametric bootstrap (``n_boot`` refits each) on the first ``boot_reps``.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from counterpoint.science import DyadicData
from counterpoint.science.apim import APIM, simulate_apim

ROWS = [  # (dyads, a, p): a clearly nonzero; a small relative to its SE
    (50, 0.4, 0.2),
    (150, 0.4, 0.2),
    (50, 0.15, 0.1),
    (150, 0.15, 0.1),
]


def run(n_dyads: int, a: float, p: float, reps: int, boot_reps: int, n_boot: int) -> dict:
    rng = np.random.default_rng(18)
    truth = p / a
    hits = {"delta": [], "fieller": [], "bootstrap": []}  # type: ignore[var-annotated]
    width = {"fieller_unbounded": 0}
    for r, seed in enumerate(rng.integers(0, 2**31, size=reps)):
        df = simulate_apim(n_dyads, seed=int(seed), a=a, p=p, rho=0.4)
        model = APIM(DyadicData(df, dyad="dyad", person="person"), "y", x=["x"])
        methods = ["delta", "fieller"] + (["bootstrap"] if r < boot_reps else [])
        for method in methods:
            row = model.fit(k_interval=method, n_boot=n_boot, seed=int(seed)).k.loc["x"]
            hits[method].append(row["ci_low"] <= truth <= row["ci_high"])
            if method == "fieller" and not np.isfinite(row["ci_high"]):
                width["fieller_unbounded"] += 1
    out = {m: (round(float(np.mean(h)), 3), len(h)) for m, h in hits.items() if h}
    out.update(width)  # type: ignore[arg-type]
    return out


if __name__ == "__main__":
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    boot_reps = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    n_boot = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    for n, a, p in ROWS:
        t0 = time.perf_counter()
        res = run(n, a, p, reps, boot_reps, n_boot)
        print(f"dyads {n}, a {a}, p {p}: {res} ({time.perf_counter() - t0:.0f} s)", flush=True)
