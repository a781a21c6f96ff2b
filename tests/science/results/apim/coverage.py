"""CI coverage of the APIM by simulation: the numbers in docs/science.md ("Parameter recovery").

Not a test (it takes a few minutes); run with  .venv/bin/python tests/science/results/apim/coverage.py
1,000 datasets per row; a Monte Carlo SE of a coverage near .95 is about .007.
"""

from __future__ import annotations

import numpy as np

from counterpoint.science import DyadicData
from counterpoint.science.apim import APIM, simulate_apim

rng = np.random.default_rng(7)


def run(n_dyads, reps, dist):
    hits = {}  # type: ignore[var-annotated]
    for seed in rng.integers(0, 2**31, size=reps):
        if dist:
            df = simulate_apim(
                n_dyads, seed=int(seed), a=(0.4, 0.3), p=(0.2, 0.1), sigma=(1.0, 1.5), rho=0.4
            )
            truth = {"actor_x@A": 0.4, "actor_x@B": 0.3, "partner_x@A": 0.2, "partner_x@B": 0.1}
            ktruth = {"x@A": 0.5, "x@B": 1 / 3}
            data = DyadicData(df, dyad="dyad", person="person", role="role")
        else:
            df = simulate_apim(n_dyads, seed=int(seed), a=0.4, p=0.2, rho=0.4)
            truth = {"actor_x": 0.4, "partner_x": 0.2}
            ktruth = {"x": 0.5}
            data = DyadicData(df, dyad="dyad", person="person")
        res = APIM(data, "y", x=["x"]).fit()
        P = res.params
        for k, v in truth.items():
            hits[k] = hits.get(k, 0) + (P.loc[k, "ci_low"] <= v <= P.loc[k, "ci_high"])
        for k, v in ktruth.items():
            hits["k_" + k] = hits.get("k_" + k, 0) + (
                res.k.loc[k, "ci_low"] <= v <= res.k.loc[k, "ci_high"]
            )
    return {k: round(float(v) / reps, 3) for k, v in hits.items()}


if __name__ == "__main__":
    for dist in (False, True):
        for n in (50, 150):
            print("dist" if dist else "indist", n, run(n, 1000, dist), flush=True)
