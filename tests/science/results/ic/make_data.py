"""Write ic_data.csv: simulate_ic data with a few missing values and one missing occasion.

Run from the repository root: ``.venv/bin/python tests/science/results/ic/make_data.py``,
then ``Rscript tests/science/results/ic/ic_reference.R`` to regenerate ic_reference.json.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from counterpoint.science.inertia_coordination import simulate_ic

HERE = Path(__file__).resolve().parent

df = simulate_ic(n_dyads=5, n_occasions=60, seed=20261122, int0=0.3, int1=-0.2, trend=0.01)
rng = np.random.default_rng(7)
df.loc[rng.choice(len(df), size=12, replace=False), "y"] = np.nan  # missing values, rows kept
# dyad 3, role 1 has no row at all at time 30: a gap in time that lags must not bridge
df = df[~((df["dyad"] == 3) & (df["role"] == 1) & (df["time"] == 30))]
df.to_csv(HERE / "ic_data.csv", index=False, float_format="%.10g")
