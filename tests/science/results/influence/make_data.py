"""Input for influence_reference.R: a simulated conversation with known parameters.

    .venv/bin/python tests/science/results/influence/make_data.py      (from the repository root)

influence_sim.csv: 300 turns of counterpoint.science.influence.simulate_influence(seed=18), the wife
speaking first in each turn, integer scores.
"""

from __future__ import annotations

from pathlib import Path

from counterpoint.science.influence import simulate_influence

if __name__ == "__main__":
    frame = simulate_influence(300, seed=18)
    frame.to_csv(Path(__file__).resolve().parent / "influence_sim.csv", index=False)
