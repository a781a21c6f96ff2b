"""Write couple_var_data.csv: simulated diaries behind the R reference results (run from the repo root).

    .venv/bin/python tests/science/results/couple_var/make_data.py
    Rscript tests/science/results/couple_var/couple_var_reference.R

Couples 1–40 come from the simulator; 41–43 are degenerate on purpose (a partner who always answers
4, two identical series, a couple with six occasions) and must get a reason, not numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from counterpoint.science.mlvar import simulate_var

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    df = simulate_var(
        43,
        n_days=14,
        beeps_per_day=5,
        seed=7,
        actor=(0.4, 0.3),
        partner=(0.15, 0.05),
        sigma=(1.0, 1.6),
        rho=0.3,
        missing=0.1,
    ).drop(columns="beep")
    constant = (df["dyad"] == 41) & (df["role"] == 1)
    df.loc[constant, "y"] = 4.0
    df = df[~(df["dyad"].eq(42) & df["role"].eq(1))]
    copy = df[df["dyad"].eq(42)].copy()
    copy["person"] += 1
    copy["role"] = 1
    df = pd.concat([df, copy]).sort_values(["dyad", "person", "time"])
    df = df[(df["dyad"] != 43) | (df["time"] <= 6)]
    df["y"] = df["y"].round(4)
    df.to_csv(HERE / "couple_var_data.csv", index=False)
