"""Engine agreement: the demo couple's insights recover the simulator's true dynamics within their CIs."""

from __future__ import annotations

import pytest

from counterpoint.checkins.demo import DEMO_TRUTH
from counterpoint.demo import DemoCouple
from counterpoint.insights.sections import coregulation, emotions, stress_recovery, wellbeing
from tests.web.conftest import build_demo_checkins
from tests.web.snapshot import restored

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> DemoCouple:
    """Alex and Sam with the demo's check-ins, restored per test (tests/web/snapshot.py)."""
    return restored(build_demo_checkins)


def _within(c: dict, truth: float) -> bool:
    return c["ci_low"] <= truth <= c["ci_high"]


@pytest.mark.parametrize(("var", "section"), [("mood", emotions), ("stress", coregulation)])
def test_demo_insights_recover_the_true_dynamics(demo: DemoCouple, var: str, section) -> None:
    truth = DEMO_TRUTH[var]
    got = section(demo.alex)  # Alex is role 0, as in the simulation
    assert got["status"] == "ok"
    assert got["n_occasions"] >= 80  # 120 days, ~6% missed per person
    assert _within(got["carry_over"]["me"], truth["actor"][0])
    assert _within(got["carry_over"]["partner"], truth["actor"][1])
    assert _within(got["influence"]["partner_to_me"], truth["partner"][0])
    assert _within(got["influence"]["me_to_partner"], truth["partner"][1])
    # Sam sees the same fit with the roles swapped.
    other = section(demo.sam)
    assert other["influence"]["partner_to_me"] == got["influence"]["me_to_partner"]


def test_stress_coupling_reads_as_co_regulation_where_the_truth_is_clear(demo: DemoCouple) -> None:
    got = coregulation(demo.alex)
    # Sam → Alex is −0.20 in truth; the 95% CI should sit below zero at this sample size.
    assert got["pattern"]["partner_to_me"] in ("damping", "unclear")
    assert any("steadying pattern" in w or "No clear difference yet" in w for w in got["words"])


def test_other_sections_have_numbers_for_the_demo(demo: DemoCouple) -> None:
    assert all(p["status"] == "ok" for p in stress_recovery(demo.alex)["people"])
    w = wellbeing(demo.alex)
    alex_life = w["people"][0]["life"]
    assert alex_life["status"] == "ok"
    # true slope 0.1 a week = 0.4 per four weeks
    assert alex_life["per_4_weeks"]["ci_low"] <= 0.4 <= alex_life["per_4_weeks"]["ci_high"]


def test_the_apps_fit_is_the_engines_couplevar_on_dyadicdata(demo: DemoCouple) -> None:
    """The insights pass the day grid straight to the engine; the documented API gives the same."""
    import numpy as np
    import pandas as pd

    from counterpoint.insights.diary import couple_diary
    from counterpoint.science.couple_var import CoupleVAR
    from counterpoint.science.data import DyadicData

    diary = couple_diary(demo.alex)
    frames = []
    for g, person in enumerate(diary.people):
        days = np.flatnonzero(np.isfinite(person.values["mood"]))
        frames.append(
            pd.DataFrame(
                {
                    "dyad": 1,
                    "person": g + 1,
                    "role": g,
                    "time": days,
                    "mood": person.values["mood"][days],
                }
            )
        )
    data = DyadicData(
        pd.concat(frames),
        dyad="dyad",
        person="person",
        role="role",
        time="time",
        variables=["mood"],
    )
    row = CoupleVAR(data, "mood").fit().table.iloc[0]
    got = emotions(demo.alex)
    assert got["n_occasions"] == row["n_occasions"]
    assert got["influence"]["partner_to_me"]["estimate"] == pytest.approx(
        row["partner@0"], abs=1e-3
    )
    assert got["carry_over_std"]["partner"]["ci_high"] == pytest.approx(
        row["ci_high_std_actor@1"], abs=1e-3
    )
    assert got["same_day"]["estimate"] == pytest.approx(row["resid_corr"], abs=1e-3)


def test_demo_pipeline_covers_the_truth_at_about_the_nominal_rate() -> None:
    """Simulate, round to the 0–10 scale, miss days, fit: over 60 seeds each true value lies in
    its 95% CI about 95% of the time (rounding adds a little noise, so allow down to 85%)."""
    import numpy as np

    from counterpoint.checkins.demo import DEMO_DAYS, MISSING, simulated_series
    from counterpoint.science.couple_var import couple_var_arrays

    hits: dict[str, list[bool]] = {}
    for seed in range(1000, 1060):
        present = np.random.default_rng(seed).random((2, DEMO_DAYS)) >= MISSING
        for var in ("mood", "stress"):
            y = np.clip(np.rint(simulated_series(var, seed=seed)), 0, 10).astype(float)
            y[~present] = np.nan
            out = couple_var_arrays(y[None])
            truth = DEMO_TRUTH[var]
            for key, value in (
                ("actor@0", truth["actor"][0]),
                ("actor@1", truth["actor"][1]),
                ("partner@0", truth["partner"][0]),
                ("partner@1", truth["partner"][1]),
            ):
                inside = out[f"ci_low_{key}"][0] <= value <= out[f"ci_high_{key}"][0]
                hits.setdefault(f"{var} {key}", []).append(bool(inside))
    rates = {k: sum(v) / len(v) for k, v in hits.items()}
    assert all(rate >= 0.85 for rate in rates.values()), rates
    assert 0.9 <= sum(rates.values()) / len(rates) <= 0.99, rates
