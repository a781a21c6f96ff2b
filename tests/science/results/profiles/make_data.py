"""Input data for profiles_reference.R (run from the repository root):

    .venv/bin/python tests/science/results/profiles/make_data.py

* profiles_data.csv — 240 simulated couples, three parameters, three profiles with different sizes,
  spreads and correlations (counterpoint.science.profiles.simulate_profiles, seed 18).
* rties_clo_estimates.csv — our coupled-oscillator estimates (8 parameters) of the rties example
  couples (../shared/reference-data/rties_ExampleDataFull.csv.gz, τ ∈ {4, 5}, E ∈ {3, 4, 5}, Δ = 1);
  couples without estimates (couple 19: identical series) are left out. Derived numbers only: the
  public data themselves stay outside the project.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from counterpoint.science.data import DyadicData
from counterpoint.science.oscillator import CLO_PARAMS, CoupledOscillator
from counterpoint.science.profiles import simulate_profiles

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[3].parent / "shared" / "reference-data"

SIM = {
    "means": ((0.0, 0.0, 0.0), (3.0, 1.0, -1.0), (0.5, 3.5, 1.5)),
    "sds": ((1.0, 0.8, 1.2), (0.6, 0.6, 0.6), (1.0, 1.4, 0.7)),
    "correlations": (0.0, 0.5, -0.3),
    "proportions": (0.5, 0.3, 0.2),
}


def main() -> None:
    frame, _ = simulate_profiles(240, seed=18, **SIM)  # type: ignore[arg-type]
    frame.to_csv(HERE / "profiles_data.csv", float_format="%.10g")
    df = pd.read_csv(SHARED / "rties_ExampleDataFull.csv.gz")
    data = DyadicData(df, dyad="couple", person="person", role="female", time="time")
    table = CoupledOscillator(data, "dial", taus=(4, 5), embeds=(3, 4, 5), delta=1.0).fit().table
    table = table.loc[table["reason"].isna(), list(CLO_PARAMS)]
    table.to_csv(HERE / "rties_clo_estimates.csv", float_format="%.10g")


if __name__ == "__main__":
    main()
