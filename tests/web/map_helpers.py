"""Answers for map tests, simulated from a chosen true position (connection, autonomy)."""

from __future__ import annotations

from counterpoint.interdependence import instruments
from counterpoint.science.instrument import Instrument, simulate_responses


def instrument() -> Instrument:
    found = instruments.current(instruments.OUR_KEY)
    assert found is not None
    return found


def answers_for(inst: Instrument, point: tuple[float, float], seed: int = 0) -> dict[str, int]:
    row = simulate_responses(inst, [point], noise_sd=0.6, seed=seed).iloc[0]
    return {k: int(v) for k, v in row.items()}
