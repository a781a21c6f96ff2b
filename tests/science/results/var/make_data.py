"""Write var_data.csv: the simulated diary data behind the R reference results (run from the repo root).

.venv/bin/python tests/science/results/var/make_data.py && Rscript tests/science/results/var/var_reference.R
"""

from __future__ import annotations

from pathlib import Path

from counterpoint.science.mlvar import simulate_var

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    df = simulate_var(
        60,
        n_days=14,
        beeps_per_day=5,
        seed=20261122,
        actor=(0.45, 0.35),
        partner=(0.10, 0.20),
        intercept=(5.0, 4.5),
        sigma=(1.0, 1.3),
        rho=0.2,
        re_sd=(0.6, 0.4),
        re_corr=0.3,
        missing=0.1,
    )
    df = df.drop(columns="beep")
    df["y"] = df["y"].round(4)
    df.to_csv(HERE / "var_data.csv", index=False)
