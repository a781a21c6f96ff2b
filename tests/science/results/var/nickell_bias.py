"""Simulation table: small-sample (Nickell) bias of the VAR estimates with within-person centring.

    .venv/bin/python tests/science/results/var/nickell_bias.py

Daily diaries (one occasion a day, no missing days) of T occasions per person, true actor effects
.45 and .30, partner effects .10 and .20, residual correlation .2. Multilevel VAR: 40 simulated
studies of 100 couples per T, mean estimate. Per-couple VAR: 2,000 couples per T, mean and median
estimate. Prints a Markdown table for docs/science/var.md.
"""

from __future__ import annotations

import numpy as np

from counterpoint.science.couple_var import couple_var_arrays
from counterpoint.science.data import DyadicData
from counterpoint.science.mlvar import DyadicVAR, simulate_var

TRUE = {"actor@0": 0.45, "actor@1": 0.30, "partner@0": 0.10, "partner@1": 0.20}
KW = {"actor": (0.45, 0.30), "partner": (0.10, 0.20), "rho": 0.2}
LENGTHS = (14, 30, 60, 120, 240)


def _arrays(df) -> np.ndarray:
    n = df["dyad"].nunique()
    return df.sort_values(["dyad", "role", "time"])["y"].to_numpy().reshape(n, 2, -1)


def main() -> None:
    print(
        "| T | multilevel actor@0 (.45) | actor@1 (.30) | partner@0 (.10) | partner@1 (.20) "
        "| per-couple actor@0 mean / median | actor@1 | partner@0 | partner@1 | −(1+a)/T for a=.45 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for T in LENGTHS:
        ml = []
        for rep in range(40):
            df = simulate_var(100, n_days=T, seed=1000 * T + rep, **KW)
            data = DyadicData(df, dyad="dyad", person="person", role="role", time="time")
            p = DyadicVAR(data, "y").fit().params["estimate"]
            ml.append([p[k] for k in TRUE])
        ml_mean = np.mean(ml, axis=0)
        per = couple_var_arrays(
            _arrays(simulate_var(2000, n_days=T, seed=7 * T, **KW)), min_occasions=6
        )
        cells = [f"{m:.3f}" for m in ml_mean]
        cells += [f"{np.nanmean(per[k]):.3f} / {np.nanmedian(per[k]):.3f}" for k in TRUE]
        print(f"| {T} | " + " | ".join(cells) + f" | {-(1 + 0.45) / T:.3f} |")


if __name__ == "__main__":
    main()
