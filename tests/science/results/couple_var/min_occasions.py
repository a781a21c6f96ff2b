"""Simulation behind CoupleVAR's minimum of 30 usable occasions (docs/science/var.md).

    .venv/bin/python tests/science/results/couple_var/min_occasions.py

For couples with n usable occasions (daily diary, no missing days; actor .4/.3, partner .25/.10,
residual correlation .3), 4,000 couples per n: the median half-width of the 95% CI of the
standardised partner effect, how often the CI covers the truth, and how often a moderate partner
effect (.25 raw, about .25 standardised) is detected (CI excludes 0).
"""

from __future__ import annotations

import numpy as np

from counterpoint.science.couple_var import couple_var_arrays
from counterpoint.science.mlvar import simulate_var


def main() -> None:
    print(
        "| usable occasions | median CI half-width, std. partner effect | coverage of raw partner@0 CI "
        "| partner@0 = .25 detected | std. actor@0 half-width |"
    )
    print("|---|---|---|---|---|")
    for n in (10, 15, 20, 30, 45, 60, 90, 120):
        df = simulate_var(
            4000, n_days=n + 1, seed=n, actor=(0.4, 0.3), partner=(0.25, 0.10), rho=0.3
        )
        y = df.sort_values(["dyad", "role", "time"])["y"].to_numpy().reshape(4000, 2, -1)
        out = couple_var_arrays(y, min_occasions=6)
        half = (out["ci_high_std_partner@0"] - out["ci_low_std_partner@0"]) / 2
        half_a = (out["ci_high_std_actor@0"] - out["ci_low_std_actor@0"]) / 2
        cover = np.mean((out["ci_low_partner@0"] <= 0.25) & (out["ci_high_partner@0"] >= 0.25))
        power = np.mean(out["ci_low_partner@0"] > 0)
        print(
            f"| {n} | {np.nanmedian(half):.2f} | {cover:.3f} | {power:.2f} | {np.nanmedian(half_a):.2f} |"
        )


if __name__ == "__main__":
    main()
