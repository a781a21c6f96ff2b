"""Writes reliability_data.csv (simulated answers) and reliability_keys.csv (how each item counts
toward each scale) for reliability_reference.R. Run from the repository root:

    .venv/bin/python tests/science/results/reliability/make_data.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from counterpoint.science.instrument import Instrument, simulate_responses

HERE = Path(__file__).resolve().parent
DEFINITION = HERE.parents[3] / "counterpoint/interdependence/definitions/counterpoint-map-v1.json"


def main() -> None:
    inst = Instrument.from_json(DEFINITION)
    rng = np.random.default_rng(515)
    positions = np.clip(rng.normal([5.0, 4.6], 1.0, size=(250, 2)), 1.5, 6.5)
    answers = simulate_responses(inst, positions, noise_sd=1.1, seed=516)
    answers.to_csv(HERE / "reliability_data.csv", index=False)
    rows = [
        {"scale": name, "item": item.id, "sign": int(sign)}
        for name in inst.scale_names
        for item, sign in zip(inst.items_of(name), inst.key_signs(name), strict=True)
    ]
    pd.DataFrame(rows).to_csv(HERE / "reliability_keys.csv", index=False)


if __name__ == "__main__":
    main()
