"""Write clo_data.csv: simulate_clo data with measurement error and a few missing values.

The oscillations are fast enough (periods of about 14 and 16 occasions) that dyads differ in the
(τ, E) they choose, so the grid search itself is checked against R.

Run from the repository root: ``.venv/bin/python tests/science/results/clo/make_data.py``,
then ``Rscript tests/science/results/clo/clo_reference.R`` to regenerate clo_reference.json.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from counterpoint.science.oscillator import simulate_clo

HERE = Path(__file__).resolve().parent

df = simulate_clo(
    n_dyads=6, n_occasions=120, seed=20261122, obs_0=-0.2, obs_1=-0.15, measurement_error=0.05
)
rng = np.random.default_rng(11)
df.loc[rng.choice(len(df), size=10, replace=False), "y"] = np.nan
df.to_csv(HERE / "clo_data.csv", index=False, float_format="%.10g")
